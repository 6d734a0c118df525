"""Records from scholarly sources: Semantic Scholar and OpenAlex API JSON (saved files).

Each mapper turns one source record into a :class:`PaperRecord` with its
references. A paper's id follows the project's rule, DOI first, then arXiv
id; without either it is the source's own id (``s2:<paperId>``,
``openalex:W...``), which is also kept as an alias so that
references by that id find the paper. Every field read is checked for its
type: a record with ``"references": 5`` or ``"externalIds": "x"`` is refused
with the file, line and field, not half read.

Examples
--------
>>> paper = openalex_record({"id": "https://openalex.org/W1", "title": "T", "publication_year": 2020,
...     "abstract_inverted_index": {"We": [0], "test": [1]}, "referenced_works": ["https://openalex.org/W2"]})
>>> paper.id, paper.abstract, [r.id for r in paper.references]
('openalex:W1', 'We test', ['openalex:W2'])
>>> s2_record({"paperId": "p1", "title": "T", "references": 5}, Where("s2.json", 4))
Traceback (most recent call last):
...
kg.errors.InputError: s2.json:4: field 'references' must be a list, not whole number
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.corpus.records import Where, kind_of
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["id_or_none", "openalex_record", "s2_record", "scholarly_record", "source_of"]

_OPENALEX = "https://openalex.org/"
_MAX_POSITION = 1_000_000
"""The largest word position an OpenAlex inverted abstract may give (a position is a word's place)."""


def _int(record: Mapping[str, Any], name: str, where: Where) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"field {name!r} must be a whole number, not {kind_of(value)}")
    return value


def _str(record: Mapping[str, Any], name: str, where: Where) -> str | None:
    value = where.text(record.get(name), name)
    return value.strip() if value and value.strip() else None


def _list(record: Mapping[str, Any], name: str, where: Where) -> list[Any]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error(f"field {name!r} must be a list, not {kind_of(value)}")
    return value


def _object(value: Any, name: str, where: Where) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(f"field {name!r} must be an object, not {kind_of(value)}")
    return value


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


def _s2_ids(record: Mapping[str, Any], where: Where, field: str = "externalIds") -> tuple[str | None, str | None]:
    external = _object(record.get("externalIds"), field, where)
    return (doi_of(where.text(external.get("DOI"), f"{field}.DOI")),
            arxiv_id_of(where.text(external.get("ArXiv"), f"{field}.ArXiv")))


def _s2_reference(item: Any, index: int, where: Where) -> Reference:
    item = _object(item, f"references[{index}]", where)
    cited = _object(item.get("citedPaper", item), f"references[{index}].citedPaper", where)
    doi, arxiv = _s2_ids(cited, where, f"references[{index}].externalIds")
    key = _str(cited, "paperId", where)
    return Reference(id=f"s2:{key}" if key else None, doi=doi, arxiv_id=arxiv,
                     title=_str(cited, "title", where), year=_int(cited, "year", where))


def _s2_author(item: Any, index: int, where: Where) -> str | None:
    return _str(_object(item, f"authors[{index}]", where), "name", where)


def s2_record(record: Mapping[str, Any], where: Where) -> PaperRecord:
    """A Semantic Scholar Graph API paper (``paperId``, ``externalIds``, ``authors``, ``references`` ...)."""
    key = _str(record, "paperId", where)
    doi, arxiv = _s2_ids(record, where)
    references = tuple(ref for index, item in enumerate(_list(record, "references", where))
                       if item is not None for ref in [_s2_reference(item, index, where)] if ref.target_id)
    authors = tuple(name for index, item in enumerate(_list(record, "authors", where))
                    for name in [_s2_author(item, index, where)] if name)
    return PaperRecord.create(
        id=id_or_none(doi, arxiv, f"s2:{key}" if key else None),
        title=_str(record, "title", where) or "",
        abstract=_str(record, "abstract", where) or "",
        year=_int(record, "year", where),
        authors=authors,
        url=_str(record, "url", where),
        doi=doi,
        arxiv_id=arxiv,
        source=where.source,
        references=references,
        aliases=(f"s2:{key}",) if key else (),
    )


# -- OpenAlex -------------------------------------------------------------------------


def _openalex_key(value: Any, name: str, where: Where) -> str | None:
    text = where.text(value, name)
    text = text.strip() if text else None
    return f"openalex:{text[len(_OPENALEX):]}" if text and text.startswith(_OPENALEX) else None


def _inverted_abstract(record: Mapping[str, Any], where: Where) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    index = _object(record.get("abstract_inverted_index"), "abstract_inverted_index", where)
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            raise where.error(f"field 'abstract_inverted_index' must map words to lists of positions, "
                              f"not to {kind_of(positions)}")
        for position in positions:
            if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= _MAX_POSITION:
                raise where.error(f"field 'abstract_inverted_index': {position!r} is not a word position")
            slots[position] = word
    return where.text(" ".join(slots[i] for i in sorted(slots)), "abstract_inverted_index") or ""


def _openalex_author(item: Any, index: int, where: Where) -> str | None:
    authorship = _object(item, f"authorships[{index}]", where)
    return _str(_object(authorship.get("author"), f"authorships[{index}].author", where), "display_name", where)


def openalex_record(record: Mapping[str, Any], where: Where | None = None) -> PaperRecord:
    """An OpenAlex work (``id``, ``doi``, ``abstract_inverted_index``, ``referenced_works`` ...)."""
    where = where or Where("openalex")
    key = _openalex_key(record.get("id"), "id", where)
    doi = doi_of(_str(record, "doi", where))
    arxiv = arxiv_id_of(doi[len("10.48550/arxiv."):]) if doi and doi.startswith("10.48550/arxiv.") else None
    authors = tuple(name for index, item in enumerate(_list(record, "authorships", where))
                    for name in [_openalex_author(item, index, where)] if name)
    cited = [_openalex_key(ref, "referenced_works", where) for ref in _list(record, "referenced_works", where)]
    return PaperRecord.create(
        id=id_or_none(doi, arxiv, key),
        title=_str(record, "title", where) or _str(record, "display_name", where) or "",
        abstract=_inverted_abstract(record, where),
        year=_int(record, "publication_year", where),
        authors=authors,
        doi=doi,
        arxiv_id=arxiv,
        source=where.source,
        references=tuple(Reference(id=ref) for ref in cited if ref),
        aliases=(key,) if key else (),
    )


def scholarly_record(item: Any, where: Where, expected: str | None = None) -> PaperRecord | None:
    """The paper of one S2 or OpenAlex record (``None`` for a JSON ``null`` in a list of them).

    ``expected`` (``"s2"`` or ``"openalex"``) insists on one source. A Semantic Scholar
    ``{"citedPaper": {...}}`` item (from a references page) is read as the paper it holds.
    """
    if item is None:
        return None
    kind = source_of(item) if isinstance(item, dict) else None
    if kind is None or (expected is not None and kind != expected):
        names = {"s2": "a Semantic Scholar", "openalex": "an OpenAlex", None: "a Semantic Scholar or OpenAlex"}
        raise where.error(f"not {names[expected]} record" + (f" (--format {expected})" if expected else ""))
    if kind == "s2":
        if "citedPaper" in item and item["citedPaper"] is None:
            return None  # a reference S2 could not resolve: nothing to read
        return s2_record(_object(item.get("citedPaper", item), "citedPaper", where), where)
    return openalex_record(item, where)
