"""The saved listing page: page chrome, then title line / abstract paragraph pairs.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
>>> abstract = "We evaluate a detector on COCO and LVIS with a new loss. " * 3
>>> _ = path.write_text(f"Menu\\n\\nA Detector\\n\\n{abstract}\\n")
>>> [(p.title, p.source) for p in read_page(Source(path))]
[('A Detector', '...page.txt:3')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.corpus.limits import ENVIRONMENT
from kg.corpus.source import Source
from kg.paper import PaperRecord

__all__ = ["read_page"]


_MIN_ABSTRACT_WORDS = 25


_MAX_TITLE_CHARS = 400


_SENTENCE_END = re.compile(r"[.!?)\]}]\s")


def _blocks(source: Source) -> Iterator[tuple[int, str]]:
    """Yield ``(first line number, text)`` of each blank-line separated block, lines joined by spaces."""
    start, lines, size = 0, list[str](), 0
    for number, line in source.lines():
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
            size += len(line)
            if size > source.limits.max_field_chars:
                raise source.error(f"a paragraph is longer than {source.limits.max_field_chars:,} characters (the "
                                   f"limit max_field_chars, env {ENVIRONMENT['max_field_chars']})", start)
        elif lines:
            yield start, " ".join(lines)
            lines, size = [], 0
    if lines:
        yield start, " ".join(lines)


def _is_abstract(block: str) -> bool:
    return len(block.split()) >= _MIN_ABSTRACT_WORDS and bool(_SENTENCE_END.search(block + " "))


def _is_title(block: str) -> bool:
    return len(block) <= _MAX_TITLE_CHARS and not _is_abstract(block)


def read_page(source: Source) -> Iterator[PaperRecord]:
    """A saved listing page: page chrome, then title line / abstract paragraph pairs.

    A block is a title when the block after it is an abstract (at least 25 words
    and a sentence end) and it is not one itself; any other block is page chrome.
    A paragraph longer than :attr:`~kg.corpus.limits.Limits.max_field_chars` is an error.
    """
    previous: tuple[int, str] | None = None
    for line, block in _blocks(source):
        if previous is not None and _is_title(previous[1]) and _is_abstract(block):
            yield PaperRecord.create(title=previous[1], abstract=block, source=f"{source.path}:{previous[0]}")
        previous = (line, block)
