"""Gold-annotated corpora as plain text with character-offset spans.

Four formats are read into :class:`GoldDocument` objects, every span turned
into end-exclusive character offsets into the document's text:

* ``scierc`` (also SciNLP, the same layout): one document per line, tokens in
  ``sentences``, ``ner`` items ``[start, end, label]`` with document-level token
  offsets and **inclusive** ends; the text is the tokens joined by spaces.
* ``gsap`` (GSAP-NER): one paragraph per line, ``entities`` as character offsets
  with **exclusive** ends; paragraphs of one publication share a ``group``.
* ``tdmsci``: one sentence per line, ``entities`` as sentence token offsets with
  **inclusive** ends; the text is rebuilt from the tokens' character offsets. The
  file marks no documents: consecutive sentences that share their words are grouped
  into one document (:func:`tdmsci_runs`).
* ``scirex`` (SciREX): one full paper per line, ``words`` with ``ner`` items as word
  offsets with **exclusive** ends; each section is one document of the paper's group,
  the title and the section headed Abstract are marked as the abstract.
* ``jsonl`` (this project's own): ``{"id": ..., "text": ..., "spans": [[start,
  end, label], ...], "group": ...}`` with character offsets, exclusive ends, and
  the labels ``DATASET``, ``MODEL``, ``METHOD``, ``TASK``, ``METRIC``; ``group``
  (optional) names the paper a paragraph belongs to.

Each format has a :data:`LABEL_MAPS` entry relating its labels to ours.

Examples
--------
>>> doc = scierc_document({"doc_key": "d1", "sentences": [["We", "use", "BLEU", "."]],
...                        "ner": [[[2, 2, "Metric"]]]})
>>> doc.text, [(doc.text[s.start:s.end], s.label) for s in doc.spans]
('We use BLEU .', [('BLEU', 'Metric')])
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError

__all__ = [
    "GOLD_FORMATS",
    "LABEL_MAPS",
    "Category",
    "GoldDocument",
    "GoldSpan",
    "gsap_document",
    "jsonl_document",
    "read_gold",
    "scierc_document",
    "scirex_documents",
    "tdmsci_document",
    "tdmsci_runs",
]


@dataclass(frozen=True)
class GoldSpan:
    """One gold mention: character offsets into the document text (end exclusive) and the gold label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class GoldDocument:
    """One annotated text; ``group`` is the paper it belongs to (paper-level scores pool a group).

    ``abstract`` says whether the text is (part of) the paper's abstract, where the
    corpus marks it (GSAP-NER paragraphs); ``None`` where it does not.
    """

    id: str
    text: str
    spans: tuple[GoldSpan, ...]
    group: str
    abstract: bool | None = None


@dataclass(frozen=True)
class Category:
    """An evaluation category: the gold labels and our labels that count as it."""

    gold: frozenset[str]
    ours: frozenset[str]


def _map(**categories: tuple[tuple[str, ...], tuple[str, ...]]) -> dict[str, Category]:
    return {name: Category(frozenset(gold), frozenset(ours)) for name, (gold, ours) in categories.items()}


_OURS = ("DATASET", "MODEL", "METHOD", "TASK", "METRIC")

LABEL_MAPS: Mapping[str, Mapping[str, Category]] = {
    "scierc": _map(
        Method=(("Method",), ("METHOD", "MODEL")),
        Task=(("Task",), ("TASK",)),
        Metric=(("Metric",), ("METRIC",)),
        Material=(("Material",), ("DATASET",)),
    ),
    "scinlp": _map(
        method=(("method",), ("METHOD", "MODEL")),
        task=(("task",), ("TASK",)),
        metric=(("metric",), ("METRIC",)),
        dataset=(("dataset",), ("DATASET",)),
    ),
    "gsap": _map(
        MODEL=(("MLModel", "ModelArchitecture"), ("MODEL",)),
        DATASET=(("Dataset",), ("DATASET",)),
        METHOD=(("Method",), ("METHOD",)),
        TASK=(("Task",), ("TASK",)),
    ),
    "tdmsci": _map(TASK=(("TASK",), ("TASK",)), DATASET=(("DATASET",), ("DATASET",)), METRIC=(("METRIC",), ("METRIC",))),
    "scirex": _map(
        Method=(("Method",), ("METHOD", "MODEL")),
        Task=(("Task",), ("TASK",)),
        Metric=(("Metric",), ("METRIC",)),
        Material=(("Material",), ("DATASET",)),
    ),
    "jsonl": _map(**{label: ((label,), (label,)) for label in _OURS}),
}
"""Per format: evaluation category -> the gold labels and our labels that count as it.

Gold labels in no category (SciERC ``OtherScientificTerm`` and ``Generic``, GSAP-NER
``MLModelGeneric``, ``DatasetGeneric``, ``Datasource``, ``ReferenceLink``, ``URL``,
SciNLP ``tool``) are not scored; nor are our labels in no category (``METRIC`` on
GSAP-NER, which does not annotate metrics; ``METHOD`` and ``MODEL`` on TDMSci)."""


