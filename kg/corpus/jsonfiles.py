"""JSON Lines and JSON files: our own records, or saved Semantic Scholar / OpenAlex responses.

A record with Semantic Scholar or OpenAlex ids is read as one (see
:mod:`kg.corpus.scholarly`); ``--format s2`` / ``--format openalex`` insist on it.
JSON Lines are read line by line; a JSON document (an array, or a saved
response of any size on one line) item by item (:mod:`kg.corpus.jsonstream`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.corpus.jsonstream import Item, document_items, load_line
from kg.corpus.records import Where, kind_of, record
from kg.corpus.scholarly import scholarly_record, source_of
from kg.corpus.source import Source
from kg.paper import PaperRecord

__all__ = ["read_json", "read_jsonl", "read_openalex", "read_s2"]


def read_jsonl(source: Source) -> Iterator[PaperRecord]:
    """One paper per line: our fields, or a Semantic Scholar / OpenAlex record (recognised by its ids)."""
    for number, line in source.lines():
        if not line.strip():
            continue
        row = load_line(line, source, number)
        where = Where(source.path, number, limits=source.limits)
        if not isinstance(row, dict):
            raise where.error(f"expected a JSON object, got {kind_of(row)}")
        if source_of(row) is None:
            yield record(row, where)
        elif (paper := scholarly_record(row, where)) is not None:
            yield paper


def _where(source: Source, item: Item) -> Where:
    return Where(source.path, item.line, None if item.shape == "record" else item.index, source.limits)


def read_json(source: Source) -> Iterator[PaperRecord]:
    """A JSON array of paper objects, or a saved Semantic Scholar / OpenAlex response."""
    scholarly: bool | None = None
    for item in document_items(source):
        where = _where(source, item)
        if scholarly is None:
            scholarly = item.shape == "page" or (isinstance(item.value, dict) and source_of(item.value) is not None)
        if scholarly:
            if (paper := scholarly_record(item.value, where)) is not None:
                yield paper
        elif item.shape == "record":
            raise where.error("expected a JSON array of paper objects")
        elif not isinstance(item.value, dict):
            raise where.error(f"expected a JSON object, got {kind_of(item.value)}")
        else:
            yield record(item.value, where)


def read_s2(source: Source) -> Iterator[PaperRecord]:
    """Saved Semantic Scholar records: one response, or one record per line."""
    yield from _read_scholarly(source, "s2")


def read_openalex(source: Source) -> Iterator[PaperRecord]:
    """Saved OpenAlex works: one response, or one work per line."""
    yield from _read_scholarly(source, "openalex")


def _read_scholarly(source: Source, expected: str) -> Iterator[PaperRecord]:
    for item in document_items(source, sequence=True):
        if (paper := scholarly_record(item.value, _where(source, item), expected)) is not None:
            yield paper
