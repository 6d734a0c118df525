"""Reading a corpus file's bytes into checked text: decompression, UTF-8, line limits.

Every reader starts here, so every format refuses the same things the same way:
a missing, empty or binary file, text that is not UTF-8 (a BOM is allowed), and
lines longer than :data:`MAX_LINE_CHARS`, each with the file and line.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from kg.errors import InputError

__all__ = ["MAX_LINE_CHARS", "decode", "split_lines"]


MAX_LINE_CHARS = 1_000_000
"""The longest line any reader accepts; a longer one is an error, not a paper."""


def decode(path: Path) -> str:
    """The text of the corpus file ``path`` (gzip-compressed or not), checked; raises ``InputError``."""
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


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, split at line feeds only (``\\r\\n`` too), as editors and JSON Lines count
    them; ``str.splitlines`` would also split at characters JSON strings may hold, such as U+2028.

    >>> split_lines('{"t": "a\\u2028b"}\\r\\n{}')
    ['{"t": "a\\u2028b"}', '{}']
    """
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _check_line_lengths(text: str, path: Path) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                path=path,
                line=number,
            )