def _token_starts(tokens: list[str]) -> list[int]:
    starts, offset = [], 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    return starts


_PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def scierc_document(row: Mapping[str, Any]) -> GoldDocument:
    """A SciERC/SciNLP document: tokens joined by spaces, token spans (inclusive ends) as characters.

    Penn Treebank bracket tokens (``-LRB-``, ``-RRB-``, ...) become the brackets they stand
    for, as they are in the abstracts ``kg`` reads.
    """
    tokens = [_PTB_BRACKETS.get(token, token) for sentence in row["sentences"] for token in sentence]
    starts = _token_starts(tokens)
    spans = tuple(
        GoldSpan(starts[s], starts[e] + len(tokens[e]), str(label))
        for sentence in row.get("ner", []) for s, e, label in sentence
    )
    key = str(row["doc_key"])
    return GoldDocument(key, " ".join(tokens), spans, key)


def gsap_document(row: Mapping[str, Any]) -> GoldDocument:
    """A GSAP-NER paragraph; its stacked ``entities`` (character offsets, exclusive ends)."""
    text = str(row["text"])
    spans = tuple(GoldSpan(int(s), int(e), str(label)) for s, e, label in row["entities"] if int(e) > int(s))
    abstract = row.get("is_abstract")
    return GoldDocument(str(row["id"]), text, spans, str(row.get("pub_id") or row["id"]),
                        None if abstract is None else bool(abstract))


def tdmsci_document(row: Mapping[str, Any]) -> GoldDocument:
    """A TDMSci sentence, its text rebuilt from the tokens' character offsets (inclusive token ends)."""
    tokens: list[str] = row["tokens"]
    offsets: list[int] = row.get("char_offsets") or []
    parts, starts = [], []
    length = 0
    for i, token in enumerate(tokens):
        gap = 1 if i else 0
        if i and i < len(offsets) and i - 1 < len(offsets):
            gap = offsets[i] - offsets[i - 1] - len(tokens[i - 1])
            gap = 1 if gap < 0 else min(gap, 1)
        parts.append(" " * gap + token)
        starts.append(length + gap)
        length += gap + len(token)
    spans = tuple(GoldSpan(starts[s], starts[e] + len(tokens[e]), str(label)) for s, e, label in row["entities"])
    return GoldDocument(str(row["id"]), "".join(parts), spans, str(row["id"]))


def jsonl_document(row: Mapping[str, Any]) -> GoldDocument:
    """A document of this project's own gold format (see the module docstring)."""
    text = str(row["text"])
    spans = []
    for item in row.get("spans", []):
        start, end, label = int(item[0]), int(item[1]), str(item[2])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {item!r} is outside the text ({len(text)} characters)")
        spans.append(GoldSpan(start, end, label))
    doc_id = str(row["id"])
    return GoldDocument(doc_id, text, tuple(spans), str(row.get("group") or doc_id))


def scirex_documents(row: Mapping[str, Any], max_words: int | None = None) -> Iterator[GoldDocument]:
    """A SciREX paper as documents of whole sentences, none crossing a section; with ``max_words``,
    passages of at most that many words. SciREX spans are word offsets with **exclusive** ends.

    The title passage and a passage starting a section headed Abstract are marked as the abstract.
    """
    words: list[str] = row["words"]
    section_starts = {int(start) for start, _ in row["sections"]}
    mentions = sorted((int(s), int(e), str(label)) for s, e, label in row["ner"])
    start: int | None = None
    end = 0
    for s_start, s_end in row["sentences"]:
        if start is not None and (s_start in section_starts or (max_words and s_end - start > max_words)):
            yield _scirex_passage(row["doc_id"], words, mentions, start, end)
            start = None
        start = s_start if start is None else start
        end = s_end
    if start is not None:
        yield _scirex_passage(row["doc_id"], words, mentions, start, end)


