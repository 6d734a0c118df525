"""Sentence boundaries for evidence: a regular expression, not a parser.

Splits after ``.``, ``!`` or ``?`` followed by space and a capital, digit or
opening bracket, and at blank lines (the title ends at the first one), but not
after common abbreviations (``e.g.``, ``et al.``, ``Fig.``, initials).

Examples
--------
>>> text = "Title: A Test\\n\\nWe use COCO, e.g. for detection. Results (Fig. 2) improve. Done!"
>>> [text[s:e] for s, e in sentence_bounds(text)]
['Title: A Test', 'We use COCO, e.g. for detection.', 'Results (Fig. 2) improve.', 'Done!']
"""

from __future__ import annotations

import bisect
import re

__all__ = ["sentence_bounds", "sentence_index", "trim_span"]

_BOUNDARY = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|vs|Fig|Figs|cf|etc|approx|Eq|Eqs|Sec|Tab|resp|No|Dr|Mr|Ms|Prof|St|"
    r"al|viz|ca)\.|\b[A-Z]\.)$"
)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` character offsets of each sentence of ``text``, whitespace trimmed."""
    bounds = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() if text[match.start()] == "\n" else match.start() + 1
        if end > match.start() and _NO_SPLIT_BEFORE.search(text, max(0, end - 8), end):
            continue
        bounds.append((start, end))
        start = match.end()
    bounds.append((start, len(text)))
    return [trim_span(text, s, e) for s, e in bounds if text[s:e].strip()]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` moved inward past whitespace: ``trim_span(" ab ", 0, 4) == (1, 3)``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_index(starts: list[int], offset: int) -> int:
    """The index of the sentence (given their start offsets) that holds character ``offset``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)
