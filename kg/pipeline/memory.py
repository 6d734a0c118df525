"""Corpus memory: names learned in one paper are found in every other paper.

An acronym defined in one abstract ("Indirect Object Identification (IOI)")
or a name a paper proposes ("we propose YOLOE") is learned once; then every
paper of the corpus is scanned for it, so a paper that only writes "IOI" or
"YOLOE" links to the same concept. The scan walks the words of a text once and
looks each up in a dictionary of first words: its cost does not grow with the
number of learned names.

Short names (acronyms, proposed names) match with their exact capitals (and a
plural ``s``); long forms match in any case, singular or plural.

Examples
--------
>>> memory = CorpusMemory()
>>> memory.learn("IOI", "TASK", target="indirect object identification")
>>> memory.learn("indirect object identification", "TASK")
>>> [(m.text, m.label) for m in memory.scan("IOI and Indirect Object Identifications; ioi.")]
[('IOI', 'TASK'), ('Indirect Object Identifications', 'TASK')]
>>> memory.scan("IOI").__next__().name
'indirect object identification'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.normalize import singular

__all__ = ["CorpusMemory", "Found"]

_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+]*(?<![.])")
_MAX_WORDS = 8


@dataclass(frozen=True)
class Found:
    """A learned name found in a text; ``name`` is what it stands for (an acronym's long form)."""

    text: str
    start: int
    end: int
    label: str
    name: str


def _is_exact(name: str) -> bool:
    return any(ch.isupper() for ch in name) and len(name.split()) == 1


def _words(name: str) -> tuple[str, ...]:
    return tuple(match.group(0) for match in _WORDS.finditer(name))


def _fold(word: str) -> str:
    return singular(word.lower())


class CorpusMemory:
    """Learned names and their types, with a one-pass scanner over texts."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        self._names: dict[tuple[str, ...], str] = {}
        self._first: dict[str, set[int]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._names)

    def learn(self, name: str, label: str, target: str | None = None) -> None:
        """Remember ``name`` as a concept of type ``label``, standing for ``target`` (default: itself)."""
        words = _words(name)
        if not words or len(words) > _MAX_WORDS:
            return
        if _is_exact(name):
            key: tuple[str, ...] = (name.rstrip("s") if name.endswith("s") and name[-2:-1].isupper() else name,)
            first = key[0]
        else:
            key = (*(word.lower() for word in words[:-1]), _fold(words[-1]))
            first = key[0]
        self._labels[key][label] += 1
        self._names.setdefault(key, target or name)
        self._first[first].add(len(key))

    def learn_all(self, names: Iterable[tuple[str, str, str | None]]) -> None:
        """Remember each ``(name, label, target)``."""
        for name, label, target in names:
            self.learn(name, label, target)

    def label_of(self, key: tuple[str, ...]) -> str:
        """The most common type given to a learned name (ties: alphabetical)."""
        counts = self._labels[key]
        return min(counts, key=lambda label: (-counts[label], label))

    def scan(self, text: str) -> Iterator[Found]:
        """Yield the learned names in ``text``, longest first at each position, not overlapping."""
        words = list(_WORDS.finditer(text))
        index = 0
        while index < len(words):
            found = self._match_at(words, index, text)
            if found is None:
                index += 1
                continue
            yield found[0]
            index += found[1]

    def _match_at(self, words: list[re.Match[str]], index: int, text: str) -> tuple[Found, int] | None:
        word = words[index].group(0)
        exact = word[:-1] if word.endswith("s") and word[-2:-1].isupper() else word
        if (exact,) in self._labels:
            return self._found(words, index, 1, (exact,)), 1
        lengths = self._first.get(word.lower())
        if not lengths:
            return None
        for length in sorted(lengths, reverse=True):
            part = words[index : index + length]
            if len(part) < length or not _adjacent(text, part):
                continue
            key = (*(m.group(0).lower() for m in part[:-1]), _fold(part[-1].group(0)))
            if key in self._labels:
                return self._found(words, index, length, key), length
        return None

    def _found(self, words: list[re.Match[str]], index: int, length: int, key: tuple[str, ...]) -> Found:
        start, end = words[index].start(), words[index + length - 1].end()
        text = words[index].string[start:end]
        return Found(text, start, end, self.label_of(key), self._names[key])


def _adjacent(text: str, part: list[re.Match[str]]) -> bool:
    """True when the words are separated only by spaces or hyphens (not punctuation)."""
    return all(
        text[left.end() : right.start()] in (" ", "-") for left, right in zip(part, part[1:])
    )
