"""JSON Lines and JSON files: our own records, or saved Semantic Scholar / OpenAlex responses.

A record with Semantic Scholar or OpenAlex ids is read as one (see
:mod:`kg.corpus.scholarly`); ``--format s2`` / ``--format openalex`` insist on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.corpus.records import record
from kg.corpus.scholarly import scholarly_records, source_of
from kg.corpus.source import split_lines
from kg.errors import InputError
from kg.paper import PaperRecord

__all__ = ["read_json", "read_jsonl", "read_openalex", "read_s2"]


def _json_lines(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line."""
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(_not_json(exc), path=path, line=number) from None
        if not isinstance(row, dict):
            raise InputError(f"expected a JSON object, got {type(row).__name__}", path=path, line=number)
        yield number, row


def read_jsonl(text: str, path: Path) -> Iterator[PaperRecord]:
    """One paper per line: our fields, or a Semantic Scholar / OpenAlex record (recognised by its ids)."""
    for number, row in _json_lines(text, path):
        if source_of(row) is not None:
            yield from scholarly_records(row, f"{path}:{number}")
        else:
            yield record(row, path, number)


def _not_json(exc: json.JSONDecodeError) -> str:
    """``not JSON: Expecting value at column 1``; json's messages that end in "at" get no second one."""
    where = "column" if exc.msg.endswith(" at") else "at column"
    return f"not JSON: {exc.msg} {where} {exc.colno}"


def _load_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(_not_json(exc), path=path, line=exc.lineno) from None


def read_json(text: str, path: Path) -> Iterator[PaperRecord]:
    """A JSON array of paper objects, or a saved Semantic Scholar / OpenAlex response."""
    rows = _load_json(text, path)
    first = rows[0] if isinstance(rows, list) and rows else rows
    if isinstance(rows, dict) and ("results" in rows or "data" in rows) or (
        isinstance(first, dict) and source_of(first) is not None
    ):
        yield from scholarly_records(rows, str(path))
        return
    if not isinstance(rows, list):
        raise InputError("expected a JSON array of paper objects", path=path, line=1)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InputError(f"item {index} is not a JSON object", path=path)
        yield record(row, path, index + 1)


def read_s2(text: str, path: Path) -> Iterator[PaperRecord]:
    yield from _read_scholarly(text, path, "s2")


def read_openalex(text: str, path: Path) -> Iterator[PaperRecord]:
    yield from _read_scholarly(text, path, "openalex")


_SOURCE_NAMES = {"s2": "a Semantic Scholar", "openalex": "an OpenAlex"}


def _read_scholarly(text: str, path: Path, source: str) -> Iterator[PaperRecord]:
    """A saved response (one JSON document), or one ``source`` record per line (JSON Lines)."""
    if not _is_json_lines(text):
        yield from scholarly_records(_load_json(text, path), str(path))
        return
    for number, row in _json_lines(text, path):
        if source_of(row) != source:
            raise InputError(f"not {_SOURCE_NAMES[source]} record (--format {source})", path=path, line=number)
        yield from scholarly_records(row, f"{path}:{number}")


def _is_json_lines(text: str) -> bool:
    """Is ``text`` one JSON object per line, rather than one (possibly pretty-printed) JSON document?"""
    first, newline, rest = text.strip().partition("\n")
    if not newline or not rest.strip() or not first.lstrip().startswith("{"):
        return False
    try:
        json.loads(first)
    except json.JSONDecodeError:
        return False
    return True
