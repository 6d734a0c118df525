"""Corpus files in, :class:`~kg.paper.PaperRecord` out: the format of each file and its reader.

Formats: listing pages (``page``), JSON Lines, JSON arrays, CSV, BibTeX, and saved
Semantic Scholar / OpenAlex responses, each also gzip-compressed. Every reader
raises :class:`~kg.errors.InputError` naming the file and line of the first
problem. Nothing is returned for a file with an error, so a build that fails
here never touches the store.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
>>> _ = path.write_text('{"title": "GPT-2 on COCO", "abstract": "We use COCO."}\\n')
>>> [(p.title, p.abstract) for p in read_corpus(path)]
[('GPT-2 on COCO', 'We use COCO.')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from kg.corpus.bibtex import bibtex_records
from kg.corpus.csvfile import read_csv
from kg.corpus.jsonfiles import read_json, read_jsonl, read_openalex, read_s2
from kg.corpus.page import read_page
from kg.corpus.source import decode
from kg.errors import InputError
from kg.paper import PaperRecord

__all__ = ["FORMATS", "detect_format", "read_corpus"]


_EXTENSIONS = {
    ".txt": "page",
    ".page": "page",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
}


def detect_format(path: Path, fmt: str | None = None) -> str:
    """Return the corpus format of ``path``: ``fmt`` if given, else from its extension."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
        return fmt
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    found = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if found is None:
        known = ", ".join(f"{ext} ({name})" for ext, name in _EXTENSIONS.items())
        raise InputError(
            f"cannot tell the format from the extension {path.suffix!r}; "
            f"pass --format ({', '.join(FORMATS)}); known extensions: {known}",
            path=path,
        )
    return found


def read_corpus(path: str | Path, fmt: str | None = None) -> list[PaperRecord]:
    """Read every paper of a corpus file.

    Parameters
    ----------
    path:
        The file to read.
    fmt:
        One of :data:`FORMATS`; by default chosen from the file extension.

    Raises
    ------
    InputError
        The file is missing, empty, binary, not UTF-8, has a line longer than
        :data:`~kg.corpus.source.MAX_LINE_CHARS`, or a record without a title; the message names
        the file and line.
    """
    path = Path(path)
    reader = FORMATS[detect_format(path, fmt)]
    text = decode(path)
    papers = list(reader(text, path))
    if not papers:
        raise InputError("no papers found in the file", path=path)
    return papers


def _read_bibtex(text: str, path: Path) -> Iterator[PaperRecord]:
    if "@" not in text:  # no entry can start: spare bibtexparser's slow scan (about 140 KB/s) of other text
        return
    yield from bibtex_records(text, str(path))


FORMATS: Mapping[str, Callable[[str, Path], Iterator[PaperRecord]]] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "bibtex": _read_bibtex,
    "s2": read_s2,
    "openalex": read_openalex,
}
"""The known corpus formats and their readers."""
