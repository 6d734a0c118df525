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

_WORDS = r"(?:(?:[\w\-'.(]+|\([^)]*\))[,\s]+)"
_TRAIN_BEFORE = re.compile(
    r"\b(?:(?:pre-?)?train(?:ed|ing|s)?|fine-?tun(?:e|ed|es|ing)|distill(?:ed|ing)?)\s+"
    rf"{_WORDS}{{0,16}}?(?:on|with|from|using)\s+(?:the\s+)?{_WORDS}{{0,7}}$",
    re.IGNORECASE,
)
_SOURCE_BEFORE = re.compile(
    rf"\b(?:from|using|based\s+on|built\s+(?:on|upon)|derived\s+from|collected\s+from)\s+(?:the\s+|an?\s+)?{_WORDS}{{0,3}}$",
    re.IGNORECASE,
)
_ON_BEFORE = re.compile(
    r"\b(?:on|across|over|in|at|to)\s+(?:the\s+)?(?:(?:[\w\-]+|\([^)]*\))[,\s]+){0,4}$", re.IGNORECASE
)
_FOR_BEFORE = re.compile(r"\b(?:on|across|over|in|at|to|for)\s+(?:the\s+)?(?:(?:[\w\-]+|\([^)]*\))[,\s]+){0,4}$",
                         re.IGNORECASE)
_EVALUATION = re.compile(
    r"\b(?:evaluat\w*|benchmark\w*|experiment\w*|results?|outperform\w*|surpass\w*|achiev\w*|"
    r"state-of-the-art|SOTA|tested|test set|accuracy|scores?|performance|improv\w*|gains?|"
    r"validat\w*|transferring|zero-shot|few-shot|won|wins|winning|competitions?|challenges?|leaderboards?)\b"
    r"|\d+(?:\.\d+)?\s*%|\+\s*\d",
    re.IGNORECASE,
)
_METRIC_EVALUATION = re.compile(
    r"\b(?:evaluat\w*|measur\w*|report\w*|in\s+terms\s+of|achiev\w*|results?|outperform\w*|surpass\w*|"
    r"state-of-the-art|SOTA|benchmark\w*|experiment\w*)\b",
    re.IGNORECASE,
)
_RESULTS_AFTER = re.compile(r"^[\s\-]*(?:results?|performance|accuracy|scores?|benchmarks?)\b", re.IGNORECASE)
_USE_BEFORE = re.compile(
    r"\b(?:us(?:e|es|ed|ing)|leverag\w*|employ\w*|adopt\w*|appl(?:y|ies|ied|ying)|based\s+on|"
    r"built\s+(?:on|upon)|builds?\s+(?:on|upon)|fine-?tun\w*|(?:pre-?)?train\w*|initiali[sz]\w*|"
    r"distill\w*|via|with|through|utili[sz]\w*|incorporat\w*|extend\w*|extension\s+(?:of|to)|integrat\w*|"
    r"augment\w*|equip\w*|plug\w*|combin\w*|rel(?:y|ies|ying)\s+on|replac\w*|port(?:s|ed|ing)?|"
    r"obtained\s+from|from)\b"
    r"(?:\s+(?:[\w\-]+|\([^)]*\))){0,6}\s*$",
    re.IGNORECASE,
)
_STUDY_BEFORE = re.compile(
    r"\bwe\s+(?:\w+ly\s+|also\s+|then\s+|further\s+|first\s+)?(?:stud(?:y|ied)|analy[sz]e[ds]?|prob(?:e|ed)|"
    r"examin(?:e|ed)|investigat(?:e|ed)|evaluat(?:e|ed)|test(?:ed)?|compress(?:ed)?|prun(?:e|ed)|quantiz(?:e|ed)|"
    r"train(?:ed)?|design(?:ed)?\s+\w+\s+\w+\s+as)\b"
    rf"\s+{_WORDS}{{0,10}}?(?:(?:on|in|of|with|from|as)\s+)?(?:the\s+|an?\s+)?{_WORDS}{{0,3}}$",
    re.IGNORECASE,
)
_USE_AFTER = re.compile(
    r"^[^,;:]{0,40}?\b(?:is|are|was|were|can\s+be|could\s+be)\s+(?:\w+ly\s+)?(?:used|employed|adopted|applied|"
    r"utili[sz]ed|leveraged|exploited|extended|expanded|integrated|incorporated)\b",
    re.IGNORECASE,
)
_HEAD_AFTER = re.compile(r"^[\s\-]*(?:based|models?|architectures?|backbones?|networks?|encoders?|versions?|variants?)\b",
                         re.IGNORECASE)
