"""Names from the gazetteer sources, cleaned: the text rules of scripts/build_vocabulary.py.

Stdlib only; ``Entry`` is a vocabulary entry, ``Cand`` a candidate name from one source.
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kg.normalize import name_key  # noqa: E402

TYPES = ("DATASET", "MODEL", "METHOD", "TASK", "METRIC")
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "extractors", "data")
SPLIT_SUFFIX = re.compile(
    r"[\s_-]+(test|val|validation|dev|train|test-dev|test-std|testfinal|test set|val set|dev set|"
    r"val2017|test2017|minival|testclean|testother|full|(\d+%|\d+-shot|\d+k)\b.*)\s*$", re.I)
JUNK = re.compile(r"(https?:|www\.|\bAND\b.*=|[=<>{}\\^*#!@$]|'.*'|\.\.|wzxhzdk|^\W|\bet al\b)", re.I)
CTRL = re.compile(r"\x02.*?\x03|[\x00-\x1f]")
PAREN = re.compile(r"\s*\(([^()]*)\)")
YEAR = re.compile(r"\b(19|20)\d\d\b")
MODEL_NOISE = re.compile(r"\b(ensemble|single|model|models|noop|hs|best|tuned|baseline|system|"
                         r"final|v\d|large|base|small)\b\.?", re.I)
TRAILING_TYPE = re.compile(r"\s+(dataset|data set|datasets|benchmark)$", re.I)
DS_BAD = re.compile(r"\b(accuracy|bleu|wer|f1|perplexity|results?|image recognition|subjects|pairs)\b|:", re.I)
METRIC_WORDS = re.compile(
    r"(acc|f1|f-|\bap|map\b|auc|aupr|error|rate\b|score|iou|recall|precision|bleu|rouge|psnr|ssim|\bmr\b|"
    r"\bem\b|pck|rank|distance|nme|loss|correlation|coefficient|mpjpe|mpvpe|ndcg|hits|reward|return|ratio|"
    r"dice|epe|mae|mse|rmse|measure|perplexity|entropy|cider|meteor|spl\b|success)", re.I)
METRIC_BAD = re.compile(r"(param|split|dataset|domain|train|viewpoint|daily|newswire|full\b|matched|permuted|"
                        r"challenge|joint|sup-|test|ans-|mr -2|operations|entropy|request|total|feminine|masculine|"
                        r"shen|medium|text-to|-cn\b|f-bc|f-s\b|\b\d+ \d+\b|\s\d+$|:|\?)", re.I)
TASK_BAD = re.compile(r"^translation \w{3}-\w{3}$|\b(games?|models|with|using|SOTA)\b|^\d+D classification", re.I)
MODEL_BAD = re.compile(r"[_:,/]|--|- | w/|^\d+-layer|\b(with|using|for|and|of|on|et|baseline|oracle|depth|att)\b", re.I)
PROPER = {"english", "chinese", "german", "french", "spanish", "arabic", "japanese", "korean",
          "hindi", "russian", "vietnamese", "bengali", "urdu", "persian", "turkish", "italian",
          "portuguese", "indonesian", "thai", "hebrew", "greek", "polish", "dutch", "swahili",
          "atari", "wikipedia", "twitter", "reddit", "alzheimer's", "parkinson's", "covid-19",
          "bayesian", "gaussian", "markov", "monte", "carlo", "minecraft", "starcraft", "lidar"}


@dataclass
class Entry:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    family: str | None = None
    sources: set[str] = field(default_factory=set)
    cased: bool = False
    weight: int = 0


@dataclass
class Cand:
    name: str
    type: str
    source: str
    aliases: tuple[str, ...] = ()
    weight: int = 1


# --------------------------------------------------------------------------- text helpers
def read_stoplist(path: str) -> set[str]:
    with open(path, encoding="utf-8") as fh:
        return {name_key(ln.strip()) for ln in fh if ln.strip() and not ln.startswith("#")}


def basic_clean(text: str) -> str:
    text = CTRL.sub(" ", html.unescape(text or ""))
    text = " ".join(text.replace("\u2019", "'").split()).replace(" 's", "'s")
    return text.strip(" :;,.\"*")


def detokenize(text: str) -> str:
    """Undo SciREX tokenisation: 'CIFAR - 10' -> 'CIFAR-10', 'ResNet ( 101 )' -> 'ResNet (101)'."""
    text = re.sub(r"\s*([-/])\s*", r"\1", text).replace(" 's", "'s").replace(" +", "+")
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+([).,;:%])", r"\1", text))
    return " ".join(text.split())


def is_junk(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return (len(text) > 60 or len(text) < 2 or letters == 0 or JUNK.search(text) is not None
            or text.replace(".", "").replace(",", "").isdigit() or len(text.split()) > 7)


def plain_word(word: str) -> bool:
    """An ordinary-looking word: letters only, lowercase or Titlecase (no acronym, digit, camelCase)."""
    return word.isalpha() and (word.islower() or (word[0].isupper() and word[1:].islower()))


def is_generic(text: str) -> bool:
    """Single ordinary word ('Reasoning', 'Wine'), or a phrase of lowercase ordinary words only."""
    words = text.split()
    return len(words) == 1 and plain_word(text) or all(w.islower() and w.isalpha() for w in words)


def is_acronym_of(short: str, long: str) -> bool:
    """Schwartz-Hearst style check: letters of ``short`` appear in order in ``long``,
    the first one starting a word, and ``long`` has at least two words."""
    s = re.sub(r"[^a-z0-9]", "", short.lower().rstrip("s"))
    words = re.split(r"[\s\-/]+", long.lower())
    if len(s) < 2 or len(words) < 2 or not words[0] or s[0] != words[0][0] or len(s) > len(long):
        return False
    lng, i = " ".join(words), 0
    for ch in s:
        i = lng.find(ch, i)
        if i < 0:
            return False
        i += 1
    return sum(w[:1] in s for w in words if w not in {"of", "the", "and", "for", "in", "a"}) >= len(s) - 1


def split_paren(text: str) -> tuple[str, list[str]]:
    """'COCO (Common Objects in Context)' -> ('COCO', ['Common Objects in Context']);
    other bracketed qualifiers are dropped."""
    inner = PAREN.findall(text)
    base = PAREN.sub("", text).strip()
    for part in inner:
        part = part.strip()
        if is_acronym_of(base, part):
            return base, [part]
        if is_acronym_of(part, base):
            return part, [base]
    return base, []


def task_case(text: str) -> str:
    """Lowercase a task name except acronyms, mixed-case tokens and proper nouns."""
    out = []
    for w in text.split():
        parts = w.split("-")
        out.append("-".join(p if (not plain_word(p) or p.lower() in PROPER) else p.lower() for p in parts))
    return " ".join(out)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------- per-source cleaning
def clean_dataset(raw: str) -> tuple[str, list[str]] | None:
    text = basic_clean(raw)
    if is_junk(text):
        return None
    name, aliases = split_paren(text)
    name = TRAILING_TYPE.sub("", SPLIT_SUFFIX.sub("", name)).strip(" -_:")
    lower_words = [w for w in name.split()[1:] if w.islower() and w.isalpha()]
    if (is_junk(name) or len(name) < 3 or len(name.split()) > 5 or is_generic(name) or DS_BAD.search(name)
            or len(lower_words) >= 2 or name.split()[-1].lower() in {"a", "an", "the", "of", "for", "and"}):
        return None
    return name, [a for a in aliases if not is_junk(a)]


def clean_model(raw: str) -> str | None:
    text = basic_clean(raw)
    if is_junk(text) or " + " in text or re.search(r"\+\w", text) or MODEL_BAD.search(text):
        return None
    text = re.sub(r"[{}]", "", PAREN.sub("", text))
    text = MODEL_NOISE.sub("", YEAR.sub("", text))
    text = re.sub(r"^\d+[dD]\b\s*", "", " ".join(text.split())).strip(" -_,")
    words = text.split()
    if not words or len(words) > 3 or len(text) < 3 or plain_word(words[0]) or text.islower():
        return None
    if any(w.islower() and w.isalpha() for w in words[1:]) or (text.isalpha() and text.isupper() and len(text) <= 5):
        return None
    if text.isupper() and len(text) <= 2:
        return None
    return text


def clean_task(raw: str) -> str | None:
    text = basic_clean(raw.replace("_", " "))
    text = PAREN.sub("", text).strip()
    words = text.split()
    if (is_junk(text) or len(words) > 5 or len(text) > 50 or (len(words) == 1 and plain_word(text))
            or TASK_BAD.search(text)):
        return None
    return task_case(text)


def clean_metric(raw: str) -> str | None:
    text = basic_clean(raw.replace("_", " "))
    text = PAREN.sub("", text).strip()
    text = re.sub(r"^(test|validation|val|dev)\s+", "", text, flags=re.I).strip()
    if is_junk(text) or len(text.split()) > 4 or re.match(r"^[\d%]", text) and not re.match(r"^\dD", text):
        return None
    if "%" in text or (len(text.split()) == 1 and plain_word(text)) or METRIC_BAD.search(text):
        return None
    return text if METRIC_WORDS.search(text) else None
