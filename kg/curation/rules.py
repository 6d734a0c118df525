"""The curation file: corrections a person makes once and every build keeps.

``kg-curation.toml`` (TOML, read with the standard library) holds four kinds of
rules; names match in any spelling (through :func:`kg.normalize.name_key`) and
``type`` (dataset, model, method, task, metric) narrows a rule to one type::

    [[merge]]                     # these names are one concept
    names = ["Llama 2 Chat", "Llama-2-chat"]
    into = "Llama 2"
    type = "model"

    [[split]]                     # one name, two things: the sentence decides
    name = "SGD"
    type = "method"
    when = ["dialogue", "schema-guided"]
    into = "Schema-Guided Dialogue"
    into_type = "dataset"

    [[never]]                     # never a concept
    names = ["DR", "KB"]

    [[rename]]                    # the name to show
    name = "sparse autoencoder"
    to = "sparse autoencoder (SAE)"

A build applies the rules as it resolves mentions (:meth:`Curation.redirect`);
``kg curate apply`` applies them to a stored graph (:mod:`kg.curation.apply`).

Examples
--------
>>> rules = Curation.parse('[[merge]]\\nnames = ["GPT2-XL"]\\ninto = "GPT-2"\\n', "kg-curation.toml")
>>> rules.redirect("gpt-2 xl", "MODEL", "We use GPT-2 XL.")
('MODEL', 'GPT-2')
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.normalize import name_key

__all__ = ["DEFAULT_FILE", "TYPES", "Curation", "Merge", "Rename", "Split"]

DEFAULT_FILE = "kg-curation.toml"
TYPES = ("DATASET", "MODEL", "METHOD", "TASK", "METRIC")
NEVER = ("NEVER", "")


@dataclass(frozen=True)
class Merge:
    keys: frozenset[str]
    into: str
    type: str | None


@dataclass(frozen=True)
class Split:
    key: str
    type: str | None
    when: tuple[str, ...]
    into: str
    into_type: str


@dataclass(frozen=True)
class Rename:
    key: str
    to: str
    type: str | None


@dataclass(frozen=True)
class Curation:
    """Parsed rules; an empty one changes nothing."""

    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    never: frozenset[tuple[str, str | None]] = frozenset()
    renames: tuple[Rename, ...] = ()
    source: str = field(default="", compare=False)

    @classmethod
    def load(cls, path: str | Path) -> Curation:
        """Read a curation file; ``InputError`` names the file and the rule at fault."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the curation file: {exc.strerror}", path=path) from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str) -> Curation:
        """Parse curation TOML (see the module docstring)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not TOML: {exc}", path=source) from None
        unknown = set(data) - {"merge", "split", "never", "rename"}
        if unknown:
            raise InputError(f"unknown section(s) {sorted(unknown)}; use merge, split, never, rename", path=source)
        return cls(
            tuple(_merge(rule, f"{source}: merge #{n}") for n, rule in enumerate(_rules(data, "merge", source), 1)),
            tuple(_split(rule, f"{source}: split #{n}") for n, rule in enumerate(_rules(data, "split", source), 1)),
            frozenset(pair for n, rule in enumerate(_rules(data, "never", source), 1)
                      for pair in _never(rule, f"{source}: never #{n}")),
            tuple(_rename(rule, f"{source}: rename #{n}") for n, rule in enumerate(_rules(data, "rename", source), 1)),
            source,
        )

    def __bool__(self) -> bool:
        return bool(self.merges or self.splits or self.never or self.renames)

    def is_never(self, key: str, label: str) -> bool:
        """True when the name ``key`` of type ``label`` must not become a concept."""
        return (key, None) in self.never or (key, label) in self.never

    def redirect(self, name: str, label: str, sentence: str) -> tuple[str, str] | None:
        """Where a mention called ``name`` of type ``label`` in ``sentence`` goes:
        ``(type, name)`` of its concept, ``NEVER`` for none, or ``None`` when no rule applies."""
        key = name_key(name)
        if self.is_never(key, label):
            return NEVER
        lowered = sentence.casefold()
        for split in self.splits:
            if split.key == key and split.type in (None, label) and any(w in lowered for w in split.when):
                return split.into_type, split.into
        for merge in self.merges:
            if key in merge.keys and merge.type in (None, label):
                return merge.type or label, merge.into
        return None

    def display_name(self, key: str, label: str) -> str | None:
        """The name a rename rule gives the concept with name key ``key``, if any."""
        return next((r.to for r in self.renames if r.key == key and r.type in (None, label)), None)


def _rules(data: Mapping[str, Any], section: str, source: str) -> list[Mapping[str, Any]]:
    rules = data.get(section, [])
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        raise InputError(f"[[{section}]] must be a list of tables", path=source)
    return rules


def _text(rule: Mapping[str, Any], name: str, where: str) -> str:
    value = rule.get(name)
    if not isinstance(value, str) or not value.strip() or not name_key(value):
        raise InputError(f"field {name!r} must be a non-empty name", path=where)
    return value.strip()


def _names(rule: Mapping[str, Any], where: str) -> list[str]:
    value = rule.get("names")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and name_key(v) for v in value):
        raise InputError("field 'names' must be a non-empty list of names", path=where)
    return value


def _type(rule: Mapping[str, Any], name: str, where: str, required: bool = False) -> str | None:
    value = rule.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or value.upper() not in TYPES:
        raise InputError(f"field {name!r} must be one of {', '.join(t.lower() for t in TYPES)}", path=where)
    return value.upper()


def _check_fields(rule: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
    extra = set(rule) - set(allowed)
    if extra:
        raise InputError(f"unknown field(s) {sorted(extra)}; allowed: {', '.join(allowed)}", path=where)


def _merge(rule: Mapping[str, Any], where: str) -> Merge:
    _check_fields(rule, ("names", "into", "type"), where)
    into = _text(rule, "into", where)
    return Merge(frozenset(name_key(n) for n in (*_names(rule, where), into)), into, _type(rule, "type", where))


def _split(rule: Mapping[str, Any], where: str) -> Split:
    _check_fields(rule, ("name", "type", "when", "into", "into_type"), where)
    when = rule.get("when")
    if not isinstance(when, list) or not when or not all(isinstance(w, str) and w.strip() for w in when):
        raise InputError("field 'when' must be a non-empty list of words", path=where)
    into_type = _type(rule, "into_type", where, required=True)
    assert into_type is not None
    return Split(name_key(_text(rule, "name", where)), _type(rule, "type", where),
                 tuple(w.casefold().strip() for w in when), _text(rule, "into", where), into_type)


def _never(rule: Mapping[str, Any], where: str) -> list[tuple[str, str | None]]:
    _check_fields(rule, ("names", "type"), where)
    kind = _type(rule, "type", where)
    return [(name_key(n), kind) for n in _names(rule, where)]


def _rename(rule: Mapping[str, Any], where: str) -> Rename:
    _check_fields(rule, ("name", "to", "type"), where)
    return Rename(name_key(_text(rule, "name", where)), _text(rule, "to", where), _type(rule, "type", where))
