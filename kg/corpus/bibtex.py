"""BibTeX files: ``title``, ``author``, ``year``, ``abstract``, ``doi``, ``eprint``, ``url``, and
optional ``references`` / ``cites`` keys listing what an entry cites.

A paper's id is its DOI, else its arXiv id, else the entry's key, which is also
kept as an alias so that references by key find it.

The file is read line by line and cut into entries at lines starting with
``@type{``; each entry must close its braces before the next one starts. An
entry whose braces do not balance, or that cannot be parsed, is an error naming
its line, never an entry silently dropped or a title silently cut. Text between
entries is a comment, as in BibTeX; ``@string`` macros apply to the entries after them.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "refs.bib"
>>> _ = path.write_text("@article{a, title = {Unbalanced }}braces}, year = 2020}\\n@misc{b, title = {Fine}}\\n")
>>> list(bibtex_records(Source(path)))
Traceback (most recent call last):
...
kg.errors.InputError: ...refs.bib:1: entry 'a': text after the end of the entry: 'braces}, year = 2020}' (unbalanced braces?)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kg.corpus.records import Where
from kg.corpus.scholarly import id_or_none
from kg.corpus.source import Source
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of

__all__ = ["bibtex_records", "bibtex_entries"]

_BRACES = re.compile(r"[{}]")
_ENTRY_START = re.compile(r"\s*@\s*([A-Za-z][\w-]*)\s*([{(])\s*([^,\s]*)")
_DELIMITERS = re.compile(r"[{}()]")
_STRAY_CLOSE = re.compile(r"\s*[})]+\s*,?\s*")
_NOT_PAPERS = {"string", "comment", "preamble"}


def bibtex_entries(source: Source) -> Iterator[tuple[int, str, str, str]]:
    """``(first line, type, key, text)`` of every entry, checked for balanced braces.

    Raises ``InputError`` for an entry not closed before the next one or the end of the file,
    text after an entry's end on its last line, and a ``}`` outside any entry.
    """
    start, kind, key, lines, depth, parens, paren = 0, "", "", list[str](), 0, 0, False
    for number, line in source.lines():
        opened = _ENTRY_START.match(line)
        if opened and lines:
            raise source.error(f"entry {key!r}: unbalanced braces: the entry is not closed before the next one "
                               f"starts on line {number}", start)
        if opened:
            start, kind, key, paren = number, opened.group(1).lower(), opened.group(3), opened.group(2) == "("
            depth = parens = 0
        elif not lines:
            if _STRAY_CLOSE.fullmatch(line):
                raise source.error("a '}' outside any entry (unbalanced braces in the entry before it?)", number)
            continue  # text between entries is a comment
        offset = opened.end(2) if opened else 0
        for found in _DELIMITERS.finditer(line, offset):
            char = found.group()
            depth += 1 if char == "{" else -1 if char == "}" else 0
            if paren and depth == 0 and char in "()":
                parens += 1 if char == "(" else -1
            if depth < 0 and not paren or parens < 0:
                rest = line[found.end():].split("%", 1)[0]
                if rest.strip():
                    raise source.error(f"entry {key!r}: text after the end of the entry: {rest.strip()[:40]!r} "
                                       "(unbalanced braces?)", number)
                yield start, kind, key, "\n".join([*lines, line[: found.end()]])
                lines = []
                break
            if depth < 0:
                raise source.error(f"entry {key!r}: a '}}' closes nothing (unbalanced braces)", number)
        else:
            lines.append(line)
    if lines:
        raise source.error(f"entry {key!r}: unbalanced braces: the entry is not closed by the end of the file", start)


def bibtex_records(source: Source) -> Iterator[PaperRecord]:
    """Entries of a BibTeX file; ``abstract`` is optional; ``references`` (or ``cites``)
    may list cited keys, DOIs or arXiv ids separated by commas or semicolons."""
    from bibtexparser.bparser import BibTexParser  # about 70 ms to import: only when a BibTeX file is read

    parser = BibTexParser(ignore_nonstandard_types=False, common_strings=True)
    parser.expect_multiple_parse = True
    for line, kind, key, text in bibtex_entries(source):
        where = Where(source.path, line, limits=source.limits)
        try:
            entries = list(parser.parse(text).entries)
        except Exception as exc:  # pyparsing's ParseException and what a broken entry makes it raise
            raise where.error(f"entry {key!r} is not valid BibTeX ({type(exc).__name__})") from None
        parser.bib_database.entries.clear()
        if kind in _NOT_PAPERS:
            continue
        if len(entries) != 1:
            raise where.error(f"entry {key!r} is not valid BibTeX")
        yield _paper(entries[0], where)


def _bib_text(entry: Mapping[str, Any], name: str, where: Where) -> str | None:
    value = where.text(entry.get(name), name)
    return " ".join(_BRACES.sub("", value).split()) if value and value.strip() else None


def _bib_authors(value: str | None) -> tuple[str, ...]:
    names = []
    for part in re.split(r"\s+and\s+", value or ""):
        last, comma, first = part.partition(",")
        names.append(f"{first.strip()} {last.strip()}".strip() if comma else part.strip())
    return tuple(name for name in names if name)


def _bib_year(entry: Mapping[str, Any], where: Where) -> int | None:
    value = _bib_text(entry, "year", where)
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise where.error(f"entry {entry.get('ID')!r}: field 'year' is not a year: {value[:40]!r}")
    return int(value)


def _paper(entry: Mapping[str, Any], where: Where) -> PaperRecord:
    key = str(entry.get("ID", ""))
    title = _bib_text(entry, "title", where)
    if not title:
        raise where.error(f"entry {key!r} has no title")
    arxiv = arxiv_id_of(_bib_text(entry, "eprint", where) or _bib_text(entry, "arxiv", where)) or arxiv_id_of(
        _bib_text(entry, "url", where))
    doi = doi_of(_bib_text(entry, "doi", where))
    listed = _bib_text(entry, "references", where) or _bib_text(entry, "cites", where) or ""
    references = tuple(
        Reference(doi=doi_of(c)) if doi_of(c) else Reference(arxiv_id=arxiv_id_of(c)) if arxiv_id_of(c)
        else Reference(id=c) for c in re.split(r"\s*[,;]\s*", listed) if c
    )
    return PaperRecord.create(
        id=id_or_none(doi, arxiv, key or None), title=title, abstract=_bib_text(entry, "abstract", where) or "",
        year=_bib_year(entry, where), authors=_bib_authors(_bib_text(entry, "author", where)),
        url=_bib_text(entry, "url", where), doi=doi, arxiv_id=arxiv, source=where.source,
        references=references, aliases=(key,) if key else (),
    )
