"""The curated vocabulary of datasets, models, methods, tasks and metrics.

The vocabulary is data (``extractors/data/vocabulary.jsonl``, one entry per
line); this module loads it, indexes it by normalised key and generates the
spelling variants the phrase matcher looks for.

Examples
--------
>>> vocab = Vocabulary([Entry("COCO", "DATASET", aliases=("MS COCO",))])
>>> vocab.lookup("ms-coco").name
'COCO'
>>> sorted(spelling_variants("GPT-2"))
['GPT 2', 'GPT-2', 'GPT2']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.normalize import name_key, split_variant

__all__ = [
    "SPAN_LABELS",
    "Entry",
    "Vocabulary",
    "default_stoplist",
    "default_vocabulary",
    "spelling_variants",
]

SPAN_LABELS = ("DATASET", "MODEL", "METHOD", "TASK", "METRIC")

_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])[-\s]?(?=\d+(?:\.\d+)?[A-Za-z]?\b)")
_SEPARATOR = re.compile(r"[-\s]")
_PART_START = re.compile(r"(?<=[a-z]{2})(?=[A-Z][A-Za-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")
"""Where a new capitalised part starts inside a word: after two lower-case letters (Super|GLUE, Chat|GPT),
or between capitals and a capitalised word (XL|Net); not in LLaMA, PaLM or RoBERTa."""
_SHORT_YEAR = re.compile(r"^([A-Za-z]*[A-Z][A-Za-z]*)[- ]?(\d{2})$")


@dataclass(frozen=True)
class Entry:
    """One vocabulary concept: canonical name, type, aliases, family and casing rule."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    cased: bool = False
    sources: tuple[str, ...] = field(default=(), compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


def spelling_variants(name: str) -> set[str]:
    """Spellings of ``name`` that mean the same: hyphen, space or nothing between parts,
    an apostrophe before a two-digit year ("WMT14" = "WMT'14"), and a hyphen or space where
    the capitals of a one-word name start a part ("XLNet" = "XL-Net", "SuperGLUE" = "Super GLUE").

    Only the separators that :func:`kg.normalize.name_key` ignores are varied,
    so every variant has the same key as ``name``.

    >>> sorted(spelling_variants("question answering"))
    ['question answering', 'question-answering', 'questionanswering']
    >>> sorted(spelling_variants("WMT14"))
    ['WMT 14', "WMT'14", 'WMT-14', 'WMT14']
    >>> sorted(spelling_variants("XLNet"))
    ['XL Net', 'XL-Net', 'XLNet']
    """
    variants = {name}
    if " " not in name and "-" not in name:
        for boundary in _PART_START.finditer(name):
            for joiner in ("-", " "):
                variants.add(name[: boundary.start()] + joiner + name[boundary.start() :])
    year = _SHORT_YEAR.match(name)
    if year:
        variants.add(f"{year[1]}'{year[2]}")
    for joiner in ("-", " ", ""):
        variants.add(_LETTER_DIGIT.sub(joiner, name))
        if len(name.split()) <= 3:
            variants.add(_SEPARATOR.sub(joiner, name))
    return {variant for variant in variants if variant.strip()}


class Vocabulary:
    """The vocabulary, indexed by normalised key.

    Raises
    ------
    InputError
        An entry with an unknown type, or two entries claiming the same key
        within one type.
    """

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(_without_size_aliases(entry) for entry in entries)
        self._by_key: dict[str, Entry] = {}
        self._by_type_key: dict[tuple[str, str], Entry] = {}
        for entry in self.entries:
            if entry.type not in SPAN_LABELS:
                raise InputError(f"vocabulary entry {entry.name!r} has unknown type {entry.type!r}")
            for alias in entry.names:
                key = name_key(alias)
                if not key:
                    continue
                other = self._by_type_key.setdefault((entry.type, key), entry)
                if other is not entry:
                    raise InputError(
                        f"vocabulary: {alias!r} of {entry.name!r} clashes with {other.name!r}"
                    )
                self._by_key.setdefault(key, entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def lookup(self, name: str, type: str | None = None) -> Entry | None:
        """The entry whose name or alias has the key of ``name`` (of ``type``, if given)."""
        key = name_key(name)
        if type is None:
            return self._by_key.get(key)
        return self._by_type_key.get((type, key))

    @classmethod
    def from_jsonl(cls, path: str | Path) -> Vocabulary:
        """Load a vocabulary file (one JSON entry per line)."""
        entries = []
        where = Path(path)
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    entries.append(_parse_entry(line, where, number))
        return cls(entries)

    def to_jsonl(self, path: str | Path) -> None:
        """Write the vocabulary in the format :meth:`from_jsonl` reads."""
        with open(path, "w", encoding="utf-8") as out:
            for entry in self.entries:
                row: dict[str, object] = {
                    "name": entry.name,
                    "type": entry.type,
                    "aliases": list(entry.aliases),
                    "family": entry.family,
                    "sources": list(entry.sources),
                }
                if entry.cased:
                    row["cased"] = True
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _without_size_aliases(entry: Entry) -> Entry:
    """Drop aliases that are size variants of the entry ("Llama-3-8B" of "Llama 3").

    A size variant is a concept of its own, linked to its family, not a spelling.
    """
    keys = {name_key(name) for name in entry.names}
    aliases = tuple(
        alias
        for alias in entry.aliases
        if not ((split := split_variant(alias)) and split[1] == "size" and name_key(split[0]) in keys)
    )
    return entry if aliases == entry.aliases else replace(entry, aliases=aliases)


def _parse_entry(line: str, path: Path, number: int) -> Entry:
    try:
        row = json.loads(line)
        return Entry(
            name=str(row["name"]),
            type=str(row["type"]),
            aliases=tuple(str(alias) for alias in row.get("aliases") or ()),
            family=row.get("family") or None,
            cased=bool(row.get("cased", False)),
            sources=tuple(row.get("sources") or ()),
        )
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"bad vocabulary entry ({exc})", path=path, line=number) from None


def _data_path(name: str) -> Path:
    return Path(str(resources.files("kg.extractors").joinpath("data", name)))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package (read once per process)."""
    return Vocabulary.from_jsonl(_data_path("vocabulary.jsonl"))


@lru_cache(maxsize=1)
def default_stoplist() -> frozenset[str]:
    """Keys of the generic phrases that never become concepts (``extractors/data/stoplist.txt``)."""
    text = _data_path("stoplist.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(name_key(line) for line in lines if line)
