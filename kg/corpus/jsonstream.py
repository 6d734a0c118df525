"""JSON read within limits: one line of JSON Lines, or the items of one large JSON document, streamed.

A JSON document (an array of records, or a saved Semantic Scholar / OpenAlex
response ``{"data": [...]}`` / ``{"results": [...]}``) is parsed one item at a
time with the standard library's C decoder, holding one item and one block of
text, so a 100 MB one-line response reads in bounded memory. Every error names
the line (and column) where it is: the line of the item for a bad field, the
line and column of a syntax error. Nesting deeper than
:attr:`~kg.corpus.limits.Limits.max_depth` is refused before it can exhaust the
stack, and so is an item longer than :attr:`~kg.corpus.limits.Limits.max_record_chars`.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "page.json"
>>> _ = path.write_text('{"meta": {"count": 2},\\n "results": [{"id": 1},\\n {"id": 2}]}')
>>> [(item.line, item.index, item.value, item.shape) for item in document_items(Source(path))]
[(2, 0, {'id': 1}, 'page'), (3, 1, {'id': 2}, 'page')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.corpus.limits import ENVIRONMENT
from kg.corpus.source import Source

__all__ = ["PAGE_KEYS", "Item", "document_items", "load_line", "not_json"]

PAGE_KEYS = ("results", "data")
"""The keys whose array holds the records of a saved response page (OpenAlex, Semantic Scholar)."""

_DECODER = json.JSONDecoder()
_NOT_WHITESPACE = re.compile(r"[^ \t\n\r]")
_HUGE_NUMBER = "a number with more than 4,300 digits; not a paper field"
_SLACK = 16
"""A syntax error this close to the end of the text read so far may only mean that the rest is still unread."""


def not_json(exc: json.JSONDecodeError, column_offset: int = 0) -> str:
    """``not JSON: Expecting value at column 1``; json's messages that end in "at" get no second one."""
    where = "column" if exc.msg.endswith(" at") else "at column"
    column = exc.colno + (column_offset if exc.lineno == 1 else 0)
    return f"not JSON: {exc.msg} {where} {column}"


def _too_deep(source: Source) -> str:
    return (f"JSON nested deeper than {source.limits.max_depth} levels (the limit max_depth, "
            f"env {ENVIRONMENT['max_depth']})")


def _depth(value: Any) -> int:
    """How deep arrays and objects nest in ``value``, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _check_depth(value: Any, text: str, source: Source, line: int) -> None:
    if text.count("[") + text.count("{") > source.limits.max_depth and _depth(value) > source.limits.max_depth:
        raise source.error(_too_deep(source), line)


def load_line(text: str, source: Source, line: int) -> Any:
    """The JSON value of one line; raises ``InputError`` naming the line for bad or too deeply nested JSON."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise source.error(not_json(exc), line) from None
    except ValueError:  # json refuses numbers of more than 4,300 digits
        raise source.error(_HUGE_NUMBER, line) from None
    except RecursionError:
        raise source.error(_too_deep(source), line) from None
    _check_depth(value, text, source, line)
    return value


@dataclass(frozen=True)
class Item:
    """One record of a JSON document: where it starts, its position, its value, and the document's shape
    (``"array"`` of records, ``"page"`` of a response, or one ``"record"``)."""

    line: int
    index: int
    value: Any
    shape: str


