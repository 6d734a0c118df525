"""Gold-annotated corpora as plain text with character-offset spans.

Four formats are read into :class:`GoldDocument` objects, every span turned
into end-exclusive character offsets into the document's text:

* ``scierc`` (also SciNLP, the same layout): one document per line, tokens in
  ``sentences``, ``ner`` items ``[start, end, label]`` with document-level token
  offsets and **inclusive** ends; the text is the tokens joined by spaces.
* ``gsap`` (GSAP-NER): one paragraph per line, ``entities`` as character offsets
  with **exclusive** ends; paragraphs of one publication share a ``group``.
* ``tdmsci``: one sentence per line, ``entities`` as sentence token offsets with
  **inclusive** ends; the text is rebuilt from the tokens' character offsets.
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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    "tdmsci_document",
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


GOLD_FORMATS = {
    "scierc": scierc_document,
    "scinlp": scierc_document,
    "gsap": gsap_document,
    "tdmsci": tdmsci_document,
    "jsonl": jsonl_document,
}
"""Format name -> reader of one JSON line."""


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
    return list(_read(Path(path), fmt))


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
            yield reader(json.loads(line))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise InputError(f"not a {fmt} gold document: {exc}", path=path, line=number) from None
