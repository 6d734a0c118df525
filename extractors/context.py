"""Context rules: names the vocabulary does not know, found by the words around them.

* the paper's own contribution: "we propose YOLOE", "we introduce Medusa, a ...",
  and a title of the form "Name: subtitle";
* datasets by their company: "the LVIS benchmark", "on ScienceQA and VQAv2 datasets",
  "benchmarks such as X, Y and Z";
* models by their head word: "the FooNet model".

Proposed names go to ``doc.spans["kg_proposed"]`` as well as ``doc.spans["kg_context"]``.

Examples
--------
>>> text = "Medusa: Fast Decoding\\n\\nWe propose Medusa, a simple method. It beats X on the FooQA benchmark."
>>> [(text[s:e], label, proposed) for s, e, label, proposed in find_context_names(text)]
[('Medusa', 'METHOD', True), ('Medusa', 'METHOD', True), ('FooQA', 'DATASET', False)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from kg.extractors.heads import head_type, type_from_following
from kg.extractors.text import doc_text

__all__ = ["ContextRules", "find_context_names", "make_context"]

# A capital, lower-case letters or digits, then a capital or digit and anything alphanumeric. Written
# without a repeated group inside a repeat: "(?:[A-Z0-9][A-Za-z0-9]*)+" matches the same names but
# backtracks exponentially on a long capitalised word that is not followed by what the pattern wants.
_NAMED = r"(?:[A-Z][a-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z]{2,}[a-z]*)(?:[\-.][A-Za-z0-9]+)*"
_CAPITALISED = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_PROPOSE_STEMS = (
    "propos", "introduc", "present", "develop", "design", "build", "releas", "construct", "curat",
    "creat", "contribut", "call", "name", "dub",
)
_PROPOSE_VERB = re.compile(
    r"(?:propose|introduce|present|develop|design|build|release|construct|curate|create|"
    r"contribute|call|name|dub)[sd]?\s+",
    re.IGNORECASE,
)
_PROPOSE_SUBJECT = re.compile(
    r"(?:\b(?:we|this (?:paper|work|study))\s+(?:\w+ly\s+|first\s+|also\s+|further\s+|then\s+)?"
    r"|\band\s+(?:then\s+|also\s+)?)$",
    re.IGNORECASE,
)
_PROPOSED_NAME = re.compile(
    r"(?i:(?:a|an|the|our)\s+)?"
    r"(?i:(?:new|novel|simple|efficient|effective|unified|general|lightweight|large-scale|"
    r"first|comprehensive|challenging|systematic)\s+)*"
    rf"(?P<name>{_NAMED}(?:\s+{_NAMED})?|(?:{_CAPITALISED}\s+){{1,4}}(?={_CAPITALISED}\s*\()"
    rf"{_CAPITALISED}|{_CAPITALISED}(?=\s*[,(:]))"
)
_CALLED_WORDS = ("called ", "named ", "dubbed ", "termed ", "coined ")
_CALLED_NAME = re.compile(
    rf"\w+\s+(?P<name>{_NAMED}|(?:{_CAPITALISED}\s+){{0,3}}{_CAPITALISED}(?=\s*[,(.;:]))"
)
_TITLE = re.compile(
    rf"^(?:Towards?\s+)?(?P<name>{_NAMED}|[A-Z][a-z]+(?:-[A-Za-z]+)*|[A-Z][a-z]+\s+{_NAMED})!?\s*:\s+\S"
)
_TITLE_SKIP = frozenset("towards toward survey review position on beyond revisiting rethinking".split())
_VARIANTS = r"(?:\([^)\s]{1,6}\))?"
_DATASET_WORDS = ("dataset", "benchmark", "corpus", "corpora", "test set", "leaderboard")
_DATASET_NAMES_BEFORE = re.compile(
    rf"\b(?:the|on|of|from|across|and)\s"
    rf"(?P<names>{_NAMED}{_VARIANTS}(?:\s*(?:,|and|or|,\s*and)\s*{_NAMED}{_VARIANTS}){{0,6}})$"
)
_DATASET_LIST = re.compile(
    r"(?:datasets?|benchmarks?)\s*(?:,\s*)?(?:such as|like|including|namely|:|\()\s*"
    rf"(?P<names>{_NAMED}(?:\s*(?:,|and|or|,\s*and)\s*{_NAMED})*)"
)
_MODEL_WORDS = ("model", "architecture", "backbone", "network")
_MODEL_NAME = re.compile(_NAMED)
_NAMED_RE = re.compile(_NAMED)
_ADJECTIVE = re.compile(r"-(?:based|like|style|level|scale|sized|only|specific|free|aware|guided|driven)$")
_STOP = frozenset(
    "AI ML NLP CV LLM LLMs LM LMs MLLM MLLMs VLM VLMs GPU GPUs CPU API APIs SOTA URL PDF RGB IID OOD "
    "QA NLI NLU NLG RL IR KG KGs DNN DNNs CNN CNNs RNN RNNs GNN GNNs MLP MLPs FFN FFNs "
    "ICLR NeurIPS ICML ACL EMNLP NAACL CVPR ICCV ECCV AAAI IJCAI KDD".split()
)


def _default_type(name: str) -> str:
    return "DATASET" if re.search(r"(?:Bench|bench|QA|Eval|World|GLUE)$", name) else "MODEL"


def _type_of(name: str, text: str, end: int) -> str:
    found = type_from_following(text[end : end + 80])
    if found is None and " " in name:
        found = head_type(name)
    if found is None:
        follow = re.search(rf"\b{re.escape(name)}\s*(?:\([^)]*\))?\s*,?\s+(?:is\s+)?", text[end:])
        if follow:
            found = type_from_following(text[end + follow.end() : end + follow.end() + 60])
    return found or _default_type(name)


def _title_name(text: str) -> str | None:
    title = text.split("\n", 1)[0]
    match = _TITLE.match(title)
    if not match:
        return None
    name = match.group("name").rstrip("!.")
    if name.split()[0].lower() in _TITLE_SKIP or name in _STOP:
        return None
    return name


def _word_starts(low: str, words: tuple[str, ...]) -> list[int]:
    """Where each of ``words`` starts a word in the lower-cased text ``low`` (str.find, no regex scan)."""
    found = []
    for word in words:
        at = low.find(word)
        while at >= 0:
            if at == 0 or not low[at - 1].isalnum():
                found.append(at)
            at = low.find(word, at + 1)
    return sorted(found)


def _proposed_names(text: str, low: str) -> Iterator[re.Match[str]]:
    for at in _word_starts(low, _PROPOSE_STEMS):
        verb = _PROPOSE_VERB.match(text, at)
        if verb and _PROPOSE_SUBJECT.search(text, max(0, at - 40), at):
            name = _PROPOSED_NAME.match(text, verb.end())
            if name:
                yield name
    for at in _word_starts(low, _CALLED_WORDS):
        called = _CALLED_NAME.match(text, at)
        if called:
            yield called


def _model_names(text: str, low: str) -> Iterator[tuple[int, int]]:
    """``the FooNet model``: a named token right after "the"/"our" and right before a model word."""
    for at in _word_starts(low, _MODEL_WORDS):
        if at < 2 or text[at - 1] != " ":
            continue
        start = text.rfind(" ", 0, at - 1) + 1
        if _MODEL_NAME.fullmatch(text, start, at - 1) and low[max(0, start - 4) : start] in ("the ", "our "):
            yield start, at - 1


def _dataset_name_lists(text: str, low: str) -> Iterator[re.Match[str]]:
    for at in _word_starts(low, _DATASET_WORDS):
        if at and text[at - 1].isspace():
            before = _DATASET_NAMES_BEFORE.search(text, max(0, at - 200), at - 1)
            if before:
                yield before
        listed = _DATASET_LIST.match(text, at)
        if listed:
            yield listed


def _proposals(text: str) -> Iterator[tuple[int, int, str, bool]]:
    names: dict[str, str] = {}
    title_name = _title_name(text)
    for match in _proposed_names(text, text.lower()):
        name = match.group("name")
        if name in _STOP or name.lower() in ("we", "this", "a", "an", "the"):
            continue
        names.setdefault(name, _type_of(name, text, match.end("name")))
    if title_name is not None:
        body_start = text.find("\n")
        later = text.find(title_name, body_start) if body_start > 0 else -1
        at = later if later >= 0 else len(title_name)
        names.setdefault(title_name, _type_of(title_name, text, at + len(title_name)))
    for name, label in names.items():
        for start in _occurrences(text, name):
            yield start, start + len(name), label, True


def _occurrences(text: str, name: str) -> Iterator[int]:
    """Where ``name`` stands alone in ``text``: not inside a word, a hyphenated compound, a path or URL."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[at - 1] if at else " "
        after = text[end : end + 2]
        if not (before.isalnum() or before in "_-/.") and not (
            after[:1].isalnum() or after[:1] in "_-/" or (after[:1] == "." and after[1:2].isalnum())
        ):
            yield at
        at = text.find(name, at + 1)


