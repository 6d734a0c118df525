"""Name normalisation: one key per real thing, whatever its spelling.

``name_key`` folds the spelling variants that name the same concept
(``GPT-2``/``GPT2``/``gpt 2``, ``Llama-2``/``LLaMA 2``, ``sparse autoencoders``/
``sparse autoencoder``) into one key, while keeping different things apart
(``Llama 2`` and ``Llama 3``, ``RefCOCO`` and ``COCO``).

Examples
--------
>>> name_key("LLaMA-2") == name_key("Llama 2") == name_key("llama2")
True
>>> name_key("Llama 2") == name_key("Llama 3")
False
>>> name_key("Sparse Autoencoders"), name_key("SAEs")
('sparseautoencoder', 'sae')
>>> name_key("GPT-3.5")
'gpt3.5'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "singular", "singular_phrase", "split_variant"]

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u00ad]")
_QUOTES = re.compile(r"[\u2018\u2019\u201c\u201d'\"`]")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_PLURAL_ACRONYM = re.compile(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])s$")
_SEPARATORS = re.compile(r"[\s\-_/,:;()\[\]{}]+")
_DOT_NOT_DECIMAL = re.compile(r"(?<!\d)\.|\.(?!\d)")
_SINGULAR_KEEP = ("ss", "us", "is", "ics", "ous", "as")


def singular(word: str) -> str:
    """Return the singular of an English plural ``word`` (best effort, lowercase words).

    >>> [singular(w) for w in ["autoencoders", "strategies", "analysis", "patches", "loss"]]
    ['autoencoder', 'strategy', 'analysis', 'patch', 'loss']
    """
    if len(word) <= 3 or not word.isalpha() or not word.endswith("s"):
        return word
    if word.endswith(_SINGULAR_KEEP):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _singular_last(text: str) -> str:
    words = text.split(" ")
    head, _, last = words[-1].rpartition("-")
    acronym = _PLURAL_ACRONYM.match(last)
    if acronym:
        last = acronym.group(1)
    elif last.islower() or (last[:1].isupper() and last[1:].islower()):
        last = singular(last)
    words[-1] = f"{head}-{last}" if head else last
    return " ".join(words)


def name_key(text: str) -> str:
    """Return the normalised key of a concept name.

    Unicode is NFKC-folded, dashes and quotes unified, a leading article dropped,
    the last word made singular, case folded, and separators (space, hyphen,
    underscore, slash, brackets, commas) removed. A dot survives only between
    two digits (``GPT-3.5``), so version numbers stay distinct.

    >>> name_key("MS-COCO") == name_key("ms coco")
    True
    >>> name_key("RefCOCO") == name_key("COCO")
    False
    """
    s = unicodedata.normalize("NFKC", text)
    s = _DASHES.sub("-", s)
    s = _QUOTES.sub("", s)
    s = " ".join(s.split())
    s = _LEADING_ARTICLE.sub("", s)
    if s:
        s = _singular_last(s)
    s = s.casefold()
    s = _SEPARATORS.sub("", s)
    s = _DOT_NOT_DECIMAL.sub("", s)
    return s


_SIZE_SUFFIX = re.compile(
    r"(?:[-\s](?:\d+(?:\.\d+)?[BMKbmk]|XXL|XL|XS|[SMLXBHN]|small|medium|large|base|tiny|huge|mini|"
    r"nano|giant|instruct|chat|it|turbo|pro|plus|ultra|flash|lite|hf))$",
    re.IGNORECASE,
)
_VERSION_SUFFIX = re.compile(r"(?:[-\s]?v\d+(?:\.\d+)*|-\d+(?:\.\d+)*)$")


def split_variant(name: str) -> tuple[str, str] | None:
    """Split a model variant into its base and kind: a size/flavour suffix or a version.

    Returns ``(base, "size")`` for ``GPT-2 Small``, ``YOLOv8-L`` or ``LLaMA3-8B``,
    ``(base, "version")`` for ``YOLOE-v8`` or ``Medusa-2``, and ``None`` when
    ``name`` has no such suffix. Whether a version's base is a real family is
    the caller's decision.

    >>> [split_variant(n) for n in ["GPT-2 Small", "YOLOv8-L", "LLaMA3-8B", "YOLOE-v8", "GPT-2"]]
    [('GPT-2', 'size'), ('YOLOv8', 'size'), ('LLaMA3', 'size'), ('YOLOE', 'version'), ('GPT', 'version')]
    >>> split_variant("BERT") is None
    True
    """
    name = name.strip()
    size = _SIZE_SUFFIX.search(name)
    if size and size.start() > 1:
        base = name[: size.start()].rstrip(" -")
        if sum(ch.isalpha() for ch in base) >= 2:
            return base, "size"
    version = _VERSION_SUFFIX.search(name)
    if version and version.start() > 1:
        base = name[: version.start()].rstrip(" -")
        if sum(ch.isalpha() for ch in base) >= 2:
            return base, "version"
    return None


def singular_phrase(text: str) -> str:
    """The phrase with its last word made singular, as :func:`name_key` does before folding.

    A hyphenated last word is left alone ("Mixture-of-Experts").

    >>> singular_phrase("Sparse autoencoders"), singular_phrase("CAMs"), singular_phrase("Mixture-of-Experts")
    ('Sparse autoencoder', 'CAM', 'Mixture-of-Experts')
    """
    words = text.split()
    if not words or "-" in words[-1]:
        return " ".join(words)
    return _singular_last(" ".join(words))
