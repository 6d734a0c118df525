"""CSV files with a header row: the fields of :mod:`kg.corpus.records`, ``references`` split at ``;``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from kg.corpus.records import record
from kg.errors import InputError
from kg.paper import PaperRecord

__all__ = ["read_csv"]


def read_csv(text: str, path: Path) -> Iterator[PaperRecord]:
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
            yield record(clean, path, reader.line_num)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None


def _some(names: list[str], most: int = 8, width: int = 30) -> str:
    """A header for a message: at most ``most`` names, each cut to ``width`` characters.

    >>> _some(["id", "x" * 40] + ["c"] * 9)
    'id, xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…, c, c, c, c, c, c, … (11 columns)'
    """
    shown = [name if len(name) <= width else name[: width - 1] + "…" for name in names[:most]]
    return ", ".join(shown) + (f", … ({len(names)} columns)" if len(names) > most else "")