def _scirex_passage(doc_id: str, words: list[str], mentions: list[tuple[int, int, str]],
                    start: int, end: int) -> GoldDocument:
    tokens = words[start:end]
    offsets, position = [], 0
    for token in tokens:
        offsets.append(position)
        position += len(token) + 1
    spans = tuple(
        GoldSpan(offsets[s - start], offsets[e - 1 - start] + len(words[e - 1]), label)
        for s, e, label in mentions
        if start <= s < e <= end
    )
    text = " ".join(tokens)
    abstract = start == 0 or text.startswith("section : Abstract")
    return GoldDocument(f"{doc_id}:{start}", text, spans, doc_id, abstract)


_RUN_WORD = re.compile(r"[a-z][a-z\-]{2,}")
_RUN_STOP = frozenset(
    "the and for with from this that these those our their which using use used can show shows results result "
    "table figure fig performance model models method methods approach task tasks data based also than more most "
    "both each such other into not all one two three new between over when where while has have had first second "
    "however how may will would should are was were been its".split()
)


def _run_words(text: str) -> list[str]:
    words = []
    for word in _RUN_WORD.findall(text.lower()):
        if word not in _RUN_STOP:
            words.append(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words


def tdmsci_runs(documents: Sequence[GoldDocument], *, threshold: float = 0.08, window: int = 4) -> list[GoldDocument]:
    """TDMSci sentences grouped into documents: runs of consecutive sentences about the same thing.

    The file keeps sentences of one paper together but does not say where a paper ends. A
    sentence joins the run before it when its TF-IDF vector has a cosine of at least
    ``threshold`` with the sum of the run's last ``window`` sentences; otherwise it starts a
    run. A run's group is the id of its first sentence.
    """
    bags = [Counter(_run_words(doc.text)) for doc in documents]
    frequency: Counter[str] = Counter(word for bag in bags for word in bag)
    total = max(len(documents), 1)
    vectors = [_unit({w: (1 + math.log(n)) * math.log(total / frequency[w]) for w, n in bag.items()}) for bag in bags]
    grouped: list[GoldDocument] = []
    run: list[int] = []
    for index, doc in enumerate(documents):
        centre: Counter[str] = Counter()
        for member in run[-window:]:
            centre.update(vectors[member])
        unit = _unit(dict(centre))
        if not run or sum(weight * unit.get(word, 0.0) for word, weight in vectors[index].items()) < threshold:
            run = []
        run.append(index)
        grouped.append(replace(doc, group=documents[run[0]].id))
    return grouped


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {word: value / norm for word, value in vector.items()}


Reader = Callable[[Mapping[str, Any]], "GoldDocument | Iterable[GoldDocument]"]

GOLD_FORMATS: Mapping[str, Reader] = {
    "scierc": scierc_document,
    "scinlp": scierc_document,
    "gsap": gsap_document,
    "tdmsci": tdmsci_document,
    "jsonl": jsonl_document,
    "scirex": scirex_documents,
}
"""Format name -> reader of one JSON line (SciREX: of one paper, read as several documents)."""


def read_gold(path: str | Path, fmt: str) -> list[GoldDocument]:
    """Read a gold file of format ``fmt`` (a key of :data:`GOLD_FORMATS`).

    Raises
    ------
    InputError
        The format is unknown, the file cannot be read, or a line is not a
        document of that format (the message names the file and line).
    """
    if fmt not in GOLD_FORMATS:
        raise InputError(f"unknown gold format {fmt!r}; choose one of {', '.join(sorted(GOLD_FORMATS))}")
    documents = list(_read(Path(path), fmt))
    return tdmsci_runs(documents) if fmt == "tdmsci" else documents


def _read(path: Path, fmt: str) -> Iterator[GoldDocument]:
    reader = GOLD_FORMATS[fmt]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found = reader(json.loads(line))
            if isinstance(found, GoldDocument):
                yield found
            else:
                yield from found
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise InputError(f"not a {fmt} gold document: {exc}", path=path, line=number) from None
