"""Papers in batches, and extractions kept on disk between the two passes of a build.

A build reads and extracts the corpus once (pass one: the resolver learns from
every paper), then resolves and writes it batch by batch (pass two). Between the
passes the extractions wait in a :class:`Spool`, a temporary file, so memory
holds one batch, never the corpus.

Examples
--------
>>> [len(batch) for batch in batched(range(5), 2)]
[2, 2, 1]
>>> unique = Unique([PaperRecord.create(title=t, abstract="") for t in ("A", "A", "B")])
>>> [paper.title for paper in unique], unique.read, unique.duplicates
(['A', 'B'], 3, 1)
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from kg.paper import PaperRecord
from kg.pipeline.extract import PaperExtraction

__all__ = ["Spool", "Unique", "batched"]

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Unique:
    """The papers of a stream, first of each id; counts what was read and what was dropped."""

    def __init__(self, papers: Iterable[PaperRecord]):
        self._papers = papers
        self._seen: set[str] = set()
        self.read = 0
        self.duplicates = 0

    def __iter__(self) -> Iterator[PaperRecord]:
        for paper in self._papers:
            self.read += 1
            if paper.id in self._seen:
                self.duplicates += 1
                continue
            self._seen.add(paper.id)
            yield paper


class Spool:
    """Batches of extractions written to a temporary file and read back in the same order.

    >>> with Spool() as spool:
    ...     spool.add([])
    ...     [batch for batch in spool]
    [[]]
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kg-extractions-")
        self.batches = 0

    def add(self, extractions: list[PaperExtraction]) -> None:
        """Append one batch."""
        pickle.dump(extractions, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.batches += 1

    def __iter__(self) -> Iterator[list[PaperExtraction]]:
        self._file.seek(0)
        for _ in range(self.batches):
            yield pickle.load(self._file)

    def close(self) -> None:
        """Remove the file."""
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
