"""How much input a reader accepts before it refuses: explicit, configurable resource limits.

Every reader streams, so memory is bounded by one record, not by the file; these
limits bound what one record, one file and one build may cost in time and memory,
and make hostile input (a gzip bomb, ``/dev/zero``, an endless pipe, JSON nested
100,000 deep) fail fast with a message naming the limit. The defaults accept any
real corpus we know of, including a saved API response of several hundred MB.

Each limit may be changed in code (``Limits(max_line_chars=...)``) or, for the
command line, through an environment variable (:meth:`Limits.from_env`).

>>> Limits().max_line_chars
1000000
>>> Limits.from_env({"KG_MAX_LINE_CHARS": "5000"}).max_line_chars
5000
>>> Limits.from_env({"KG_MAX_DEPTH": "many"})
Traceback (most recent call last):
...
kg.errors.InputError: KG_MAX_DEPTH must be a positive whole number, not 'many'
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

from kg.errors import InputError

__all__ = ["DEFAULT_LIMITS", "ENVIRONMENT", "Limits"]

_GIB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """The most a reader accepts; going over any of them is an :class:`~kg.errors.InputError`."""

    max_input_bytes: int = 16 * _GIB
    """Bytes of one input once decompressed (the decompressed-size limit; also stops endless pipes)."""
    max_total_bytes: int = 64 * _GIB
    """Bytes of all the inputs of one :func:`~kg.corpus.readers.scan_corpus` together, decompressed."""
    max_line_chars: int = 1_000_000
    """Characters of one line of a line-oriented file (page, JSON Lines, CSV, BibTeX)."""
    max_record_chars: int = 128_000_000
    """Characters of one record of a JSON document (an item of an array or of a saved API response)."""
    max_field_chars: int = 1_000_000
    """Characters of one text field of a record (title, abstract, a CSV cell, a BibTeX field)."""
    max_depth: int = 64
    """Nesting of JSON arrays and objects (a Semantic Scholar or OpenAlex record nests 5 or 6 deep)."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"limit {field.name} must be a positive whole number, not {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, each replaced by its environment variable (see :data:`ENVIRONMENT`) when set.

        Raises ``InputError`` for a value that is not a positive whole number.
        """
        environ = os.environ if environ is None else environ
        changed: dict[str, int] = {}
        for name, variable in ENVIRONMENT.items():
            raw = environ.get(variable, "").strip().replace("_", "")
            if not raw:
                continue
            if not raw.isdigit() or int(raw) < 1 or len(raw) > 20:
                raise InputError(f"{variable} must be a positive whole number, not {environ[variable]!r}")
            changed[name] = int(raw)
        return dataclasses.replace(DEFAULT_LIMITS, **changed)


ENVIRONMENT: Mapping[str, str] = {
    "max_input_bytes": "KG_MAX_INPUT_BYTES",
    "max_total_bytes": "KG_MAX_TOTAL_BYTES",
    "max_line_chars": "KG_MAX_LINE_CHARS",
    "max_record_chars": "KG_MAX_RECORD_CHARS",
    "max_field_chars": "KG_MAX_FIELD_CHARS",
    "max_depth": "KG_MAX_DEPTH",
}
"""The environment variable that sets each limit for ``kg`` commands."""

DEFAULT_LIMITS = Limits()
"""The limits readers apply when given none."""
