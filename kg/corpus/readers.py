"""Corpus readers: listing pages, JSON Lines, JSON, CSV, BibTeX and saved Semantic Scholar /
OpenAlex responses into :class:`PaperRecord` (gzip-compressed files too).

Every reader decodes strict UTF-8 (a BOM is allowed), refuses binary files and
over-long lines, and raises :class:`~kg.errors.InputError` naming the file and
line of the first problem. Nothing is returned for a file with an error, so a
build that fails here never touches the store.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
>>> _ = path.write_text('{"title": "GPT-2 on COCO", "abstract": "We use COCO."}\\n')
>>> [(p.title, p.abstract) for p in read_corpus(path)]
[('GPT-2 on COCO', 'We use COCO.')]
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of
from kg.corpus.scholarly import bibtex_records, scholarly_records, source_of

__all__ = ["FORMATS", "MAX_LINE_CHARS", "detect_format", "read_corpus"]

MAX_LINE_CHARS = 1_000_000
"""The longest line any reader accepts; a longer one is an error, not a paper."""

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
_FIELDS = ("id", "title", "abstract", "year", "authors", "url", "doi", "arxiv_id")
_MIN_ABSTRACT_WORDS = 25
_MAX_TITLE_CHARS = 400
_SENTENCE_END = re.compile(r"[.!?)\]}]\s")


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
        :data:`MAX_LINE_CHARS`, or a record without a title; the message names
        the file and line.
    """
    path = Path(path)
    reader = FORMATS[detect_format(path, fmt)]
    text = _decode(path)
    papers = list(reader(text, path))
    if not papers:
        raise InputError("no papers found in the file", path=path)
    return papers


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a corpus file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"damaged gzip file ({exc})", path=path) from None
    if not data.strip():
        raise InputError("the file is empty", path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError("binary data (NUL byte); not a text corpus", path=path, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    _check_line_lengths(text, path)
    return text


def _lines(text: str) -> list[str]:
    """The lines of ``text``, split at line feeds only (``\\r\\n`` too), as editors and JSON Lines count
    them; ``str.splitlines`` would also split at characters JSON strings may hold, such as U+2028.

    >>> _lines('{"t": "a\\u2028b"}\\r\\n{}')
    ['{"t": "a\\u2028b"}', '{}']
    """
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _check_line_lengths(text: str, path: Path) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(_lines(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                path=path,
                line=number,
            )


# -- listing page -------------------------------------------------------------


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(first line number, text)`` of each blank-line separated block."""
    start, lines = 0, list[str]()
    for number, line in enumerate(_lines(text), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            yield start, " ".join(lines)
            lines = []
    if lines:
        yield start, " ".join(lines)


def _is_abstract(block: str) -> bool:
    return len(block.split()) >= _MIN_ABSTRACT_WORDS and bool(_SENTENCE_END.search(block + " "))


def _is_title(block: str) -> bool:
    return len(block) <= _MAX_TITLE_CHARS and not _is_abstract(block)


def _read_page(text: str, path: Path) -> Iterator[PaperRecord]:
    """A saved listing page: page chrome, then title line / abstract paragraph pairs.

    A block is a title when the block after it is an abstract (at least 25 words
    and a sentence end) and it is not one itself; any other block is page chrome.
    """
    blocks = list(_blocks(text))
    for (line, title), (_, abstract) in zip(blocks, blocks[1:]):
        if _is_title(title) and _is_abstract(abstract):
            yield PaperRecord.create(title=title, abstract=abstract, source=f"{path}:{line}")


# -- JSON Lines, JSON and CSV ---------------------------------------------------


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


def _record(row: Mapping[str, Any], path: Path, line: int) -> PaperRecord:
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


def _json_lines(text: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-blank line."""
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(_not_json(exc), path=path, line=number) from None
        if not isinstance(row, dict):
            raise InputError(f"expected a JSON object, got {type(row).__name__}", path=path, line=number)
        yield number, row


def _read_jsonl(text: str, path: Path) -> Iterator[PaperRecord]:
    """One paper per line: our fields, or a Semantic Scholar / OpenAlex record (recognised by its ids)."""
    for number, row in _json_lines(text, path):
        if source_of(row) is not None:
            yield from scholarly_records(row, f"{path}:{number}")
        else:
            yield _record(row, path, number)


def _not_json(exc: json.JSONDecodeError) -> str:
    """``not JSON: Expecting value at column 1``; json's messages that end in "at" get no second one."""
    where = "column" if exc.msg.endswith(" at") else "at column"
    return f"not JSON: {exc.msg} {where} {exc.colno}"


def _load_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(_not_json(exc), path=path, line=exc.lineno) from None


def _read_json(text: str, path: Path) -> Iterator[PaperRecord]:
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
        yield _record(row, path, index + 1)


def _read_s2(text: str, path: Path) -> Iterator[PaperRecord]:
    yield from _read_scholarly(text, path, "s2")


def _read_openalex(text: str, path: Path) -> Iterator[PaperRecord]:
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


def _read_bibtex(text: str, path: Path) -> Iterator[PaperRecord]:
    if "@" not in text:  # no entry can start: spare bibtexparser's slow scan (about 140 KB/s) of other text
        return
    yield from bibtex_records(text, str(path))


def _read_csv(text: str, path: Path) -> Iterator[PaperRecord]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("title", "abstract") if name not in header]
    if missing:
        raise InputError(
            f"CSV header has no {' or '.join(repr(m) for m in missing)} column "
            f"(columns: {_some(header) or 'none'})",
            path=path,
            line=1,
        )
    reader.fieldnames = header
    try:
        for row in reader:
            if None in row:
                raise InputError("row has more cells than the header", path=path, line=reader.line_num)
            if all(not (value or "").strip() for value in row.values()):
                continue
            clean = {key: (value if value and value.strip() else None) for key, value in row.items()}
            clean["abstract"] = row.get("abstract") or ""
            yield _record(clean, path, reader.line_num)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None


def _some(names: list[str], most: int = 8, width: int = 30) -> str:
    """A header for a message: at most ``most`` names, each cut to ``width`` characters.

    >>> _some(["id", "x" * 40] + ["c"] * 9)
    'id, xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…, c, c, c, c, c, c, … (11 columns)'
    """
    shown = [name if len(name) <= width else name[: width - 1] + "…" for name in names[:most]]
    return ", ".join(shown) + (f", … ({len(names)} columns)" if len(names) > most else "")


FORMATS: Mapping[str, Callable[[str, Path], Iterator[PaperRecord]]] = {
    "page": _read_page,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "bibtex": _read_bibtex,
    "s2": _read_s2,
    "openalex": _read_openalex,
}
"""The known corpus formats and their readers."""
