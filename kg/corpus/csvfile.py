"""CSV files with a header row: the fields of :mod:`kg.corpus.records`, ``references`` split at ``;``.

Read row by row in strict mode: a quote that is never closed, or text after a
closing quote, is an error naming the row's first line, never two rows silently
read as one paper. Blank lines before the header are skipped.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.csv"
>>> _ = path.write_text('title,abstract\\nOne,"An abstract\\n\\nTwo,Another one.\\n')
>>> list(read_csv(Source(path)))
Traceback (most recent call last):
...
kg.errors.InputError: ...papers.csv:2: unterminated quote: the quoted cell opened in the row starting here is never closed
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from kg.corpus.limits import ENVIRONMENT
from kg.corpus.records import Where, record
from kg.corpus.source import Source
from kg.paper import PaperRecord

__all__ = ["read_csv"]


class _Lines:
    """The file's lines for :mod:`csv`, counting how many it took."""

    def __init__(self, source: Source):
        self.lines = source.lines()
        self.taken = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        number, line = next(self.lines)
        self.taken = number
        return line + "\n"


def read_csv(source: Source) -> Iterator[PaperRecord]:
    """Papers of a CSV file; raises ``InputError`` naming the line for a bad header, row or field."""
    csv.field_size_limit(source.limits.max_field_chars)
    lines = _Lines(source)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    while True:
        start = lines.taken + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            raise source.error(_csv_error(str(exc)), start) from None
        if cells is None:
            return
        if header is None:
            if cells and any(cell.strip() for cell in cells):
                header = _header(cells, source, start)
            continue
        if len(cells) > len(header):
            raise source.error("row has more cells than the header", start)
        if all(not cell.strip() for cell in cells):
            continue
        row: dict[str, str | None] = {key: (value if value.strip() else None) for key, value in zip(header, cells)}
        row["abstract"] = row.get("abstract") or ""
        yield record(row, Where(source.path, start, limits=source.limits))


def _header(cells: list[str], source: Source, line: int) -> list[str]:
    header = [name.strip().lower() for name in cells]
    missing = [name for name in ("title", "abstract") if name not in header]
    if missing:
        raise source.error(f"CSV header has no {' or '.join(repr(m) for m in missing)} column "
                           f"(columns: {_some(header) or 'none'})", line)
    return header


def _csv_error(message: str) -> str:
    if message.startswith("unexpected end of data"):
        return "unterminated quote: the quoted cell opened in the row starting here is never closed"
    if message.startswith("field larger than field limit"):
        return (f"a cell is longer than {csv.field_size_limit():,} characters (the limit max_field_chars, "
                f"env {ENVIRONMENT['max_field_chars']})")
    return f"malformed CSV in the row starting here: {message}"


def _some(names: list[str], most: int = 8, width: int = 30) -> str:
    """A header for a message: at most ``most`` names, each cut to ``width`` characters.

    >>> _some(["id", "x" * 40] + ["c"] * 9)
    'id, xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…, c, c, c, c, c, c, … (11 columns)'
    """
    shown = [name if len(name) <= width else name[: width - 1] + "…" for name in names[:most]]
    return ", ".join(shown) + (f", … ({len(names)} columns)" if len(names) > most else "")
