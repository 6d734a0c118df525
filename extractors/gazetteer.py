"""The vocabulary matcher: every name and alias of the curated vocabulary, in any spelling.

The component ``kg_gazetteer`` runs one :class:`~spacy.matcher.PhraseMatcher`
on lower-cased tokens over all spelling variants of all names, then drops
matches that are (a) entries marked ``cased``, or names with capitals taken only
from public lists, written in lower case ("glue" is not GLUE, "in order" is not
the model "In-order"; a listed name that reads like ordinary words must be
written exactly as listed), or (b) only the first part of a hyphenated compound
("COCO-Stuff" is not COCO, but "COCO-style" is). Results go to
``doc.spans["kg_vocab"]`` with the type as label, the canonical name as
``kb_id_`` and, as ``id_``, ``"vocabulary"`` for hand-curated entries or
``"listed"`` for entries taken only from public name lists (which yield to a
paper's own proposal of the same name).

Examples
--------
>>> import spacy
>>> from kg.extractors.vocabulary import Entry, Vocabulary
>>> nlp = spacy.blank("en")
>>> gazetteer = nlp.add_pipe("kg_gazetteer")
>>> gazetteer.initialize(vocabulary=Vocabulary([Entry("COCO", "DATASET", ("MS COCO",)),
...                                             Entry("GLUE", "DATASET", cased=True)]))
>>> doc = nlp("Results on MS-COCO, COCO-Stuff and GLUE; glue code.")
>>> [(s.text, s.label_, s.kb_id_) for s in doc.spans["kg_vocab"]]
[('MS-COCO', 'DATASET', 'COCO'), ('GLUE', 'DATASET', 'GLUE')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kg.extractors.compiled import Compiled, cache_key, load_compiled, save_compiled
from kg.extractors.vocabulary import Entry, Vocabulary, default_vocabulary, spelling_variants
from kg.normalize import singular

__all__ = ["COMPOUND_SUFFIXES", "Gazetteer", "compile_vocabulary", "make_gazetteer", "plural_variants"]

COMPOUND_SUFFIXES = frozenset(
    "based like style level scale sized size only generated specific free aware guided driven "
    "enhanced augmented trained pretrained finetuned tuned initialized derived inspired powered "
    "compatible equivalent sourced family series class type format annotated labeled labelled "
    "small base large medium tiny huge mini nano xl xxl s m l x b h instruct chat it".split()
)


def plural_variants(name: str) -> set[str]:
    """Plural spellings of a model or method name: ``SAE`` -> ``SAEs``, ``autoencoder`` -> ``autoencoders``.

    >>> sorted(plural_variants("sparse autoencoder")), sorted(plural_variants("SAE"))
    (['sparse autoencoders'], ['SAEs'])
    """
    last = name.split()[-1] if name.split() else ""
    if not last or not last[-1].isalpha():
        return set()
    if last.isupper() or (any(ch.isupper() for ch in last[1:]) and len(last) <= 8):
        return {name + "s"}
    if last.islower() and singular(last + "s") == last:
        return {name + "s"}
    if last.islower() and last.endswith("y") and singular(last[:-1] + "ies") == last:
        return {name[:-1] + "ies"}
    return set()


class Gazetteer:
    """Match the curated vocabulary; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "kg_gazetteer"):
        self.nlp = nlp
        self.name = name
        self.vocabulary: Vocabulary | None = None
        self._matcher: PhraseMatcher | None = None
        self._entries: dict[int, Entry] = {}
        self._exact: dict[int, frozenset[str]] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        """Load ``vocabulary`` (default: the shipped one) and build the matcher.

        The compiled patterns come from the on-disk cache when it holds them
        (:mod:`kg.extractors.compiled`); otherwise they are compiled and saved there.
        """
        self.vocabulary = vocabulary if vocabulary is not None else default_vocabulary()
        key = cache_key(self.nlp, self.vocabulary)
        compiled = load_compiled(key)
        if compiled is None:
            compiled = compile_vocabulary(self.nlp, self.vocabulary)
            save_compiled(key, compiled)
        # The matcher gets a vocabulary of its own: it only names the match keys, and a key
        # added to the pipeline's vocabulary would cost a lexeme with all its attributes.
        matcher = PhraseMatcher(Vocab(), attr="LOWER")
        strings = self.nlp.vocab.strings
        self._entries = {strings.add(key): self.vocabulary.entries[index] for key, index in compiled.entries.items()}
        self._exact = {strings.add(key): names for key, names in compiled.exact.items()}
        for match_key, patterns in compiled.patterns.items():
            matcher.add(match_key, patterns)  # type: ignore[arg-type]  # token hashes are taken as they are
        self._matcher = matcher

    def __call__(self, doc: Doc) -> Doc:
        if self._matcher is None:
            self.initialize()
        assert self._matcher is not None
        spans = []
        for match_id, start, end in self._matcher(doc):
            exact = self._exact.get(match_id)
            if exact is not None and not _cased_match(doc[start:end].text, exact):
                continue
            if _inside_compound(doc, start, end):
                continue
            entry = self._entries[match_id]
            rule = "vocabulary" if "curated" in entry.sources else "listed"
            spans.append(Span(doc, start, end, label=entry.type, kb_id=entry.name, span_id=rule))
        doc.spans["kg_vocab"] = SpanGroup(doc, name="kg_vocab", spans=filter_spans(spans))
        return doc

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the vocabulary as ``vocabulary.jsonl`` in directory ``path``."""
        if self.vocabulary is None:
            self.initialize()
        assert self.vocabulary is not None
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        self.vocabulary.to_jsonl(directory / "vocabulary.jsonl")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Gazetteer:
        """Load the vocabulary saved by :meth:`to_disk`."""
        self.initialize(vocabulary=Vocabulary.from_jsonl(Path(path) / "vocabulary.jsonl"))
        return self


def compile_vocabulary(nlp: Language, vocabulary: Vocabulary) -> Compiled:
    """Tokenise every spelling of every entry of ``vocabulary`` into the patterns the matcher looks for."""
    patterns: dict[str, list[tuple[int, ...]]] = {}
    entries: dict[str, int] = {}
    exact: dict[str, frozenset[str]] = {}
    for index, entry in enumerate(vocabulary):
        spellings = _spellings(entry)
        key = f"kg_vocab:{entry.type}:{entry.name}"
        entries[key] = index
        if "curated" not in entry.sources and _plain_words(entry.name):
            exact[key] = frozenset(entry.names)
        elif entry.cased or ("curated" not in entry.sources and not entry.name.islower()):
            exact[key] = frozenset(spellings)
        docs = [nlp.make_doc(text) for text in sorted(spellings)]
        patterns.setdefault(key, []).extend(tuple(token.lower for token in doc) for doc in docs if len(doc))
    _flush_tokenizer_cache(nlp)
    return Compiled(patterns, entries, exact)


def _flush_tokenizer_cache(nlp: Language) -> None:
    """Empty the tokenizer's cache after tokenising the patterns.

    Measured: tens of thousands of cached pattern strings make every later
    tokenisation about three times slower. Re-assigning the (unchanged)
    special-case rules is the public way to flush the cache.
    """
    tokenizer = nlp.tokenizer
    rules = getattr(tokenizer, "rules", None)
    if rules is not None:
        tokenizer.rules = rules  # type: ignore[union-attr]


def _spellings(entry: Entry) -> set[str]:
    spellings: set[str] = set()
    for name in entry.names:
        for variant in spelling_variants(name):
            spellings.add(variant)
            if entry.type in ("MODEL", "METHOD"):
                spellings.update(plural_variants(variant))
    return spellings


def _plain_words(name: str) -> bool:
    """A name that reads like ordinary words ("In-order", "Pivot"): no digit, no capital after the first letter."""
    return not any(ch.isdigit() or ch.isupper() for ch in name[1:])


def _cased_match(text: str, spellings: frozenset[str]) -> bool:
    """A ``cased`` entry matches its own spellings, or any spelling with inner capitals.

    ``LLaMA`` and ``LLAMA`` match the entry ``Llama``; ``glue`` and ``Glue`` do not match ``GLUE``.
    """
    return text in spellings or any(ch.isupper() for ch in text[1:])


def _attached(left: Any, right: Any) -> bool:
    return not left.whitespace_ and right.text == "-"


_HARDWARE_BEFORE = frozenset({"nvidia", "geforce", "tesla", "amd", "intel", "apple", "google"})


def _inside_compound(doc: Doc, start: int, end: int) -> bool:
    """True when the match is glued by a hyphen to a word that changes what it names,
    or is a product name after a vendor ("NVIDIA TITAN" is a GPU, not the TITAN dataset)."""
    if start and doc[start - 1].lower_ in _HARDWARE_BEFORE:
        return True
    if end + 1 < len(doc) and _attached(doc[end - 1], doc[end]) and not doc[end].whitespace_:
        if doc[end + 1].lower_ not in COMPOUND_SUFFIXES and not doc[end + 1].like_num:
            return True
    if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        return not doc[start - 1].whitespace_
    return False


@Language.factory("kg_gazetteer", assigns=["doc.spans"])
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    """Create the ``kg_gazetteer`` component (the vocabulary loads on ``initialize`` or first use)."""
    return Gazetteer(nlp, name)
