"""BibTeX files: ``title``, ``author``, ``year``, ``abstract``, ``doi``, ``eprint``, ``url``, and
optional ``references`` / ``cites`` keys listing what an entry cites.

A paper's id is its DOI, else its arXiv id, else the entry's key, which is also
kept as an alias so that references by key find it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from kg.corpus.scholarly import id_or_none
from kg.errors import InputError
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["bibtex_records"]

_BRACES = re.compile(r"[{}]")


def _bib_text(entry: Mapping[str, str], name: str) -> str | None:
    value = entry.get(name)
    return " ".join(_BRACES.sub("", value).split()) if value and value.strip() else None


def _bib_authors(value: str | None) -> tuple[str, ...]:
    names = []
    for part in re.split(r"\s+and\s+", value or ""):
        last, comma, first = part.partition(",")
        names.append(f"{first.strip()} {last.strip()}".strip() if comma else part.strip())
    return tuple(name for name in names if name)


def _bib_year(entry: Mapping[str, str], where: str) -> int | None:
    value = _bib_text(entry, "year")
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise InputError(f"entry {entry.get('ID')!r}: field 'year' is not a year: {value!r}", path=where)
    return int(value)


def bibtex_records(text: str, path: str) -> Iterator[PaperRecord]:
    """Entries of a BibTeX file; ``abstract`` is optional; ``references`` (or ``cites``)
    may list cited keys, DOIs or arXiv ids separated by commas or semicolons."""
    import bibtexparser  # about 70 ms to import: only when a BibTeX file is read

    for entry in bibtexparser.loads(text).entries:
        key = entry.get("ID", "")
        title = _bib_text(entry, "title")
        if not title:
            raise InputError(f"entry {key!r} has no title", path=path)
        arxiv = arxiv_id_of(_bib_text(entry, "eprint") or _bib_text(entry, "arxiv")) or arxiv_id_of(
            _bib_text(entry, "url"))
        doi = doi_of(_bib_text(entry, "doi"))
        cited = re.split(r"\s*[,;]\s*", _bib_text(entry, "references") or _bib_text(entry, "cites") or "")
        references = tuple(
            Reference(doi=doi_of(c)) if doi_of(c) else Reference(arxiv_id=arxiv_id_of(c)) if arxiv_id_of(c)
            else Reference(id=c) for c in cited if c
        )
        yield PaperRecord.create(
            id=id_or_none(doi, arxiv, key or None), title=title, abstract=_bib_text(entry, "abstract") or "",
            year=_bib_year(entry, path), authors=_bib_authors(_bib_text(entry, "author")),
            url=_bib_text(entry, "url"), doi=doi, arxiv_id=arxiv, source=f"{path}#{key}",
            references=references, aliases=(key,) if key else (),
        )
