"""The last component: one non-overlapping set of typed mentions in ``doc.spans["kg"]``.

``kg_mentions`` reads what the other components found and decides:

* an acronym defined with a typed long form types every other rule's span of
  the same text ("DOEI" proposed, defined as "Dual Optimization ..." -> METHOD),
  and its later uses in the document become mentions too;
* the trained recogniser (``doc.spans["kg_model"]``, rule ``model``) votes with
  the rules: a recognised span that overlaps a vocabulary or acronym name loses
  to it ("BERT pretraining" keeps "BERT", "MS COCO dataset" keeps "MS COCO"), so
  a named concept keeps its canonical name and type; elsewhere it counts as one
  more rule;
* overlapping spans: the longer wins, then the more reliable rule
  (curated vocabulary > abbreviation > proposal > listed names > context = shape = model);
* a model name takes its size or variant suffix along ("GPT-2 Small", "YOLOv8-L").

Each span keeps the type as ``label_``, the rule as ``id_`` and, where known,
the canonical name (vocabulary) or long form (acronym) as ``kb_id_``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.extractors.text import doc_text
from kg.extractors.vocabulary import SPAN_LABELS

__all__ = ["RULE_CONFIDENCE", "MentionMerger", "make_mentions"]

RULE_CONFIDENCE = {
    "vocabulary": 0.95,
    "listed": 0.85,
    "abbreviation": 0.9,
    "proposal": 0.8,
    "memory": 0.75,
    "context": 0.7,
    "shape": 0.65,
    "model": 0.6,
}
"""How often each rule's spans are right, used as the confidence of a mention."""

_PRIORITY = {"vocabulary": 5, "abbreviation": 4, "proposal": 3, "listed": 2, "context": 1, "shape": 1, "model": 1}
_NAMED_RULES = ("vocabulary", "abbreviation")
_SIZE = r"\d+(?:\.\d+)?[BMK]|[SMLXBHN]|XL|XXL|XS|v\d+(?:\.\d+)?"
_WORD = r"Small|Medium|Large|Base|Tiny|Huge|Mini|Nano|Giant|Instruct|Chat|Turbo|Pro|Plus|Ultra|Flash|Lite"
_VARIANT_SUFFIX = re.compile(
    rf"(?:-(?:{_SIZE}|{_WORD}|{_WORD.lower()}|it)|\s(?:\d+(?:\.\d+)?[BM]|{_WORD}|XL|XXL))+(?![\w\-])"
)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    rule: str
    canonical: str

    @property
    def rank(self) -> tuple[int, int, int]:
        return (-(self.end - self.start), -_PRIORITY[self.rule], self.start)


def _occurrences(text: str, short: str) -> Iterator[tuple[int, int]]:
    pattern = rf"(?<![\w\-]){re.escape(short.rstrip('s'))}s?(?![\w\-])"
    for match in re.finditer(pattern, text):
        yield match.start(), match.end()


def _abbreviation_candidates(doc: Doc, hints: dict[str, str]) -> Iterator[_Candidate]:
    for short, long in zip(doc.spans.get("kg_abbrevs", []), doc.spans.get("kg_abbrev_long", [])):
        if short.label_ not in SPAN_LABELS:
            continue
        label = short.label_
        hints[short.text] = hints[long.text] = label
        yield _Candidate(long.start_char, long.end_char, label, "abbreviation", "")
        for start, end in _occurrences(doc_text(doc), short.text):
            yield _Candidate(start, end, label, "abbreviation", long.text)


def _rule_candidates(doc: Doc, group: str, hints: dict[str, str]) -> Iterator[_Candidate]:
    for span in doc.spans.get(group, []):
        label = hints.get(span.text, span.label_)
        yield _Candidate(span.start_char, span.end_char, label, span.id_, span.kb_id_)


def _outvoted(model: Iterable[_Candidate], rules: list[_Candidate]) -> Iterator[_Candidate]:
    """The recogniser's candidates, less those overlapping a vocabulary or acronym name."""
    named = [c for c in rules if c.rule in _NAMED_RULES]
    for candidate in model:
        if not any(candidate.start < n.end and n.start < candidate.end for n in named):
            yield candidate


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    taken: list[tuple[int, int]] = []
    chosen = []
    for candidate in sorted(candidates, key=lambda c: c.rank):
        if candidate.label not in SPAN_LABELS:
            continue
        if any(candidate.start < end and start < candidate.end for start, end in taken):
            continue
        taken.append((candidate.start, candidate.end))
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _with_variant(text: str, candidate: _Candidate) -> int:
    if candidate.label != "MODEL":
        return candidate.end
    suffix = _VARIANT_SUFFIX.match(text, candidate.end)
    return suffix.end() if suffix else candidate.end


class MentionMerger:
    """Merge the rule outputs into ``doc.spans["kg"]``; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "kg_mentions"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        hints: dict[str, str] = {}
        candidates = list(_abbreviation_candidates(doc, hints))
        candidates.extend(_rule_candidates(doc, "kg_vocab", {}))
        for group in ("kg_context", "kg_shape"):
            candidates.extend(_rule_candidates(doc, group, hints))
        candidates.extend(_outvoted(_rule_candidates(doc, "kg_model", hints), candidates))
        spans = []
        text = doc_text(doc)
        for candidate in _select(candidates):
            end = _with_variant(text, candidate)
            span = doc.char_span(candidate.start, end, alignment_mode="expand")
            if span is None:
                continue
            spans.append(
                Span(doc, span.start, span.end, label=candidate.label,
                     kb_id=candidate.canonical, span_id=candidate.rule)
            )
        doc.spans["kg"] = SpanGroup(doc, name="kg", spans=_non_overlapping(spans))
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


@Language.factory("kg_mentions", assigns=["doc.spans"])
def make_mentions(nlp: Language, name: str) -> MentionMerger:
    """Create the ``kg_mentions`` component (add it after the rule components)."""
    return MentionMerger(nlp, name)
