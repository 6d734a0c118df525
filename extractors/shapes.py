"""Shape rules: model-like names not in the vocabulary (GPT-2, Llama2, YOLOv8-L, LLaMA3-8B).

A name with letters, at least one capital and a digit, in parts joined by
hyphens or dots, is a model name unless the next word says it is a dataset or
benchmark, or it looks like hardware, a venue, a year tag or a figure
reference. One pass of a compiled regular expression over the text: no token
pattern matcher, which costs far more per document.

Examples
--------
>>> text = "YOLOE-v8-S beats YOLOv8-L and LLaMA3-8B on the XYZ-10 dataset using an A100."
>>> [(text[start:end], label) for start, end, label in find_shapes(text)]
[('YOLOE-v8-S', 'MODEL'), ('YOLOv8-L', 'MODEL'), ('LLaMA3-8B', 'MODEL'), ('XYZ-10', 'DATASET')]
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from kg.extractors.text import doc_text

__all__ = ["ModelShapes", "find_shapes", "make_shapes"]

_DIGITS = re.compile(r"\d+")
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + ".-")
_TOKEN = re.compile(r"[A-Za-z0-9.\-]+")
_SHAPE = re.compile(r"(?=[A-Za-z0-9.\-]*[A-Z])[A-Za-z](?:[A-Za-z0-9]|[.\-](?=[A-Za-z0-9]))*")
_BOUNDARY_BEFORE = frozenset("/@_")
_BOUNDARY_AFTER = frozenset("/@_")
_REJECT = re.compile(
    r"""^(?:
        [A-Za-z]\d+[A-Za-z]?                           # L2, T5, A100, V100, H100 (one letter)
      | (?:RTX|GTX|TPU|TPUv|GPU|CPU|Intel|AMD|NVIDIA|Xeon|Ryzen|Tesla)[\w.\-]*
      | (?:ICLR|NeurIPS|NIPS|ICML|ACL|EMNLP|NAACL|EACL|COLING|CVPR|ICCV|ECCV|AAAI|IJCAI|KDD|
           SIGIR|WWW|WACV|BMVC|ICASSP|INTERSPEECH|LREC|CoNLL|TACL|TPAMI|JMLR|ICRA|IROS)[\-']?\d*
      | (?:COVID|SARS|MERS|CoV|Fig|Figure|Table|Eq|Sec|Section|Appendix|Top|top|Pass|pass|
           Recall|Hits|Hit|MRR|NDCG|nDCG|Acc|R|P|F|mAP|AP|IoU|PSNR|SSIM)[\-@]?[\d.]*\w?
      | (?:SHA|MD|UTF|ISO|IEEE|RFC|IPv|HTTP|MP|H)\-?\d+
      | (?:[A-Z]{1,2}\d{1,2})                          # grid-like codes: B2, AB12
      | [A-Za-z]+\-?\d{4}                              # year tags: ImageNet2012 is in the vocabulary
    )$""",
    re.VERBOSE,
)
_DATASET_AFTER = re.compile(r"\s+(?:dataset|data set|benchmark|corpus|split|test set|suite)s?\b", re.I)
_LETTERS = re.compile(r"[A-Za-z]")
_ADJECTIVE_SUFFIX = re.compile(
    r"-(?:based|like|style|level|scale|sized|size|only|generated|specific|free|aware|guided|"
    r"driven|enhanced|augmented|trained|tuned|initialized|derived|inspired|powered|compatible)$",
    re.I,
)
_BENCHMARK_NAME = re.compile(r"(?:Bench|bench|QA|Eval|GLUE|Set|Corpus|Data)(?:[\-.]?\d+(?:\.\d+)?)?$")


def find_shapes(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, label)`` of each model-shaped name in ``text``; label ``MODEL`` or ``DATASET``."""
    for start, name in _candidates(text):
        suffix = _ADJECTIVE_SUFFIX.search(name)
        if suffix:
            name = name[: suffix.start()]
        if len(_LETTERS.findall(name)) < 2 or _REJECT.match(name):
            continue
        after = text[start + len(name) : start + len(name) + 20]
        dataset = _DATASET_AFTER.match(after) or _BENCHMARK_NAME.search(name)
        yield start, start + len(name), "DATASET" if dataset else "MODEL"


def _candidates(text: str) -> Iterator[tuple[int, str]]:
    """Tokens that hold a digit, a capital and start with a letter: found from their digits.

    Searching for digits first is several times faster than trying a shape
    pattern at every character.
    """
    last_end = -1
    for digits in _DIGITS.finditer(text):
        if digits.start() < last_end:
            continue
        start = digits.start()
        while start > 0 and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        token = _TOKEN.match(text, start)
        if token is None:
            continue
        last_end = token.end()
        if (start and (text[start - 1] in _BOUNDARY_BEFORE or text[start - 1].isalnum())) or (
            token.end() < len(text) and text[token.end()] in _BOUNDARY_AFTER
        ):
            continue
        raw = token.group(0).strip(".-")
        while raw and not raw[0].isalpha():
            raw = raw[1:]
        shape = _SHAPE.fullmatch(raw)
        if shape and any(ch.isdigit() for ch in raw):
            yield start + token.group(0).find(raw), raw


class ModelShapes:
    """Write model-shaped names to ``doc.spans["kg_shape"]`` (``id_`` is ``"shape"``)."""

    def __init__(self, nlp: Language, name: str = "kg_shapes"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, label in find_shapes(doc_text(doc)):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                spans.append(Span(doc, span.start, span.end, label=label, span_id="shape"))
        doc.spans["kg_shape"] = SpanGroup(doc, name="kg_shape", spans=filter_spans(spans))
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("kg_shapes", assigns=["doc.spans"])
def make_shapes(nlp: Language, name: str) -> ModelShapes:
    """Create the ``kg_shapes`` component."""
    return ModelShapes(nlp, name)
