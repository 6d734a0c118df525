"""The saved listing page: page chrome, then title line / abstract paragraph pairs.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
>>> abstract = "We evaluate a detector on COCO and LVIS with a new loss. " * 3
>>> _ = path.write_text(f"Menu\\n\\nA Detector\\n\\n{abstract}\\n")
>>> [(p.title, p.source) for p in read_page(path.read_text(), path)]
[('A Detector', '...page.txt:3')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kg.corpus.source import split_lines
from kg.paper import PaperRecord

__all__ = ["read_page"]


_MIN_ABSTRACT_WORDS = 25


_MAX_TITLE_CHARS = 400


_SENTENCE_END = re.compile(r"[.!?)\]}]\s")


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(first line number, text)`` of each blank-line separated block."""
    start, lines = 0, list[str]()
    for number, line in enumerate(split_lines(text), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            yield start, " ".join(lines)
            lines = []
    if lines:
        yield start, " ".join(lines)


def _is_abstract(block: str) -> bool:
    return len(block.split()) >= _MIN_ABSTRACT_WORDS and bool(_SENTENCE_END.search(block + " "))


def _is_title(block: str) -> bool:
    return len(block) <= _MAX_TITLE_CHARS and not _is_abstract(block)


def read_page(text: str, path: Path) -> Iterator[PaperRecord]:
    """A saved listing page: page chrome, then title line / abstract paragraph pairs.

    A block is a title when the block after it is an abstract (at least 25 words
    and a sentence end) and it is not one itself; any other block is page chrome.
    """
    blocks = list(_blocks(text))
    for (line, title), (_, abstract) in zip(blocks, blocks[1:]):
        if _is_title(title) and _is_abstract(abstract):
            yield PaperRecord.create(title=title, abstract=abstract, source=f"{path}:{line}")
