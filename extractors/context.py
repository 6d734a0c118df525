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
from extractors.text import doc_text

from extractors.heads import head_type, type_from_following

__all__ = ["ContextRules", "find_context_names", "make_context"]

_NAMED = r"(?:[A-Z][a-z0-9]*(?:[A-Z0-9][A-Za-z0-9]*)+|[A-Z]{2,}[a-z]*)(?:[\-.][A-Za-z0-9]+)*"
_CAPITALISED = r"[A-Z][a-z]+(?:-[A-Za-z]+)*"
_PROPOSE_VERB = re.compile(
    r"\b(?:propose|introduce|present|develop|design|build|release|construct|curate|create|"
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
_CALLED = re.compile(
    rf"\b(?:called|named|dubbed|termed|coined)\s+"
    rf"(?P<name>{_NAMED}|(?:{_CAPITALISED}\s+){{0,3}}{_CAPITALISED}(?=\s*[,(.;:]))"
)
_TITLE = re.compile(
    rf"^(?:Towards?\s+)?(?P<name>{_NAMED}|[A-Z][a-z]+(?:-[A-Za-z]+)*|[A-Z][a-z]+\s+{_NAMED})!?\s*:\s+\S"
)
_TITLE_SKIP = frozenset("towards toward survey review position on beyond revisiting rethinking".split())
_VARIANTS = r"(?:\([^)\s]{1,6}\))?"
_DATASET_WORD = re.compile(r"\s(?:dataset|benchmark|corpus|corpora|test set|leaderboard)s?\b")
_DATASET_NAMES_BEFORE = re.compile(
    rf"\b(?:the|on|of|from|across|and)\s"
    rf"(?P<names>{_NAMED}{_VARIANTS}(?:\s*(?:,|and|or|,\s*and)\s*{_NAMED}{_VARIANTS}){{0,6}})$"
)
_DATASET_LIST = re.compile(
    r"\b(?:datasets?|benchmarks?)\s*(?:,\s*)?(?:such as|like|including|namely|:|\()\s*"
    rf"(?P<names>{_NAMED}(?:\s*(?:,|and|or|,\s*and)\s*{_NAMED})*)"
)
_MODEL_WORD = re.compile(r"\s(?:model|architecture|backbone|network)s?\b")
_MODEL_NAME_BEFORE = re.compile(rf"\b(?:the|our)\s(?P<name>{_NAMED})$")
_NAMED_RE = re.compile(_NAMED)
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


def _proposed_names(text: str) -> Iterator[re.Match[str]]:
    for verb in _PROPOSE_VERB.finditer(text):
        if _PROPOSE_SUBJECT.search(text, max(0, verb.start() - 40), verb.start()):
            name = _PROPOSED_NAME.match(text, verb.end())
            if name:
                yield name
    yield from _CALLED.finditer(text)


def _before(word: re.Pattern[str], names: re.Pattern[str], text: str, reach: int) -> Iterator[re.Match[str]]:
    """Matches of ``names`` that end right before a match of ``word``, looking back ``reach`` characters."""
    for found in word.finditer(text):
        match = names.search(text, max(0, found.start() - reach), found.start())
        if match:
            yield match


def _proposals(text: str) -> Iterator[tuple[int, int, str, bool]]:
    names: dict[str, str] = {}
    title_name = _title_name(text)
    for match in _proposed_names(text):
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
        for found in re.finditer(rf"(?<![\w\-/.]){re.escape(name)}(?![\w\-/]|\.\w)", text):
            yield found.start(), found.end(), label, True


def find_context_names(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """Yield ``(start, end, label, proposed)`` for each name the context rules find."""
    yield from _proposals(text)
    for match in _before(_MODEL_WORD, _MODEL_NAME_BEFORE, text, 60):
        if match.group("name") not in _STOP:
            yield match.start("name"), match.end("name"), "MODEL", False
    for match in (*_before(_DATASET_WORD, _DATASET_NAMES_BEFORE, text, 200), *_DATASET_LIST.finditer(text)):
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
