"""Records from scholarly sources: Semantic Scholar and OpenAlex API JSON (saved files).

Each mapper turns one source record into a :class:`PaperRecord` with its
references. A paper's id follows the project's rule, DOI first, then arXiv
id; without either it is the source's own id (``s2:<paperId>``,
``openalex:W...``), which is also kept as an alias so that
references by that id find the paper.

Examples
--------
>>> paper = openalex_record({"id": "https://openalex.org/W1", "title": "T", "publication_year": 2020,
...     "abstract_inverted_index": {"We": [0], "test": [1]}, "referenced_works": ["https://openalex.org/W2"]})
>>> paper.id, paper.abstract, [r.id for r in paper.references]
('openalex:W1', 'We test', ['openalex:W2'])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kg.errors import InputError
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["id_or_none", "openalex_record", "s2_record", "scholarly_records", "source_of"]

_OPENALEX = "https://openalex.org/"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def id_or_none(doi: str | None, arxiv: str | None, fallback: str | None) -> str | None:
    return None if doi or arxiv else fallback


def source_of(record: Mapping[str, Any]) -> str | None:
    """``"s2"`` or ``"openalex"`` when a JSON record looks like one of theirs, else ``None``."""
    if "paperId" in record or "citedPaper" in record:
        return "s2"
    identifier = record.get("id")
    if isinstance(identifier, str) and identifier.startswith(_OPENALEX):
        return "openalex"
    return None


# -- Semantic Scholar ---------------------------------------------------------------


def _s2_ids(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    external = record.get("externalIds") or {}
    return doi_of(_str(external.get("DOI"))), arxiv_id_of(_str(external.get("ArXiv")))


def _s2_reference(item: Mapping[str, Any]) -> Reference:
    cited = item.get("citedPaper", item)
    doi, arxiv = _s2_ids(cited)
    key = _str(cited.get("paperId"))
    return Reference(id=f"s2:{key}" if key else None, doi=doi, arxiv_id=arxiv,
                     title=_str(cited.get("title")), year=_int(cited.get("year")))


def s2_record(record: Mapping[str, Any], source: str | None = None) -> PaperRecord:
    """A Semantic Scholar Graph API paper (``paperId``, ``externalIds``, ``authors``, ``references`` ...)."""
    key = _str(record.get("paperId"))
    doi, arxiv = _s2_ids(record)
    references = tuple(
        ref for ref in (_s2_reference(item) for item in record.get("references") or [] if isinstance(item, dict))
        if ref.target_id
    )
    return PaperRecord.create(
        id=id_or_none(doi, arxiv, f"s2:{key}" if key else None),
        title=_str(record.get("title")) or "",
        abstract=_str(record.get("abstract")) or "",
        year=_int(record.get("year")),
        authors=tuple(a["name"] for a in record.get("authors") or [] if isinstance(a, dict) and _str(a.get("name"))),
        url=_str(record.get("url")),
        doi=doi,
        arxiv_id=arxiv,
        source=source,
        references=references,
        aliases=(f"s2:{key}",) if key else (),
    )


# -- OpenAlex -------------------------------------------------------------------------


def _openalex_key(value: Any) -> str | None:
    text = _str(value)
    return f"openalex:{text[len(_OPENALEX):]}" if text and text.startswith(_OPENALEX) else None


def _inverted_abstract(index: Any) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not isinstance(index, dict):
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int):
                slots[position] = word
    return " ".join(slots[i] for i in sorted(slots))


def openalex_record(record: Mapping[str, Any], source: str | None = None) -> PaperRecord:
    """An OpenAlex work (``id``, ``doi``, ``abstract_inverted_index``, ``referenced_works`` ...)."""
    key = _openalex_key(record.get("id"))
    doi = doi_of(_str(record.get("doi")))
    arxiv = arxiv_id_of(doi[len("10.48550/arxiv."):]) if doi and doi.startswith("10.48550/arxiv.") else None
    authors = tuple(
        name for a in record.get("authorships") or [] if isinstance(a, dict)
        for name in [_str((a.get("author") or {}).get("display_name"))] if name
    )
    references = tuple(Reference(id=ref) for ref in map(_openalex_key, record.get("referenced_works") or []) if ref)
    return PaperRecord.create(
        id=id_or_none(doi, arxiv, key),
        title=_str(record.get("title")) or _str(record.get("display_name")) or "",
        abstract=_inverted_abstract(record.get("abstract_inverted_index")),
        year=_int(record.get("publication_year")),
        authors=authors,
        doi=doi,
        arxiv_id=arxiv,
        source=source,
        references=references,
        aliases=(key,) if key else (),
    )


def scholarly_records(data: Any, path: str) -> Iterator[PaperRecord]:
    """Every S2 or OpenAlex record of a saved API response: one record, a list, or
    a page (``{"data": [...]}`` from S2, ``{"results": [...]}`` from OpenAlex)."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    elif isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    items = data if isinstance(data, list) else [data]
    for index, item in enumerate(items):
        if item is None:
            continue
        if not isinstance(item, dict) or source_of(item) is None:
            raise InputError(f"item {index} is not a Semantic Scholar or OpenAlex record", path=path)
        mapper = s2_record if source_of(item) == "s2" else openalex_record
        yield mapper(item.get("citedPaper", item), f"{path}#{index}")