def find_context_names(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """Yield ``(start, end, label, proposed)`` for each name the context rules find."""
    for start, end, label, proposed in _context_names(text):
        if not _ADJECTIVE.search(text, start, end):
            yield start, end, label, proposed


def _context_names(text: str) -> Iterator[tuple[int, int, str, bool]]:
    low = text.lower()
    yield from _proposals(text)
    for start, end in _model_names(text, low):
        if text[start:end] not in _STOP:
            yield start, end, "MODEL", False
    for match in _dataset_name_lists(text, low):
        offset = match.start("names")
        for name in _NAMED_RE.finditer(match.group("names")):
            if name.group(0) not in _STOP:
                yield offset + name.start(), offset + name.end(), "DATASET", False


class ContextRules:
    """Write context-found names to ``doc.spans["kg_context"]`` and proposals to ``"kg_proposed"``."""

    def __init__(self, nlp: Language, name: str = "kg_context"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found, proposed = [], []
        for start, end, label, is_proposed in find_context_names(doc_text(doc)):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            rule = "proposal" if is_proposed else "context"
            found.append(Span(doc, span.start, span.end, label=label, span_id=rule))
            if is_proposed:
                proposed.append(Span(doc, span.start, span.end, label=label, span_id=rule))
        doc.spans["kg_context"] = SpanGroup(doc, name="kg_context", spans=filter_spans(found))
        doc.spans["kg_proposed"] = SpanGroup(doc, name="kg_proposed", spans=filter_spans(proposed))
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("kg_context", assigns=["doc.spans"])
def make_context(nlp: Language, name: str) -> ContextRules:
    """Create the ``kg_context`` component."""
    return ContextRules(nlp, name)
