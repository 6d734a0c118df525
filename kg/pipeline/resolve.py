"""Corpus-level resolution: every mention to one concept, one concept per real thing.

A mention resolves, in order, through

1. an acronym its own paper defines ("SAM" in a paper that says
   "Sharpness-Aware Minimization (SAM)" is that, not Segment Anything);
2. the vocabulary (canonical name, type and family);
3. what the corpus taught: acronyms defined and names proposed in other papers;
4. its own text, typed by the majority of the rules that found it.

Model variants link to their family (``GPT-2 Small`` -> ``GPT-2`` -> ``GPT``), and
methods, tasks and metrics to the broader concept the vocabulary names; datasets
never do (COCO-Stuff is not COCO);
a version suffix (``Medusa-2`` -> ``Medusa``) links only when the family is a
known concept. Generic phrases of the stop list never become concepts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.curation.rules import NEVER, Curation
from kg.extractors.mentions import RULE_CONFIDENCE
from kg.extractors.vocabulary import Entry, Vocabulary
from kg.model import CONCEPT_LABELS, Label, Node, concept_id
from kg.normalize import name_key, singular_phrase, split_variant
from kg.pipeline.extract import DefinedAcronym, Mention, PaperExtraction
from kg.pipeline.memory import CorpusMemory

__all__ = ["Concept", "Resolver"]

_MAX_ALIASES = 25
_LEARNING_RULES = ("abbreviation", "proposal")
_VOCABULARY_RULES = ("vocabulary", "listed")
_NO_FAMILY = ("DATASET",)
"""A dataset derived from another (COCO-Stuff, RefCOCO) is a dataset of its own, not a variant."""
_GUESSING_RULES = ("shape", "context")
"""Rules whose type is a guess: the vocabulary's type overrides it."""


@dataclass
class Concept:
    """A concept being assembled: its id, type, display name, aliases and family."""

    id: str
    label: Label
    name: str
    origin: str
    aliases: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    family: str | None = None
    surfaces: Counter[str] = field(default_factory=Counter)

    def properties(self) -> dict[str, object]:
        """Node properties: ``name``, ``aliases``, ``keys`` (normalised), ``origin``."""
        aliases = sorted(alias for alias in self.aliases if alias != self.name)[:_MAX_ALIASES]
        keys = {name_key(self.name), *self.keys, *(name_key(alias) for alias in aliases)}
        return {"name": self.name, "aliases": aliases, "keys": sorted(keys), "origin": self.origin}