class _Reader:
    """A cursor over a document's text: ``text[pos:]`` is unread; ``line`` is the line of ``text[0]``
    and ``column`` the 0-based column where ``text`` starts on it."""

    def __init__(self, source: Source):
        self.source = source
        self.blocks = source.blocks()
        self.text, self.pos, self.line, self.column, self.done = "", 0, 1, 0, False
        self._mark = (0, 1, 0)

    def _more(self) -> bool:
        """Read another block, dropping what is parsed; ``False`` at the end of the file."""
        if self.done:
            return False
        block = next(self.blocks, None)
        if block is None:
            self.done = True
            return False
        self.line, column = self.where()
        self.column = column - 1
        self.text, self.pos = self.text[self.pos :] + block, 0
        self._mark = (0, self.line, self.column)
        return True

    def where(self, pos: int | None = None) -> tuple[int, int]:
        """Line and 1-based column of ``text[pos]`` (counted on from the last position asked for)."""
        pos = self.pos if pos is None else pos
        start, line, column = self._mark if self._mark[0] <= pos else (0, self.line, self.column)
        newlines = self.text.count("\n", start, pos)
        if newlines:
            line, column = line + newlines, pos - self.text.rfind("\n", start, pos) - 1
        else:
            column += pos - start
        self._mark = (pos, line, column)
        return line, column + 1

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end), skipping to it."""
        while True:
            found = _NOT_WHITESPACE.search(self.text, self.pos)
            if found:
                self.pos = found.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self._more():
                return ""

    def expect(self, allowed: str, what: str) -> str:
        found = self.peek()
        if not found or found not in allowed:
            line, column = self.where()
            shown = "the end of the file" if not found else repr(found)
            raise self.source.error(f"not JSON: expected {what} at column {column}, found {shown}", line)
        self.pos += 1
        return found

    def value(self) -> Any:
        """Decode the value at the cursor, reading more text while it may be incomplete."""
        self.peek()
        limit = self.source.limits.max_record_chars
        while True:
            if len(self.text) - self.pos > limit:
                raise self.source.error(f"a record starting here is longer than {limit:,} characters (the limit "
                                        f"max_record_chars, env {ENVIRONMENT['max_record_chars']})", self.where()[0])
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if (exc.pos >= len(self.text) - _SLACK or exc.msg.startswith("Unterminated")) and self._grow():
                    continue
                line, column = self.where(exc.pos)
                raise self.source.error(f"not JSON: {_message(exc)} column {column}", line) from None
            except ValueError:  # json refuses numbers of more than 4,300 digits
                raise self.source.error(_HUGE_NUMBER, self.where()[0]) from None
            except RecursionError:
                raise self.source.error(_too_deep(self.source), self.where()[0]) from None
            if end == len(self.text) and self._grow():
                continue  # a number may go on in the next block
            _check_depth(value, self.text[self.pos : end], self.source, self.where()[0])
            self.pos = end
            return value

    def _grow(self) -> bool:
        """Read until the unparsed text has doubled (so a long record is parsed a few times, not once a block)."""
        wanted = 2 * (len(self.text) - self.pos)
        grew = False
        while self._more():
            grew = True
            if len(self.text) - self.pos >= wanted:
                break
        return grew


def _message(exc: json.JSONDecodeError) -> str:
    return exc.msg if exc.msg.endswith(" at") else f"{exc.msg} at"


def document_items(source: Source, *, sequence: bool = False) -> Iterator[Item]:
    """The records of one JSON document, one at a time: the items of a top-level array, the items of a
    response page's ``results`` / ``data`` array, or the document itself when it is one object. With
    ``sequence``, more documents may follow the first (JSON Lines, or records one after another).

    Raises ``InputError`` naming the line for a syntax error, too deep nesting, a record over the size
    limit, text after the document, or a document that is neither an array nor an object.
    """
    reader = _Reader(source)
    while True:
        first = reader.peek()
        if first == "[":
            yield from _array(reader, "array")
        elif first == "{":
            whole = None
            for item in _object(reader):
                if item.shape != "record":
                    yield item
                else:
                    whole = item
            if whole is not None and not sequence:
                _check_end(reader)
            if whole is not None:
                yield whole
        elif first:
            reader.value()  # a syntax error names itself; a valid scalar is not a corpus
            raise source.error("expected a JSON array or object of paper records", reader.where()[0])
        if not sequence or not reader.peek():
            break
    _check_end(reader)


def _check_end(reader: _Reader) -> None:
    if reader.peek():
        line, column = reader.where()
        raise reader.source.error(f"not JSON: Extra data at column {column}", line)


def _array(reader: _Reader, shape: str) -> Iterator[Item]:
    reader.expect("[", "'['")
    if reader.peek() == "]":
        reader.pos += 1
        return
    index = 0
    while True:
        line = reader.where()[0] if reader.peek() else reader.line
        yield Item(line, index, reader.value(), shape)
        index += 1
        if reader.expect(",]", "',' or ']'") == "]":
            return


def _object(reader: _Reader) -> Iterator[Item]:
    """A response page (its records streamed) or one record (returned whole)."""
    line = reader.where()[0]
    reader.expect("{", "'{'")
    fields: dict[str, Any] = {}
    paged = False
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.peek() != '"':
                line, column = reader.where()
                raise reader.source.error(f"not JSON: Expecting property name enclosed in double quotes at column "
                                          f"{column}", line)
            key = reader.value()
            reader.expect(":", "':'")
            if key in PAGE_KEYS and reader.peek() == "[" and not paged:
                paged = True
                yield from _array(reader, "page")
            else:
                fields[key] = reader.value()
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if not paged:
        yield Item(line, 0, fields, "record")
