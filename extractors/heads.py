"""Concept type from a phrase's head word: "... Alignment" is a method, "... benchmark" a dataset.

Examples
--------
>>> head_type("Indirect Object Identification")
'TASK'
>>> head_type("Re-parameterizable Region-Text Alignment")
'METHOD'
>>> head_type("Mixture of Experts")
'METHOD'
>>> head_type("Grounded Symbol System") is None
True
"""

from __future__ import annotations

import re

from kg.normalize import singular

__all__ = ["HEAD_TYPES", "head_type", "head_word", "type_from_following"]

HEAD_TYPES: dict[str, str] = {}
for _type, _words in {
    "DATASET": "dataset benchmark corpus treebank suite testbed collection database leaderboard",
    "MODEL": (
        "model network net transformer machine encoder decoder detector classifier backbone "
        "llm lm mllm vlm gan architecture tokenizer"
    ),
    "METHOD": (
        "method approach framework technique strategy algorithm module mechanism loss objective "
        "paradigm pipeline procedure scheme attention decoding alignment optimization optimisation "
        "regularization normalization augmentation sampling search merging prompting distillation "
        "patching pruning quantization tuning finetuning training pretraining learning mixture "
        "autoencoder router routing embedding contrast"
    ),
    "TASK": (
        "identification detection segmentation classification recognition generation translation "
        "answering estimation retrieval summarization summarisation parsing tracking captioning "
        "completion localization localisation labeling labelling tagging extraction reasoning "
        "understanding inference grounding reconstruction"
    ),
    "METRIC": "score accuracy error rate metric measure precision recall perplexity similarity",
}.items():
    for _word in _words.split():
        HEAD_TYPES[_word] = _type

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_PREPOSITION = re.compile(r"\s(?:of|for|with|on|in|via|from|to|using|over|across|under)\s", re.I)


def head_word(phrase: str) -> str | None:
    """The head of a noun phrase: its last word, ignoring any prepositional tail.

    >>> head_word("Dual Optimization of Embedding Information")
    'optimization'
    """
    stem = _PREPOSITION.split(phrase.replace("-", " "), maxsplit=1)[0]
    words = _WORD.findall(stem)
    if not words:
        return None
    return singular(words[-1].lower())


def head_type(phrase: str) -> str | None:
    """The concept type the head word of ``phrase`` implies, or ``None``."""
    word = head_word(phrase)
    return HEAD_TYPES.get(word) if word else None


def type_from_following(text: str) -> str | None:
    """The type implied by the words that follow a name: ``", a novel approach"``, ``" benchmark"``.

    >>> type_from_following(", a novel plug-and-play approach that ...")
    'METHOD'
    >>> type_from_following(" dataset of 10k images")
    'DATASET'
    """
    match = re.match(
        r"\s*(?:,\s*|\s+is\s+|\s+)?(?:(?:a|an|the|our|new|novel|simple|efficient|"
        r"effective|unified|general|lightweight|[\w-]+-\w+)\s+){0,4}([A-Za-z]+)",
        text,
    )
    if not match:
        return None
    return HEAD_TYPES.get(singular(match.group(1).lower()))
