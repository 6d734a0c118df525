"""Corpus files in, :class:`~kg.paper.PaperRecord` out: the format of each file and its reader.

Formats: listing pages (``page``), JSON Lines, JSON arrays, CSV, BibTeX, and saved
Semantic Scholar / OpenAlex responses, each also compressed with gzip, xz, bzip2
or Zstandard (recognised by content). Every reader streams: :func:`iter_corpus`
yields one paper at a time and holds one record, not the file. Every reader
raises :class:`~kg.errors.InputError` naming the file and line (and field) of
the first problem, and stops at the :class:`~kg.corpus.limits.Limits`.

A build checks its inputs first with :func:`scan_corpus` (a bad record at the
end of a large file fails before anything is written; duplicate ids are
listed with their lines), then streams them again to extract.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
>>> _ = path.write_text('{"id": "a", "title": "GPT-2 on COCO", "abstract": "We use COCO."}\\n'
...                     '{"id": "a", "title": "Again", "abstract": ""}\\n')
>>> [(p.title, p.abstract) for p in iter_corpus(path)]
[('GPT-2 on COCO', 'We use COCO.'), ('Again', '')]
>>> report = scan_corpus([path])
>>> report.papers, report.distinct, [(d.id, d.source[-8:], d.first[-8:]) for d in report.duplicates]
(2, 1, [('a', '.jsonl:2', '.jsonl:1')])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.corpus.bibtex import bibtex_records
from kg.corpus.csvfile import read_csv
from kg.corpus.jsonfiles import read_json, read_jsonl, read_openalex, read_s2
from kg.corpus.limits import Limits
from kg.corpus.page import read_page
from kg.corpus.source import COMPRESSIONS, Source
from kg.errors import InputError
from kg.paper import PaperRecord

__all__ = ["FORMATS", "Duplicate", "ScanReport", "detect_format", "iter_corpus", "read_corpus", "scan_corpus"]


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
    """Return the corpus format of ``path``: ``fmt`` if given, else from its extension
    (a compression suffix such as ``.xz`` is looked through)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
        return fmt
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in (*COMPRESSIONS, ".zstd"):
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


def iter_corpus(path: str | Path, fmt: str | None = None, *, limits: Limits | None = None) -> Iterator[PaperRecord]:
    """Yield the papers of a corpus file one at a time, holding one record in memory, not the file.

    Parameters
    ----------
    path:
        The file to read (plain, or compressed with gzip, xz, bzip2 or Zstandard).
    fmt:
        One of :data:`FORMATS`; by default chosen from the file extension.
    limits:
        What to accept (default: :meth:`Limits.from_env`, the defaults unless ``KG_MAX_*`` variables say otherwise).

    Raises
    ------
    InputError
        The file is missing, empty, binary, UTF-16, not UTF-8, damaged, over a limit, has bad
        syntax or a bad field, or holds no paper; the message names the file and line (and field).
        Papers before the problem have been yielded already: check with :func:`scan_corpus` first
        when nothing may be written from a bad file.
    """
    path = Path(path)
    yield from _papers(Source(path, limits or Limits.from_env()), detect_format(path, fmt))


def _papers(source: Source, fmt: str) -> Iterator[PaperRecord]:
    count = 0
    for paper in FORMATS[fmt](source):
        count += 1
        yield paper
    if not count:
        raise source.error("no papers found in the file")


def read_corpus(path: str | Path, fmt: str | None = None, *, limits: Limits | None = None) -> list[PaperRecord]:
    """Every paper of a corpus file, as a list (for small files; see :func:`iter_corpus`).

    Raises ``InputError`` as :func:`iter_corpus` does; nothing is returned for a file with an error.
    """
    return list(iter_corpus(path, fmt, limits=limits))


@dataclass(frozen=True)
class Duplicate:
    """A paper whose id was read before: its id, where it is, and where the id was first read."""

    id: str
    source: str
    first: str


@dataclass(frozen=True)
class ScanReport:
    """What :func:`scan_corpus` found: files, papers read (duplicates included), the duplicates in the
    order read, decompressed bytes read, and the seconds it took."""

    files: int
    papers: int
    duplicates: tuple[Duplicate, ...]
    bytes_read: int
    seconds: float

    @property
    def distinct(self) -> int:
        """Papers with an id not read before: what a build keeps."""
        return self.papers - len(self.duplicates)


def scan_corpus(paths: Sequence[str | Path], fmt: str | None = None, *, limits: Limits | None = None) -> ScanReport:
    """Read every input once without keeping its papers: check every record, count the papers and
    find duplicate ids (each with its ``FILE:LINE`` and that of the id's first occurrence).

    The total-size limit (:attr:`Limits.max_total_bytes`) applies to all ``paths`` together.
    Memory grows with the number of distinct ids, not with the records.

    Raises ``InputError`` at the first bad record, as :func:`iter_corpus` does.
    """
    started = time.perf_counter()
    limits = limits or Limits.from_env()
    first: dict[str, str] = {}
    duplicates: list[Duplicate] = []
    papers = read = 0
    for path in map(Path, paths):
        source = Source(path, limits, already_read=read)
        for paper in _papers(source, detect_format(path, fmt)):
            papers += 1
            where = paper.source or str(path)
            seen = first.setdefault(paper.id, where)
            if seen is not where:
                duplicates.append(Duplicate(paper.id, where, seen))
        read += source.bytes_read
    return ScanReport(len(paths), papers, tuple(duplicates), read, time.perf_counter() - started)


FORMATS: Mapping[str, Callable[[Source], Iterator[PaperRecord]]] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "bibtex": bibtex_records,
    "s2": read_s2,
    "openalex": read_openalex,
}
"""The known corpus formats and their readers, each taking a :class:`~kg.corpus.source.Source`."""