class Resolver:
    """Resolve the mentions of a corpus; seeded with the concepts already in the store."""

    def __init__(self, vocabulary: Vocabulary, stoplist: frozenset[str], existing: Iterable[Node] = (),
                 curation: Curation | None = None):
        self.vocabulary = vocabulary
        self.stoplist = stoplist
        self.curation = curation or Curation()
        self.memory = CorpusMemory()
        self.concepts: dict[str, Concept] = {}
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        for node in existing:
            self._seed(node)

    # -- learning -------------------------------------------------------------------

    def _seed(self, node: Node) -> None:
        if node.label not in CONCEPT_LABELS:
            return
        props = node.properties
        name = str(props.get("name") or node.id)
        aliases = {str(a) for a in props.get("aliases") or []}  # type: ignore[union-attr]
        concept = Concept(node.id, node.label, name, str(props.get("origin") or "corpus"), aliases)
        concept.keys.update(str(k) for k in props.get("keys") or [])  # type: ignore[union-attr]
        self.concepts[node.id] = concept
        if concept.origin == "corpus":
            for alias in {name, *aliases}:
                self.memory.learn(alias, node.label.span_label, name)
                self._votes[name_key(name)][node.label.span_label] += 1

    def learn(self, extractions: Iterable[PaperExtraction]) -> None:
        """Learn acronyms and proposed names, and count the types rules give each name."""
        for extraction in extractions:
            for acronym in extraction.acronyms:
                if acronym.label and name_key(acronym.long) not in self.stoplist:
                    self.memory.learn(acronym.short, acronym.label, acronym.long)
                    self.memory.learn(acronym.long, acronym.label, acronym.long)
            for mention in extraction.mentions:
                if mention.rule in _LEARNING_RULES and name_key(mention.text) not in self.stoplist:
                    self.memory.learn(mention.text, mention.label, mention.canonical or mention.text)
                if mention.rule not in _VOCABULARY_RULES:
                    self._votes[name_key(mention.canonical or mention.text)][mention.label] += 1

    # -- resolving ------------------------------------------------------------------

    def recall(self, extraction: PaperExtraction) -> tuple[Mention, ...]:
        """The paper's mentions plus the learned names found in its text."""
        taken = [(m.start, m.end) for m in extraction.mentions]
        extra = []
        for found in self.memory.scan(extraction.paper.text):
            if any(found.start < end and start < found.end for start, end in taken):
                continue
            sentence, sentence_start = extraction.sentence_at(found.start)
            extra.append(
                Mention(found.text, found.label, found.start, found.end, sentence,
                        sentence_start, "memory", RULE_CONFIDENCE["memory"], found.name)
            )
        return tuple(sorted((*extraction.mentions, *extra), key=lambda m: m.start))

    def resolve(self, extraction: PaperExtraction) -> list[tuple[str, Mention]]:
        """Return ``(concept id, mention)`` for each mention of the paper that names a concept."""
        defined = {name_key(a.short): a for a in extraction.acronyms if a.label}
        links = []
        for mention in self.recall(extraction):
            concept = self._curated(mention, defined)
            if concept is not None:
                concept.surfaces[mention.text] += 1
                concept.aliases.add(mention.text)
                links.append((concept.id, mention))
        return links

    def _curated(self, mention: Mention, defined: dict[str, DefinedAcronym]) -> Concept | None:
        """The mention's concept after the curation rules, tried on what it says and on what it resolved to."""
        if not self.curation:
            return self._concept_for(mention, defined)
        rule = self.curation.redirect(mention.text, mention.label, mention.sentence)
        concept = None if rule else self._concept_for(mention, defined)
        if concept is not None:
            rule = self.curation.redirect(concept.name, concept.label.span_label, mention.sentence)
        if rule == NEVER:
            return None
        if rule is None:
            return concept
        kind, name = rule
        entry = self.vocabulary.lookup(name, kind)
        if entry is not None:
            return self._from_entry(entry)
        label = Label.from_span_label(kind)
        cid = concept_id(label, name)
        found = self.concepts.get(cid)
        if found is None:
            found = self.concepts[cid] = Concept(cid, label, name, "curation")
        return found

    def _concept_for(self, mention: Mention, defined: dict[str, DefinedAcronym]) -> Concept | None:
        key = name_key(mention.text)
        if not key or key in self.stoplist:
            return None
        acronym = defined.get(key)
        target = (acronym.long if acronym else "") or mention.canonical or mention.text
        entry = None if acronym is not None else self._vocabulary_entry(mention)
        if entry is not None:
            variant = self._variant_of_entry(mention, entry)
            return variant or self._from_entry(entry)
        if acronym is not None:
            entry = self.vocabulary.lookup(target)
            if entry is not None:
                return self._from_entry(entry)
        target_key = name_key(target)
        if not target_key or self._generic(target):
            return None
        concept = self._learned(target, target_key, mention.label)
        if acronym is not None or mention.canonical:
            concept.keys.add(key)
        return concept

    def _generic(self, name: str) -> bool:
        """A generic phrase: stop-listed, or one or two modifiers before a stop-listed phrase of
        two words or more ("Multimodal Large Language Models", "Pre-trained language models";
        not "Semantic Query Optimization": one generic word does not make the phrase generic)."""
        words = name.replace("-", " ").split()
        if name_key(name) in self.stoplist:
            return True
        return any(name_key(" ".join(words[skip:])) in self.stoplist for skip in range(1, min(3, len(words) - 1)))

    def _vocabulary_entry(self, mention: Mention) -> Entry | None:
        if mention.rule in _VOCABULARY_RULES:
            return self.vocabulary.lookup(mention.canonical, mention.label)
        if mention.rule == "memory" and mention.canonical:
            found = self.vocabulary.lookup(mention.canonical, mention.label)
            if found is not None:
                return found
        same_type = self.vocabulary.lookup(mention.text, mention.label)
        if same_type is not None or mention.rule not in _GUESSING_RULES:
            return same_type
        return self.vocabulary.lookup(mention.text)

    def _variant_of_entry(self, mention: Mention, entry: Entry) -> Concept | None:
        """A mention like "GPT-2 Small" of the entry "GPT-2": a variant concept linked to the entry."""
        key = name_key(mention.text)
        keys = {name_key(name) for name in entry.names}
        split = split_variant(mention.text)
        if entry.type != "MODEL" or key in keys or split is None or name_key(split[0]) not in keys:
            return None
        own = self.vocabulary.lookup(mention.text, "MODEL")
        if own is not None:
            return self._from_entry(own)
        concept = self._learned(mention.text, key, "MODEL")
        concept.family = self._from_entry(entry).id
        return concept

    def _from_entry(self, entry: Entry) -> Concept:
        label = Label.from_span_label(entry.type)
        cid = concept_id(label, entry.name)
        concept = self.concepts.get(cid)
        if concept is None:
            concept = Concept(cid, label, entry.name, "vocabulary", set(entry.aliases))
            concept.keys.update(name_key(name) for name in entry.names)
            self.concepts[cid] = concept
            if entry.family and entry.type not in _NO_FAMILY:
                family = self.vocabulary.lookup(entry.family, entry.type)
                if family is not None and family is not entry:
                    concept.family = self._from_entry(family).id
        return concept

    def _learned(self, name: str, key: str, fallback_label: str) -> Concept:
        votes = self._votes.get(key)
        span_label = min(votes, key=lambda lab: (-votes[lab], lab)) if votes else fallback_label
        label = Label.from_span_label(span_label)
        family = self._family_of(name) if label is Label.MODEL else None
        if family is not None:
            label = self.concepts[family].label
        cid = f"{label.value.lower()}:{key}"
        concept = self.concepts.get(cid)
        if concept is None:
            concept = Concept(cid, label, singular_phrase(name), "corpus")
            self.concepts[cid] = concept
        if concept.family is None and family != cid:
            concept.family = family
        return concept

    def _family_of(self, name: str) -> str | None:
        split = split_variant(name)
        if split is None:
            return None
        base, kind = split
        entry = self.vocabulary.lookup(base, "MODEL")
        if entry is not None:
            return self._from_entry(entry).id
        base_key = name_key(base)
        known = f"model:{base_key}"
        if kind == "size" or known in self.concepts or self._votes.get(base_key):
            return self._learned(base, base_key, "MODEL").id if base_key not in self.stoplist else None
        return None

    def finish(self) -> dict[str, Concept]:
        """Settle display names (the most common spelling of corpus concepts) and return all concepts."""
        for concept in self.concepts.values():
            if concept.origin == "corpus" and concept.surfaces:
                spelled: Counter[str] = Counter()
                for surface, count in concept.surfaces.items():
                    spelled[singular_phrase(surface)] += count
                long_forms = [s for s in spelled if name_key(s) == concept.id.split(":", 1)[1]]
                if long_forms:
                    concept.name = min(long_forms, key=lambda s: (-spelled[s], s))
            renamed = self.curation.display_name(concept.id.split(":", 1)[1], concept.label.span_label)
            if renamed:
                concept.aliases.add(concept.name)
                concept.name = renamed
        return self.concepts
