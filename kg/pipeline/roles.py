"""The role a paper gives a concept, read from the words before the mention in its sentence.

========================  =====================================================
``PROPOSES``              the paper's own named contribution: "we propose X",
                          "we introduce X, a ...", a title "X: ..."
``EVALUATES_ON``          a dataset, task or metric the paper reports results
                          on: "on X", "experiments on X", "X of 41.2"
``USES``                  a model, method or dataset the paper applies or builds
                          on: "using X", "based on X", "fine-tune X", "trained on X"
``MENTIONS``              named without one of those cues
========================  =====================================================

A paper-concept edge carries the strongest role of its mentions, in the order
above.

Examples
--------
>>> role_of("We fine-tune GPT-2 on our data.", 13, "MODEL", proposed=False)
<RelType.USES: 'USES'>
>>> role_of("Results on LVIS improve by 3 AP.", 11, "DATASET", proposed=False)
<RelType.EVALUATES_ON: 'EVALUATES_ON'>
>>> role_of("GPT-2 is a language model.", 0, "MODEL", proposed=False)
<RelType.MENTIONS: 'MENTIONS'>
"""

from __future__ import annotations

import re

from kg.model import PAPER_CONCEPT_TYPES, RelType

__all__ = ["role_of", "strongest"]

_TRAIN_BEFORE = re.compile(
    r"\b(?:(?:pre-?)?train(?:ed|ing|s)?|fine-?tun(?:e|ed|es|ing)|distill(?:ed|ing)?)\s+"
    r"(?:\w+\s+){0,3}(?:on|with|from|using)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}$",
    re.IGNORECASE,
)
_ON_BEFORE = re.compile(
    r"\b(?:on|across|over|in|at|to)\s+(?:the\s+)?(?:(?:[\w\-]+|\([^)]*\))[,\s]+){0,4}$", re.IGNORECASE
)
_EVALUATION = re.compile(
    r"\b(?:evaluat\w*|benchmark\w*|experiment\w*|results?|outperform\w*|surpass\w*|achiev\w*|"
    r"state-of-the-art|SOTA|tested|test set|accuracy|scores?|performance|improv\w*|gains?|"
    r"validat\w*|transferring|zero-shot|few-shot)\b|\d+(?:\.\d+)?\s*%|\+\s*\d",
    re.IGNORECASE,
)
_USE_BEFORE = re.compile(
    r"\b(?:us(?:e|es|ed|ing)|leverag\w*|employ\w*|adopt\w*|appl(?:y|ies|ied|ying)|based\s+on|"
    r"built\s+(?:on|upon)|builds?\s+(?:on|upon)|fine-?tun\w*|(?:pre-?)?train\w*|initiali[sz]\w*|"
    r"distill\w*|via|with|through|utili[sz]\w*|incorporat\w*|extend\w*|integrat\w*|"
    r"augment\w*|equip\w*|plug\w*|combin\w*|rel(?:y|ies|ying)\s+on|replac\w*)\b"
    r"(?:\s+(?:[\w\-]+|\([^)]*\))){0,6}\s*$",
    re.IGNORECASE,
)
_MEASURED = re.compile(r"^\W{0,3}(?:of\s+)?[+-]?\d|\b(?:by|of|gains?|improvements?)\s+[+-]?\d", re.I)


def role_of(sentence: str, offset: int, label: str, *, proposed: bool) -> RelType:
    """The role of a mention of type ``label`` at ``offset`` in ``sentence``."""
    if proposed:
        return RelType.PROPOSES
    before = sentence[max(0, offset - 120) : offset]
    after = sentence[offset : offset + 80]
    if label == "DATASET":
        if _TRAIN_BEFORE.search(before):
            return RelType.USES
        if _ON_BEFORE.search(before) or _EVALUATION.search(sentence):
            return RelType.EVALUATES_ON
        return RelType.USES if _USE_BEFORE.search(before) else RelType.MENTIONS
    if label == "METRIC":
        if _EVALUATION.search(sentence) or _MEASURED.search(after) or _MEASURED.search(before[-30:]):
            return RelType.EVALUATES_ON
        return RelType.MENTIONS
    if label == "TASK":
        if _ON_BEFORE.search(before) and _EVALUATION.search(sentence):
            return RelType.EVALUATES_ON
        return RelType.MENTIONS
    return RelType.USES if _USE_BEFORE.search(before) else RelType.MENTIONS


def strongest(roles: list[RelType]) -> RelType:
    """The strongest of ``roles`` in the order of :data:`~kg.model.PAPER_CONCEPT_TYPES` (``MENTIONS`` for none)."""
    return min(roles, key=PAPER_CONCEPT_TYPES.index, default=RelType.MENTIONS)
