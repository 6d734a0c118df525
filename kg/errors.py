"""The errors ``kg`` raises. The CLI turns each into a one-line message and exit code 1."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "InputError",
    "one_line",
    "KGError",
    "NotFoundError",
    "QueryError",
    "SchemaError",
    "StoreError",
]


def one_line(text: str) -> str:
    """``text`` fit for one line of a message: characters that are not printable (line breaks, controls,
    lone surrogates) are shown as escapes, since a message may quote hostile input.

    >>> one_line("a title\\nwith\\x85breaks\\ud800")
    'a title\\\\nwith\\\\x85breaks\\\\ud800'
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for char in text)


class KGError(Exception):
    """Root of every error ``kg`` raises on purpose."""


class SchemaError(KGError):
    """A node, edge, label or property that the graph model does not allow."""


class InputError(KGError):
    """A corpus file that cannot be read; names the file and, when known, the line.

    >>> str(InputError("bad JSON", path="papers.jsonl", line=3))
    'papers.jsonl:3: bad JSON'
    """

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.reason = message
        where = self.path or ""
        if where and line is not None:
            where = f"{where}:{line}"
        super().__init__(one_line(f"{where}: {message}" if where else message))


class StoreError(KGError):
    """A store that cannot be opened, read or written; the old contents stay intact."""


class QueryError(KGError):
    """A query that cannot run (bad Cypher, unsupported clause, refused write)."""


class NotFoundError(KGError):
    """A name or id that matches nothing; carries the closest suggestions.

    >>> str(NotFoundError("no dataset named 'COCOO'", suggestions=["COCO", "RefCOCO"]))
    "no dataset named 'COCOO'; did you mean: COCO, RefCOCO?"
    """

    def __init__(self, message: str, *, suggestions: Sequence[str] = ()):
        self.suggestions = list(suggestions)
        if self.suggestions:
            message = f"{message}; did you mean: {', '.join(self.suggestions)}?"
        super().__init__(message)
