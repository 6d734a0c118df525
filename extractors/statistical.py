"""The trained recogniser: a small spaCy NER shipped in ``extractors/data/ner``.

The recogniser is spaCy's own transition-based ``ner`` (a CNN over hashed
word features, no static vectors), trained with ``spacy train`` on SciERC's
train split and the abstracts of SciREX's (see ``training/README.md``, which
also scores variants trained with GSAP-NER and TDMSci; ``kg train`` reproduces
it). It is added to a pipeline as ``kg_ner``, followed
by ``kg_model_spans``, which copies what it found into ``doc.spans["kg_model"]``
(labels ``DATASET``, ``MODEL``, ``METHOD``, ``TASK``, ``METRIC``, ``id_`` =
``"model"``) for ``kg_mentions`` to merge with the rules.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> add_recognizer(nlp)
>>> nlp.pipe_names
['kg_ner', 'kg_model_spans']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import registry

from kg.errors import KGError

__all__ = [
    "MODEL_GROUP",
    "MODEL_RULE",
    "ModelSpans",
    "add_recognizer",
    "default_model_path",
    "load_recognizer",
    "make_model_spans",
    "split_names_callback",
]

MODEL_GROUP = "kg_model"
"""The span group the recogniser's mentions go to."""

MODEL_RULE = "model"
"""The ``id_`` of the recogniser's spans: the "rule" name its mentions carry."""

_LABELS = ("DATASET", "MODEL", "METHOD", "TASK", "METRIC")


def default_model_path() -> Path:
    """Where the trained pipeline is shipped inside the package."""
    return Path(str(resources.files("kg.extractors").joinpath("data", "ner")))


def split_names_callback() -> Callable[[Language], Language]:
    """The ``[nlp.after_creation]`` callback of the training config: the rules' tokenizer settings."""

    def split(nlp: Language) -> Language:
        from kg.extractors.pipeline import split_names

        split_names(nlp)
        return nlp

    return split


registry.callbacks.register("kg.split_names.v1", func=split_names_callback)


@lru_cache(maxsize=4)
def load_recognizer(path: str | None = None) -> Language:
    """The trained pipeline at ``path`` (default: the shipped one), loaded once per process.

    Raises
    ------
    KGError
        No trained pipeline at that path.
    """
    where = Path(path) if path else default_model_path()
    if not (where / "config.cfg").exists():
        raise KGError(f"no trained recogniser at {where}; run `kg train` or use --extractor rules")
    return spacy.load(where)


def add_recognizer(nlp: Language, path: str | None = None, *, before: str | None = None) -> None:
    """Add the trained recogniser (``kg_ner``) and ``kg_model_spans`` to ``nlp``.

    Parameters
    ----------
    nlp:
        The pipeline to extend.
    path:
        A trained pipeline directory with an ``ner`` component (default: the shipped one).
    before:
        Name of the component to insert them before (default: at the end).

    Raises
    ------
    KGError
        No trained pipeline at ``path``.
    """
    source = load_recognizer(str(path) if path else None)
    nlp.add_pipe("ner", name="kg_ner", source=source, before=before)
    nlp.add_pipe("kg_model_spans", after="kg_ner")


class ModelSpans:
    """Copy the recogniser's entities into ``doc.spans["kg_model"]`` as plain spans."""

    def __init__(self, nlp: Language, name: str = "kg_model_spans"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, ent.start, ent.end, label=ent.label_, span_id=MODEL_RULE)
            for ent in doc.ents
            if ent.label_ in _LABELS
        ]
        doc.spans[MODEL_GROUP] = SpanGroup(doc, name=MODEL_GROUP, spans=spans)
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("kg_model_spans", assigns=["doc.spans"], requires=["doc.ents"])
def make_model_spans(nlp: Language, name: str) -> ModelSpans:
    """Create the ``kg_model_spans`` component (add it after the trained ``kg_ner``)."""
    return ModelSpans(nlp, name)
