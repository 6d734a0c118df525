"""The ``kg`` pipeline: the rule components (and the trained recogniser) on a spaCy ``Language``.

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

# The component modules register their factories on import (the spacy_factories entry points
# register them too, without this import).
from kg.errors import KGError
from kg.extractors import COMPONENTS, DEFAULT_EXTRACTOR, EXTRACTORS
from kg.extractors import abbreviations as _abbreviations  # noqa: F401
from kg.extractors import context as _context  # noqa: F401
from kg.extractors import shapes as _shapes  # noqa: F401
from kg.extractors.gazetteer import Gazetteer
from kg.extractors.mentions import MentionMerger  # noqa: F401
from kg.extractors.statistical import add_recognizer
from kg.extractors.vocabulary import Vocabulary

__all__ = ["make_pipeline", "split_names"]


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
