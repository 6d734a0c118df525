"""The compiled gazetteer, cached on disk: built once per vocabulary, loaded in a fraction of a second.

Compiling the gazetteer means tokenising every spelling of every vocabulary name
(tens of thousands of strings) into the lower-case token hashes the
:class:`~spacy.matcher.PhraseMatcher` looks for. That takes seconds and gives the
same result every time, so the result is saved as one JSON file in the user's cache
directory (``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``),
named by a hash of everything it depends on: the vocabulary, the tokenizer's rules,
the source of the modules that compile it, and the versions of ``kg`` and spaCy.
Any change to one of them names another file, so a stale cache is never read. A
cache that cannot be read or written is skipped: the gazetteer compiles as before.

Examples
--------
>>> compiled = Compiled({"kg_vocab:DATASET:COCO": [(1, 2)]}, {"kg_vocab:DATASET:COCO": 0}, {})
>>> Compiled.from_json(compiled.to_json()) == compiled
True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import spacy.about
from spacy.language import Language

from kg.extractors.vocabulary import Vocabulary

__all__ = ["CACHE_ENV", "Compiled", "cache_dir", "cache_key", "load_compiled", "save_compiled"]

CACHE_ENV = "KG_CACHE_DIR"
"""Environment variable naming the cache directory."""
_FORMAT = "1"
_SOURCES = ("gazetteer.py", "vocabulary.py", "compiled.py", "pipeline.py")


@dataclass(frozen=True)
class Compiled:
    """A compiled vocabulary: per match key, its patterns (lower-case token hashes), the index of
    its entry in the vocabulary, and, for entries matched only as written, the exact spellings."""

    patterns: dict[str, list[tuple[int, ...]]]
    entries: dict[str, int]
    exact: dict[str, frozenset[str]]

    def to_json(self) -> str:
        """The JSON text :meth:`from_json` reads."""
        return json.dumps({
            "format": _FORMAT,
            "patterns": {key: [list(p) for p in patterns] for key, patterns in self.patterns.items()},
            "entries": self.entries,
            "exact": {key: sorted(names) for key, names in self.exact.items()},
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Compiled:
        """Read what :meth:`to_json` wrote; raises ``ValueError`` (or ``KeyError``) on anything else."""
        data = json.loads(text)
        if data.get("format") != _FORMAT:
            raise ValueError("not a compiled vocabulary of this format")
        return cls(
            {key: [tuple(p) for p in patterns] for key, patterns in data["patterns"].items()},
            {key: int(index) for key, index in data["entries"].items()},
            {key: frozenset(names) for key, names in data["exact"].items()},
        )


def cache_dir() -> Path:
    """Where compiled vocabularies are kept (see the module docstring)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


def cache_key(nlp: Language, vocabulary: Vocabulary) -> str:
    """A hash of everything the compiled form of ``vocabulary`` on ``nlp``'s tokenizer depends on."""
    digest = hashlib.sha256()
    for part in (_FORMAT, _version(), spacy.about.__version__, repr(vocabulary.entries)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(nlp.tokenizer.to_bytes(exclude=["vocab"]))  # type: ignore[union-attr]
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:32]


def load_compiled(key: str) -> Compiled | None:
    """The compiled vocabulary saved under ``key``, or ``None`` when there is none (or it is unreadable)."""
    try:
        return Compiled.from_json((cache_dir() / f"gazetteer-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_compiled(key: str, compiled: Compiled) -> None:
    """Save ``compiled`` under ``key``, atomically; a cache directory that cannot be written is skipped."""
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(compiled.to_json())
            os.replace(tmp, directory / f"gazetteer-{key}.json")
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        return


def _version() -> str:
    try:
        return metadata.version("kg-papers")
    except metadata.PackageNotFoundError:
        return "unknown"
