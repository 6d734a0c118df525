"""A corpus file's bytes as checked text, streamed: decompression, UTF-8, lines and size limits.

Every reader starts here, so every format refuses the same things the same way,
each with the file and line: a missing, empty or binary file, UTF-16 or other
text that is not UTF-8 (a UTF-8 byte order mark is allowed), a line longer than
:attr:`~kg.corpus.limits.Limits.max_line_chars`, and more decompressed bytes than
:attr:`~kg.corpus.limits.Limits.max_input_bytes`. Compression is recognised by
content, not by name: gzip, xz, bzip2 and Zstandard. Nothing is held but the
current block (1 MiB) and the current line.

>>> import pathlib, tempfile, lzma
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl.xz"
>>> _ = path.write_bytes(lzma.compress(b'{"title": "T"}\\r\\n\\n{}'))
>>> list(Source(path).lines())
[(1, '{"title": "T"}'), (2, ''), (3, '{}')]
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from kg.corpus.limits import DEFAULT_LIMITS, ENVIRONMENT, Limits
from kg.errors import InputError

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

__all__ = ["BLOCK_BYTES", "COMPRESSIONS", "Source", "compression_of"]

BLOCK_BYTES = 1 << 20
"""Bytes read (and decompressed) at a time."""

COMPRESSIONS = {".gz": "gzip", ".xz": "xz", ".bz2": "bzip2", ".zst": "zstd"}
"""File name suffixes of the compressions read; the content, not the name, decides."""

_CONTINUATION = bytes(range(0x80, 0xC0))
_DAMAGED = (OSError, EOFError, zlib.error, lzma.LZMAError, zstd.ZstdError)


def compression_of(head: bytes) -> str | None:
    """The compression whose magic number starts ``head``, or ``None`` for plain bytes.

    >>> compression_of(b"\\x1f\\x8b\\x08"), compression_of(b"BZh91AY&SY"), compression_of(b"BZh? a title")
    ('gzip', 'bzip2', None)
    """
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return "bzip2"
    return None


class Source:
    """One corpus file, opened lazily and read once, as lines (:meth:`lines`) or text blocks (:meth:`blocks`).

    ``already_read`` is what earlier inputs of the same scan took from the total-size limit.
    """

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS, *, already_read: int = 0):
        self.path = path
        self.limits = limits
        self.bytes_read = 0
        self.compression: str | None = None
        self._budget = min(limits.max_input_bytes, max(0, limits.max_total_bytes - already_read))
        self._budget_name = "max_input_bytes" if self._budget == limits.max_input_bytes else "max_total_bytes"

    def error(self, message: str, line: int | None = None) -> InputError:
        """An ``InputError`` naming this file (and ``line``)."""
        return InputError(message, path=self.path, line=line)

    # -- bytes -----------------------------------------------------------------------

    def _open(self) -> io.BufferedIOBase:
        try:
            raw = open(self.path, "rb")
        except FileNotFoundError:
            raise self.error("no such file") from None
        except IsADirectoryError:
            raise self.error("is a directory, not a corpus file") from None
        except OSError as exc:
            raise self.error(f"cannot read: {exc.strerror}") from None
        except ValueError:
            raise self.error("the file name holds a NUL byte; no such file can exist") from None
        try:
            self.compression = compression_of(raw.peek(16)[:16])
        except OSError as exc:
            raw.close()
            raise self.error(f"cannot read: {exc.strerror}") from None
        if self.compression == "gzip":
            return gzip.GzipFile(fileobj=raw, mode="rb")
        if self.compression == "xz":
            return lzma.LZMAFile(raw, mode="rb")
        if self.compression == "bzip2":
            return bz2.BZ2File(raw, mode="rb")
        if self.compression == "zstd":
            return zstd.ZstdFile(raw, mode="rb")
        return raw

    def _read_blocks(self) -> Iterator[bytes]:
        """Raw (decompressed) blocks, counted against the size limits."""
        with self._open() as stream:
            while True:
                try:
                    block = stream.read(BLOCK_BYTES)
                except _DAMAGED as exc:
                    raise self.error(f"damaged {self.compression} file ({exc})" if self.compression
                                     else f"cannot read: {exc}") from None
                if not block:
                    return
                self.bytes_read += len(block)
                if self.bytes_read > self._budget:
                    raise self._too_big()
                yield block

    def _too_big(self) -> InputError:
        limit = getattr(self.limits, self._budget_name)
        what = "this input holds" if self._budget_name == "max_input_bytes" else "the inputs together hold"
        unpacked = " once decompressed" if self.compression else ""
        return self.error(f"{what} more than {limit:,} bytes{unpacked} (the limit {self._budget_name}, "
                          f"env {ENVIRONMENT[self._budget_name]})")

    def byte_blocks(self) -> Iterator[tuple[int, bytes]]:
        """``(lines before the block, block)``: checked bytes, without a UTF-8 byte order mark.

        Raises ``InputError`` for UTF-16 or UTF-32 text, a NUL byte (binary data), or an empty file.
        """
        lines, seen_text, first = 0, False, True
        for block in self._read_blocks():
            if first:
                block, first = self._check_start(block), False
            nul = block.find(b"\x00")
            if nul >= 0:
                raise self.error("binary data (NUL byte); not a text corpus", lines + block.count(b"\n", 0, nul) + 1)
            seen_text = seen_text or not (block.isspace() or not block)
            yield lines, block
            lines += block.count(b"\n")
        if not seen_text:
            raise self.error("the file is empty")

    def _check_start(self, block: bytes) -> bytes:
        for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                          (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
            if block.startswith(bom):
                raise self.error(f"{name} text (it starts with a {name} byte order mark); re-save the file as UTF-8")
        head = block[:512]
        if len(head) >= 4 and head.count(0) * 3 >= len(head):
            for start, order in ((1, "little-endian"), (0, "big-endian")):
                if not head[start::2].strip(b"\x00") and head[1 - start :: 2].strip(b"\x00"):
                    raise self.error(f"UTF-16 text ({order}, every other byte is NUL); re-save the file as UTF-8")
        return block[3:] if block.startswith(codecs.BOM_UTF8) else block

    # -- text -------------------------------------------------------------------------

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number, line)`` for every line, split at line feeds (``\\r\\n`` too), as editors count them."""
        number, pending = 0, b""
        for _, block in self.byte_blocks():
            parts = block.split(b"\n")
            parts[0] = pending + parts[0]
            pending = parts.pop()
            for raw in parts:
                number += 1
                yield number, self._decode_line(raw, number)
            if len(pending) > self.limits.max_line_chars and self._chars(pending) > self.limits.max_line_chars:
                raise self._line_too_long(number + 1)
        if pending:
            yield number + 1, self._decode_line(pending, number + 1)

    def _decode_line(self, raw: bytes, number: int) -> str:
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self._not_utf8(raw[exc.start], number) from None
        if len(text) > self.limits.max_line_chars:
            raise self._line_too_long(number)
        return text

    @staticmethod
    def _chars(data: bytes) -> int:
        return len(data.translate(None, _CONTINUATION))

    def _line_too_long(self, number: int) -> InputError:
        return self.error(f"line is longer than {self.limits.max_line_chars:,} characters (the limit max_line_chars, "
                          f"env {ENVIRONMENT['max_line_chars']})", number)

    def _not_utf8(self, byte: int, line: int) -> InputError:
        return self.error(f"not valid UTF-8 (byte 0x{byte:02x}); re-save the file as UTF-8", line)

    def blocks(self) -> Iterator[str]:
        """The text in blocks, decoded incrementally (a character split across blocks is kept whole)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines = 0
        for lines, block in self.byte_blocks():
            try:
                yield decoder.decode(block)
            except UnicodeDecodeError as exc:
                line = lines + exc.object[: exc.start].count(b"\n") + 1
                raise self._not_utf8(exc.object[exc.start], line) from None
            lines += block.count(b"\n")
        try:
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise self._not_utf8(exc.object[exc.start], lines + 1) from None
