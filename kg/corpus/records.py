"""One paper record in our own field names (JSON Lines, JSON and CSV rows), checked field by field.

Fields: ``id, title, abstract, year, authors, url, doi, arxiv_id, references``;
``title`` and ``abstract`` are required (``abstract`` may be empty). A wrong type
or value, or a text field longer than :attr:`~kg.corpus.limits.Limits.max_field_chars`,
raises :class:`~kg.errors.InputError` naming the file, line and field.

>>> record({"id": float("nan"), "title": "T", "abstract": ""}, Where("papers.jsonl", 3))
Traceback (most recent call last):
...
kg.errors.InputError: papers.jsonl:3: field 'id' must be a string or a whole number, not NaN
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.corpus.limits import DEFAULT_LIMITS, ENVIRONMENT, Limits
from kg.errors import InputError
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["Where", "kind_of", "record"]


@dataclass(frozen=True)
class Where:
    """Where a record was read: the file, the line it starts on, its position in a JSON document."""

    path: str | Path
    line: int | None = None
    item: int | None = None
    limits: Limits = DEFAULT_LIMITS

    def error(self, reason: str) -> InputError:
        """An ``InputError`` naming the file and line (and the item of a document with several on a line)."""
        prefix = f"item {self.item}: " if self.item is not None else ""
        return InputError(prefix + reason, path=self.path, line=self.line)

    @property
    def source(self) -> str:
        """``FILE:LINE`` (and ``item N`` in a JSON document), the ``source`` of the paper read here."""
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return where + (f" item {self.item}" if self.item is not None else "")

    def text(self, value: Any, name: str) -> str | None:
        """A text field: a string (or null) within the field-length limit."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f"field {name!r} must be a string, not {kind_of(value)}")
        if len(value) > self.limits.max_field_chars:
            raise self.error(f"field {name!r} is longer than {self.limits.max_field_chars:,} characters (the limit "
                             f"max_field_chars, env {ENVIRONMENT['max_field_chars']})")
        return value


def kind_of(value: Any) -> str:
    """The JSON name of a value's type, for messages: ``string``, ``number``, ``NaN``, ``list`` ...

    >>> [kind_of(v) for v in ("x", 5, 1.5, float("inf"), True, None, [], {})]
    ['string', 'whole number', 'number', 'Infinity', 'true/false', 'null', 'list', 'object']
    """
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity"
    names = {str: "string", int: "whole number", float: "number", list: "list", dict: "object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _id(value: Any, where: Where) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is not None and not isinstance(value, str):
        raise where.error(f"field 'id' must be a string or a whole number, not {kind_of(value)}")
    return where.text(value, "id")


def _year(value: Any, where: Where) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise where.error(f"field 'year' is not a year: {kind_of(value)}")
    if isinstance(value, int) and not 1000 <= value <= 2999:
        raise where.error(f"field 'year' is out of range: {value if abs(value) < 10**9 else 'a huge number'}")
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        raise where.error(f"field 'year' is not a year: {text[:40]!r}")
    year = int(text)
    if not 1000 <= year <= 2999:
        raise where.error(f"field 'year' is out of range: {year}")
    return year


def _authors(value: Any, where: Where) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*[;|]\s*", where.text(value, "authors") or "")
        return tuple(part.strip() for part in parts if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if (where.text(item, "authors") or "").strip())
    raise where.error("field 'authors' must be a list of strings or a ';'-separated string")


def record(row: Mapping[str, Any], where: Where) -> PaperRecord:
    """The paper of one row read at ``where``; raises ``InputError`` for a bad or missing field."""
    title = where.text(row.get("title"), "title") or ""
    abstract = where.text(row.get("abstract"), "abstract")
    given = _id(row.get("id"), where)
    if "abstract" not in row:
        raise where.error("record has no 'abstract' field (it may be empty or null)")
    if not title.strip() and not (given and (abstract or "").strip()):
        raise where.error("record has no 'title' (one without a title needs an 'id' and an abstract)")
    return PaperRecord.create(
        id=given,
        title=title,
        abstract=abstract or "",
        year=_year(row.get("year"), where),
        authors=_authors(row.get("authors"), where),
        url=where.text(row.get("url"), "url"),
        doi=where.text(row.get("doi"), "doi"),
        arxiv_id=where.text(row.get("arxiv_id"), "arxiv_id"),
        source=where.source,
        references=_references(row.get("references"), where),
    )


def _references(value: Any, where: Where) -> tuple[Reference, ...]:
    """A ``references`` field: a list of ids or of objects with id/doi/arxiv_id/title/year
    (or, in CSV, ids separated by ``;``)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in re.split(r"\s*;\s*", where.text(value, "references") or "") if part]
    if not isinstance(value, list):
        raise where.error(f"field 'references' must be a list, not {kind_of(value)}")
    found = []
    for item in value:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            found.append(Reference(id=where.text(str(item), "references")))
        elif isinstance(item, dict):
            arxiv = item.get("arxiv_id") or item.get("arxiv")
            found.append(Reference(
                id=_id(item.get("id"), where), doi=doi_of(where.text(item.get("doi"), "references.doi")),
                arxiv_id=arxiv_id_of(where.text(arxiv, "references.arxiv_id")),
                title=where.text(item.get("title"), "references.title"), year=_year(item.get("year"), where)))
        else:
            raise where.error(f"a reference must be an id or an object, not {kind_of(item)}")
    return tuple(found)
