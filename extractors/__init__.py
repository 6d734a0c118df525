"""spaCy components that find datasets, models, methods, tasks and metrics in abstracts.

Each rule is a registered factory writing plain spans to its own
``doc.spans`` group; ``kg_mentions`` merges them into ``doc.spans["kg"]``
(labels ``DATASET``, ``MODEL``, ``METHOD``, ``TASK``, ``METRIC``).
:func:`make_pipeline` assembles them on ``spacy.blank("en")`` or on an
installed trained pipeline.

Examples
--------
>>> nlp = make_pipeline()
>>> doc = nlp("We fine-tune Llama-2 with sparse autoencoders (SAEs) and evaluate on MS COCO.")
>>> [(span.text, span.label_) for span in doc.spans["kg"]]
[('Llama-2', 'MODEL'), ('sparse autoencoders', 'METHOD'), ('SAEs', 'METHOD'), ('MS COCO', 'DATASET')]
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]

from kg.extractors.abbreviations import AbbreviationDetector, Definition, find_definitions
from kg.extractors.context import ContextRules, find_context_names
from kg.extractors.gazetteer import Gazetteer
from kg.extractors.mentions import RULE_CONFIDENCE, MentionMerger
from kg.extractors.shapes import ModelShapes, find_shapes
from kg.extractors.statistical import MODEL_RULE, add_recognizer
from kg.extractors.vocabulary import (
    SPAN_LABELS,
    Entry,
    Vocabulary,
    default_stoplist,
    default_vocabulary,
)
from kg.errors import KGError

__all__ = [
    "COMPONENTS",
    "DEFAULT_EXTRACTOR",
    "EXTRACTORS",
    "MODEL_RULE",
    "RULE_CONFIDENCE",
    "SPAN_LABELS",
    "AbbreviationDetector",
    "ContextRules",
    "Definition",
    "Entry",
    "Gazetteer",
    "MentionMerger",
    "ModelShapes",
    "Vocabulary",
    "default_stoplist",
    "default_vocabulary",
    "find_context_names",
    "find_definitions",
    "find_shapes",
    "make_pipeline",
    "split_names",
]

COMPONENTS = ("kg_gazetteer", "kg_abbreviations", "kg_shapes", "kg_context", "kg_mentions")
"""The rule components, in pipeline order."""

EXTRACTORS = ("rules", "model", "both")
"""What finds the mentions: the rule components, the trained recogniser, or both voting."""

DEFAULT_EXTRACTOR = "rules"
"""The extractor ``kg build`` and ``kg eval`` use unless told otherwise."""


def make_pipeline(
    spacy_model: str | None = None,
    vocabulary: Vocabulary | None = None,
    extractor: str = DEFAULT_EXTRACTOR,
    recognizer: str | None = None,
) -> Language:
    """Return a pipeline with the ``kg`` components added.

    Parameters
    ----------
    spacy_model:
        Name or path of an installed trained spaCy pipeline to add the components
        to; by default ``spacy.blank("en")`` (nothing to download).
    vocabulary:
        The vocabulary to match; by default the one shipped with the package.
    extractor:
        ``"rules"`` (the rule components), ``"model"`` (the trained recogniser of
        :mod:`kg.extractors.statistical`) or ``"both"`` (their spans vote in ``kg_mentions``).
    recognizer:
        Directory of a trained recogniser to use instead of the shipped one.

    Raises
    ------
    KGError
        ``spacy_model`` is not installed, ``extractor`` is unknown, or the trained
        recogniser is missing.
    """
    if extractor not in EXTRACTORS:
        raise KGError(f"unknown extractor {extractor!r}; choose one of {', '.join(EXTRACTORS)}")
    if spacy_model:
        try:
            nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer"])
        except OSError as exc:
            raise KGError(f"cannot load spaCy pipeline {spacy_model!r}: {exc}") from None
    else:
        nlp = spacy.blank("en")
    split_names(nlp)
    rules = COMPONENTS if extractor != "model" else COMPONENTS[-1:]
    for component in rules:
        nlp.add_pipe(component)
    if extractor != "rules":
        add_recognizer(nlp, recognizer, before="kg_mentions")
    if "kg_gazetteer" in nlp.pipe_names:
        gazetteer = nlp.get_pipe("kg_gazetteer")
        assert isinstance(gazetteer, Gazetteer)
        gazetteer.initialize(vocabulary=vocabulary)
    return nlp


def split_names(nlp: Language) -> None:
    """Tokenise names cleanly: "GSM8K." -> "GSM8K" "."; "RefCOCO(+/g)" -> "RefCOCO" "(" "+/g" ")"."""
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[A-Z])\."]
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z]{2})\("]
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
