"""One paper record in our own field names (JSON Lines, JSON and CSV rows), checked field by field.

Fields: ``id, title, abstract, year, authors, url, doi, arxiv_id, references``;
``title`` and ``abstract`` are required (``abstract`` may be empty). A wrong type
or value raises :class:`~kg.errors.InputError` naming the file, line and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["record"]



def _text_field(row: Mapping[str, Any], name: str, where: Callable[[], InputError]) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)
    if not isinstance(value, str):
        raise _with_reason(where(), f"field {name!r} must be a string, not {type(value).__name__}")
    return value


def _with_reason(error: InputError, reason: str) -> InputError:
    return InputError(reason, path=error.path, line=error.line)


def _year(value: Any, where: Callable[[], InputError]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise _with_reason(where(), f"field 'year' is not a year: {value!r}") from None
    if not 1000 <= year <= 2999:
        raise _with_reason(where(), f"field 'year' is out of range: {year}")
    return year


def _authors(value: Any, where: Callable[[], InputError]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"\s*[;|]\s*", value)
        return tuple(part.strip() for part in parts if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    raise _with_reason(where(), "field 'authors' must be a list of strings or a ';'-separated string")


def record(row: Mapping[str, Any], path: Path, line: int) -> PaperRecord:
    """The paper of one row read at ``path:line``; raises ``InputError`` for a bad or missing field."""
    def where() -> InputError:
        return InputError("", path=path, line=line)

    title = _text_field(row, "title", where) or ""
    abstract = _text_field(row, "abstract", where)
    given = _text_field(row, "id", where)
    if "abstract" not in row:
        raise InputError("record has no 'abstract' field (it may be empty or null)", path=path, line=line)
    if not title.strip() and not (given and (abstract or "").strip()):
        raise InputError("record has no 'title' (one without a title needs an 'id' and an abstract)",
                         path=path, line=line)
    return PaperRecord.create(
        id=given,
        title=title,
        abstract=abstract or "",
        year=_year(row.get("year"), where),
        authors=_authors(row.get("authors"), where),
        url=_text_field(row, "url", where),
        doi=_text_field(row, "doi", where),
        arxiv_id=_text_field(row, "arxiv_id", where),
        source=f"{path}:{line}",
        references=_references(row.get("references"), where),
    )


def _references(value: Any, where: Callable[[], InputError]) -> tuple[Reference, ...]:
    """A ``references`` field: a list of ids or of objects with id/doi/arxiv_id/title/year
    (or, in CSV, ids separated by ``;``)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in re.split(r"\s*;\s*", value) if part]
    if not isinstance(value, list):
        raise _with_reason(where(), "field 'references' must be a list")
    found = []
    for item in value:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            found.append(Reference(id=str(item)))
        elif isinstance(item, dict):
            found.append(Reference(
                id=_optional_str(item.get("id")), doi=doi_of(_optional_str(item.get("doi"))),
                arxiv_id=arxiv_id_of(_optional_str(item.get("arxiv_id") or item.get("arxiv"))),
                title=_optional_str(item.get("title")), year=_year(item.get("year"), where)))
        else:
            raise _with_reason(where(), f"a reference must be an id or an object, not {type(item).__name__}")
    return tuple(found)


def _optional_str(value: Any) -> str | None:
    return str(value) if value is not None and str(value).strip() else None
