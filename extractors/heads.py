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


_FOLLOWING = re.compile(r"\s*(?:,\s*|\s+(?:is|are)\s+|\s+)")
_PHRASE_END = re.compile(
    r"[.;:,()\[\]]|(?<!\S)(?:which|that|to|for|with|and|or|in|on|of|by|from|where|whose|based|we|it|is|are|"
    r"can|could|uses?|using|achieves?|outperforms?)(?!\S)",
    re.IGNORECASE,
)


def type_from_following(text: str) -> str | None:
    """The type implied by the noun phrase that follows a name: ``", a novel approach"``, ``" benchmark"``.

    The phrase runs to the first punctuation or function word (at most eight words);
    its last word with a known type decides.

    >>> type_from_following(", a novel plug-and-play approach that ...")
    'METHOD'
    >>> type_from_following(" dataset of 10k images")
    'DATASET'
    >>> type_from_following(", the first large-scale multimodal alignment probing benchmark for ...")
    'DATASET'
    >>> type_from_following(", an elaborate image tokenizer that empowers LLMs")
    'MODEL'
    """
    lead = _FOLLOWING.match(text)
    rest = text[lead.end() if lead else 0 : 160]
    stop = _PHRASE_END.search(rest)
    words = re.findall(r"[A-Za-z]+", rest[: stop.start() if stop else len(rest)])[:8]
    for word in reversed(words):
        found = HEAD_TYPES.get(singular(word.lower()))
        if found:
            return found
    return None