_PROPOSE_BEFORE = re.compile(
    r"(?:\b(?:(?:we|this\s+(?:paper|work|study|article|manuscript))\s+(?:\w+\s+)?(?:focus\s+on\s+)?|and\s+)"
    r"(?:propos|introduc|present|develop|design|devis|describ|report|build|construct|creat|releas|defin)"
    r"(?:e|es|ed|ing|s|t)?"
    r"(?:\s+(?:a|an|the|our|two|three|several|new|novel|simple|general|efficient|effective|unified|first)\b)*"
    r"|\b(?:called|named|dubbed|termed|coined)|\b(?:a|the|our)\s+new)"
    r"\s*[\"'“(]?\s*(?:(?:[\w\-]+|\([^)]*\)),?\s+){0,6}\(?\s*$"
    r"|\bour(?:\s+(?:new|novel|proposed))?\s+(?:[\w\-]+\s+)?$",
    re.IGNORECASE,
)
_PROPOSED_AFTER = re.compile(
    r"^[^.;]{0,60}?\b(?:is|are)\s+(?:proposed|presented|introduced|released|(?:publicly\s+|freely\s+)?available)\b",
    re.IGNORECASE,
)
_AS_BEFORE = re.compile(r"\bas\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
_USE_CLOSE = re.compile(r"\b(?:extension\s+(?:of|to)|extend\w*|based\s+on|built\s+(?:on|upon)|using|with|via)\s+"
                        r"(?:the\s+|an?\s+)?(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our)\b", re.IGNORECASE)
_MEASURED = re.compile(r"^\W{0,3}(?:of\s+)?[+-]?\d|\b(?:by|of|gains?|improvements?)\s+[~≈]?\s*[+-]?\d", re.I)
_MEASURED_BEFORE = re.compile(r"[+-]?\d+(?:\.\d+)?\s*%?\s*(?:points?\s+)?(?:\w+\s+)?$")


def _proposes(before: str, after: str) -> bool:
    """The sentence presents the mention as the paper's own: "we propose X", "called X", "our X", "X is proposed"."""
    return bool(_PROPOSE_BEFORE.search(before[-100:]) or _PROPOSED_AFTER.search(after))


def role_of(sentence: str, offset: int, label: str, *, proposed: bool, length: int = 0) -> RelType:
    """The role of a mention of type ``label`` at ``offset`` (``length`` characters) in ``sentence``."""
    if proposed:
        return RelType.PROPOSES
    before = sentence[max(0, offset - 160) : offset]
    after = sentence[offset + length : offset + length + 80]
    if label == "DATASET":
        return _dataset_role(sentence, before, after)
    if label == "METRIC":
        rest = sentence[:offset] + sentence[offset + length :]
        if (_METRIC_EVALUATION.search(rest) or _MEASURED.search(after) or _MEASURED_BEFORE.search(before)
                or _MEASURED.search(before[-30:])):
            return RelType.EVALUATES_ON
        return RelType.MENTIONS
    if label == "TASK":
        evaluated = _EVALUATION.search(sentence[:offset] + sentence[offset + length :])
        if evaluated and (_FOR_BEFORE.search(before) or _RESULTS_AFTER.search(after)):
            return RelType.EVALUATES_ON
        return RelType.MENTIONS
    return _model_role(sentence, before, after)


def _dataset_role(sentence: str, before: str, after: str) -> RelType:
    if _proposes(before, after) and not _SOURCE_BEFORE.search(before):
        return RelType.PROPOSES
    if _TRAIN_BEFORE.search(before) or _SOURCE_BEFORE.search(before):
        return RelType.USES
    if _ON_BEFORE.search(before) or _EVALUATION.search(sentence):
        return RelType.EVALUATES_ON
    return RelType.USES if _USE_BEFORE.search(before) else RelType.MENTIONS


def _model_role(sentence: str, before: str, after: str) -> RelType:
    modifier = _WE.search(sentence) and _HEAD_AFTER.search(after)
    if _AS_BEFORE.search(before) or _USE_CLOSE.search(before):
        return RelType.USES
    if _proposes(before, after) and not modifier:
        return RelType.PROPOSES
    if _USE_BEFORE.search(before) or _STUDY_BEFORE.search(before) or _USE_AFTER.search(after) or modifier:
        return RelType.USES
    if _WE.search(sentence) and _ON_BEFORE.search(before) and _EVALUATION.search(sentence):
        return RelType.USES
    return RelType.MENTIONS


def strongest(roles: list[RelType]) -> RelType:
    """The strongest of ``roles`` in the order of :data:`~kg.model.PAPER_CONCEPT_TYPES` (``MENTIONS`` for none)."""
    return min(roles, key=PAPER_CONCEPT_TYPES.index, default=RelType.MENTIONS)
