"""Acronym definitions: "Sparse autoencoders (SAEs)" makes SAE and the long form one concept.

Pure helpers first (:func:`find_definitions`, a Schwartz & Hearst style
matcher), then the I/O-free component, then its registered factory
``kg_abbreviations``. The component writes two aligned span groups:
``doc.spans["kg_abbrevs"]`` (the short forms; ``kb_id_`` holds the long form
text, ``label_`` the inferred type or ``"ABBR"``) and
``doc.spans["kg_abbrev_long"]`` (the long forms).

Examples
--------
>>> [(d.short, d.long) for d in find_definitions(
...     "We study Indirect Object Identification (IOI) with sparse autoencoders (SAEs).")]
[('IOI', 'Indirect Object Identification'), ('SAEs', 'sparse autoencoders')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.extractors.heads import head_type, type_from_following
from kg.extractors.text import doc_text

__all__ = ["AbbreviationDetector", "Definition", "find_definitions", "make_abbreviations"]

_PAREN = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-+.&/]{0,11}?)\s*\)")
_COMMA = re.compile(r", (?=[A-Z])")
_SHORT_BEFORE = re.compile(r"(?<![\w\-])([A-Z][A-Za-z0-9\-]{1,11})$")
_LONG_AFTER = re.compile(
    r"((?:[A-Z][\w\-]*\s+(?:(?:of|for|and|the|in|with|to)\s+)?){1,8}?[A-Z][\w\-]*)(?=\s*[,.;:(])"
)
_WINDOW = 200
_WORD_SPLIT = re.compile(r"[\s]+")
_LEADING_NOISE = re.compile(
    r"^(?:(?:we|our|the|a|an|this|that|these|those|of|to|in|on|and|or|with|by|for|as|is|are|"
    r"called|named|termed|dubbed|namely|propose|introduce|present|use|using|i\.e\.|e\.g\.)\s+)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Definition:
    """A short form defined in the text, with character offsets of both forms."""

    short: str
    long: str
    short_start: int
    long_start: int
    label: str | None

    @property
    def short_end(self) -> int:
        return self.short_start + len(self.short)

    @property
    def long_end(self) -> int:
        return self.long_start + len(self.long)


def _is_short_form(text: str) -> bool:
    """An acronym: 2-12 characters, two capitals at least ("SAE", "MoE"); a word with one
    capital ("Monet", "Glider") is a name, whose letters may not spell out anything."""
    letters = sum(ch.isalpha() for ch in text)
    capitals = sum(ch.isupper() for ch in text)
    return 2 <= len(text) <= 12 and letters >= 2 and capitals >= 2 and " " not in text


def _strip_plural(short: str) -> str:
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        return short[:-1]
    return short


def best_long_form(short: str, candidate: str) -> str | None:
    """The shortest tail of ``candidate`` whose letters spell ``short`` (Schwartz & Hearst 2003).

    >>> best_long_form("RepRTA", "we propose Re-parameterizable Region-Text Alignment")
    'Re-parameterizable Region-Text Alignment'
    """
    s_index, l_index = len(short) - 1, len(candidate) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = max(candidate.rfind(" ", 0, l_index + 1), candidate.rfind("-", 0, l_index + 1)) + 1
    if start > 0 and candidate[start - 1] == "-":
        start = candidate.rfind(" ", 0, start) + 1
    return candidate[start:]


def _long_form(short: str, before: str) -> str | None:
    core = _strip_plural(short)
    words = _WORD_SPLIT.split(before.rstrip())
    window = " ".join(words[-min(len(core) + 5, 2 * len(core)) :])
    window = re.split(r"[;:,.!?\[\]()]\s", window)[-1]
    long = best_long_form(core, window)
    if long is None:
        return None
    long = _LEADING_NOISE.sub("", long).strip()
    if len(long) <= len(short) or len(long.split()) < 2 and "-" not in long:
        return None
    if long.split()[0][0].lower() != core[0].lower():
        return None
    return long


def _following_type(long: str, after: str) -> str | None:
    """The type the words after the definition give, for a long form that is a name.

    A long form in lower case is a common phrase modifying the head noun that follows
    ("auto-regressive (AR) models", "a question-answer (QA) dataset"): a kind of model or
    dataset, not the name of one, so it gets no model or dataset type. Methods and tasks are
    named in lower case ("chain-of-thought (CoT) prompting") and keep theirs.

    >>> _following_type("auto-regressive", " models. While"), _following_type("Segment Anything", " model, a")
    (None, 'MODEL')
    """
    label = type_from_following(after)
    if label in ("MODEL", "DATASET") and not any(ch.isupper() for ch in long):
        return None
    return label


def find_definitions(text: str) -> list[Definition]:
    """Every ``long form (SHORT)`` and ``SHORT, Long Form,`` definition in ``text``."""
    found: list[Definition] = []
    for match in _PAREN.finditer(text):
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in "_("):
            continue
        short = match.group(1).rstrip(".-")
        if not _is_short_form(short):
            continue
        long = _long_form(short, text[max(0, match.start() - _WINDOW) : match.start()])
        if long is None:
            continue
        long_start = text.rfind(long, 0, match.start())
        label = head_type(long) or _following_type(long, text[match.end() : match.end() + 60])
        found.append(Definition(short, long, match.start(1), long_start, label))
    found.extend(_appositions(text))
    return sorted(found, key=lambda d: d.short_start)


def _appositions(text: str) -> list[Definition]:
    """``SHORT, Long Form Words,``: a short form followed by its spelled-out capitalised long form."""
    found = []
    for comma in _COMMA.finditer(text):
        before = _SHORT_BEFORE.search(text, max(0, comma.start() - 12), comma.start())
        if before is None or not _is_short_form(before.group(1)):
            continue
        after = _LONG_AFTER.match(text, comma.end())
        if after is None:
            continue
        short, long = before.group(1), after.group(1)
        if best_long_form(_strip_plural(short), long) == long:
            label = head_type(long) or _following_type(long, text[after.end() : after.end() + 60])
            found.append(Definition(short, long, before.start(1), after.start(1), label))
    return found


class AbbreviationDetector:
    """Finds acronym definitions and records both forms as span groups."""

    def __init__(self, nlp: Language, name: str = "kg_abbreviations"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        shorts, longs = [], []
        for definition in find_definitions(doc_text(doc)):
            short = doc.char_span(definition.short_start, definition.short_end, alignment_mode="expand")
            long = doc.char_span(definition.long_start, definition.long_end, alignment_mode="expand")
            if short is None or long is None:
                continue
            label = definition.label or "ABBR"
            shorts.append(Span(doc, short.start, short.end, label=label, kb_id=definition.long))
            longs.append(Span(doc, long.start, long.end, label=label, kb_id=definition.short))
        doc.spans["kg_abbrevs"] = SpanGroup(doc, name="kg_abbrevs", spans=shorts)
        doc.spans["kg_abbrev_long"] = SpanGroup(doc, name="kg_abbrev_long", spans=longs)
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("kg_abbreviations", assigns=["doc.spans"])
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    """Create the ``kg_abbreviations`` component."""
    return AbbreviationDetector(nlp, name)
