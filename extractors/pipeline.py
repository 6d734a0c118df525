"""The ``kg`` pipeline: the rule components (and the trained recogniser) on a spaCy ``Language``.

Examples
--------
>>> nlp = make_pipeline()
>>> doc = nlp("We fine-tune Llama-2 with sparse autoencoders (SAEs) and evaluate on MS COCO.")
>>> [(span.text, span.label_) for span in doc.spans["kg"]]
[('Llama-2', 'MODEL'), ('sparse autoencoders', 'METHOD'), ('SAEs', 'METHOD'), ('MS COCO', 'DATASET')]
"""

from __future__ import annotations

from re import Pattern

import spacy
from spacy.lang.en import English
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
        to; by default a blank English pipeline, as ``spacy.blank("en")`` (nothing to download).
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
        split_names(nlp)
    else:
        nlp = English(create_tokenizer=_split_names_tokenizer)
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
    suffixes, infixes = _name_affixes(nlp)
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    rules = tokenizer.rules
    tokenizer.rules = {}  # every setter below reloads the special cases: reload them once, at the end
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    tokenizer.rules = rules


def _name_affixes(nlp: Language) -> tuple[list[str | Pattern[str]], list[str | Pattern[str]]]:
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[A-Z])\."]
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z]{2})\("]
    return suffixes, infixes


def _split_names_tokenizer(nlp: Language) -> Tokenizer:
    """The tokenizer of ``spacy.blank("en")`` with :func:`split_names` applied, built in one go
    (setting the rules on a built tokenizer loads its special cases a second time)."""
    defaults = nlp.Defaults
    suffixes, infixes = _name_affixes(nlp)
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=spacy.util.compile_prefix_regex(defaults.prefixes or ()).search,
        suffix_search=spacy.util.compile_suffix_regex(suffixes).search,
        infix_finditer=spacy.util.compile_infix_regex(infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )
