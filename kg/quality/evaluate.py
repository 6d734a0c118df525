"""Extraction quality against gold annotations: precision, recall and F1.

Three ways to count, each per evaluation category and micro-averaged:

* **exact**: a predicted span is right when a gold span of its category has the
  same start and end;
* **partial**: a predicted span is right when it overlaps a gold span of its
  category, and a gold span is found when a prediction of its category overlaps
  it (so a boundary error counts here, not in ``exact``);
* **paper**: per paper (a document's ``group``), the set of ``(category,
  name_key(text))`` concepts predicted against the gold set: is each gold
  concept found somewhere in the paper, after normalisation?

Spans are compared as sets (a duplicate counts once); leading and trailing
whitespace is trimmed from every span first. A precision with nothing predicted,
or a recall with nothing in the gold, is 0.0.

Examples
--------
>>> from kg.quality.gold import Category, GoldDocument, GoldSpan
>>> doc = GoldDocument("d", "We use BLEU on WMT14 data.", (GoldSpan(7, 11, "Metric"), GoldSpan(15, 25, "Material")), "d")
>>> labels = {"Metric": Category(frozenset({"Metric"}), frozenset({"METRIC"})),
...           "Material": Category(frozenset({"Material"}), frozenset({"DATASET"}))}
>>> report = evaluate([doc], [[Predicted(7, 11, "METRIC"), Predicted(15, 20, "DATASET")]], labels)
>>> report.exact["micro"].f1, report.partial["micro"].f1
(0.5, 1.0)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import InputError
from kg.extractors.pipeline import make_pipeline
from kg.extractors.text import TEXT_KEY
from kg.normalize import name_key
from kg.pipeline.sentences import trim_span
from kg.quality.gold import LABEL_MAPS, Category, GoldDocument, read_gold

__all__ = [
    "ABSTRACT_CHARS",
    "KINDS",
    "MICRO",
    "EvalReport",
    "Predicted",
    "Score",
    "evaluate",
    "evaluate_extractor",
    "evaluate_file",
    "predict",
    "restrict",
]

MICRO = "micro"
"""The key of the micro-average in each score table."""

_Item = tuple[int, int, str]


@dataclass(frozen=True)
class Predicted:
    """One predicted mention: character offsets (end exclusive) and our label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Score:
    """Counts behind a precision and a recall.

    ``right`` predictions of ``predicted`` were right; ``found`` gold items of
    ``gold`` were found. For exact and paper-level counting ``right == found``.

    >>> Score(right=3, predicted=4, found=3, gold=6).f1
    0.6
    """

    right: int = 0
    predicted: int = 0
    found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.right + other.right, self.predicted + other.predicted,
                     self.found + other.found, self.gold + other.gold)


KINDS = ("exact", "partial", "paper")
"""The three ways of counting."""

ABSTRACT_CHARS = 1_200
"""Characters in one abstract, the unit of throughput: the median title and abstract of the
289,229 abstracts of the shared corpora (measured: 1,204 characters)."""


@dataclass(frozen=True)
class EvalReport:
    """Scores per category and ``micro``: exact spans, overlapping spans, paper-level concepts.

    ``by_group`` holds the same counts for each paper (group), for confidence intervals
    by resampling papers; ``characters`` is the length of the texts read, ``seconds`` the
    time to extract from them and ``load_seconds`` the time to load the pipeline.
    """

    documents: int
    papers: int
    exact: dict[str, Score]
    partial: dict[str, Score]
    paper: dict[str, Score]
    seconds: float = 0.0
    by_group: dict[str, dict[str, dict[str, Score]]] = field(default_factory=dict)
    characters: int = 0
    load_seconds: float = 0.0

    @property
    def abstracts_per_second(self) -> float:
        """Throughput in abstracts (:data:`ABSTRACT_CHARS` characters each) per second of extraction."""
        return self.characters / ABSTRACT_CHARS / self.seconds if self.seconds else 0.0

    def table(self, kind: str) -> dict[str, Score]:
        """The scores of one way of counting (one of :data:`KINDS`)."""
        return {"exact": self.exact, "partial": self.partial, "paper": self.paper}[kind]

    def rows(self, *, resamples: int = 0) -> list[dict[str, object]]:
        """One plain row per category (``micro`` last): P, R, F1 of each counting, rounded to 4 places;
        with ``resamples``, also ``f1_interval``, the 95% interval of F1 from resampling papers."""
        from kg.quality.bootstrap import interval

        rows: list[dict[str, object]] = []
        for name in self.exact:
            row: dict[str, object] = {"category": name, "gold": self.exact[name].gold}
            for kind in KINDS:
                score = self.table(kind)[name]
                cell: dict[str, object] = {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
                                           "f1": round(score.f1, 4), **vars(score)}
                if resamples:
                    low, high = interval(self.by_group, kind, name, "f1", resamples=resamples)
                    cell["f1_interval"] = [round(low, 4), round(high, 4)]
                row[kind] = cell
            rows.append(row)
        return rows


def restrict(labels: Mapping[str, Category], only: Iterable[str]) -> dict[str, Category]:
    """The label map with only the categories named in ``only`` (all of them when empty).

    Raises
    ------
    KeyError
        A name in ``only`` is not a category of ``labels``.
    """
    names = list(only)
    for name in names:
        if name not in labels:
            raise KeyError(name)
    return {name: category for name, category in labels.items() if not names or name in names}


def _gold_items(doc: GoldDocument, by_gold: Mapping[str, str]) -> set[_Item]:
    items = set()
    for span in doc.spans:
        category = by_gold.get(span.label)
        start, end = trim_span(doc.text, span.start, span.end)
        if category is not None and end > start:
            items.add((start, end, category))
    return items


def _predicted_items(doc: GoldDocument, predicted: Iterable[Predicted], by_ours: Mapping[str, str]) -> set[_Item]:
    items = set()
    for span in predicted:
        category = by_ours.get(span.label)
        start, end = trim_span(doc.text, span.start, span.end)
        if category is not None and end > start:
            items.add((start, end, category))
    return items


def _span_scores(gold: set[_Item], predicted: set[_Item], category: str) -> tuple[Score, Score]:
    gold_c = [g for g in gold if g[2] == category]
    pred_c = [p for p in predicted if p[2] == category]
    exact = len(set(gold_c) & set(pred_c))
    right = sum(1 for p in pred_c if any(p[0] < g[1] and g[0] < p[1] for g in gold_c))
    found = sum(1 for g in gold_c if any(p[0] < g[1] and g[0] < p[1] for p in pred_c))
    return Score(exact, len(pred_c), exact, len(gold_c)), Score(right, len(pred_c), found, len(gold_c))


def _concepts(text: str, items: Iterable[_Item]) -> set[tuple[str, str]]:
    keys = {(category, name_key(text[start:end])) for start, end, category in items}
    return {(category, key) for category, key in keys if key}


def _with_micro(table: dict[str, Score]) -> dict[str, Score]:
    total = Score()
    for score in table.values():
        total = total + score
    return {**table, MICRO: total}


def evaluate(
    documents: Sequence[GoldDocument],
    predictions: Sequence[Iterable[Predicted]],
    labels: Mapping[str, Category],
) -> EvalReport:
    """Score ``predictions`` (one iterable per document, in order) against ``documents``.

    ``labels`` maps each evaluation category to the gold labels and our labels
    that count as it (see :data:`kg.quality.gold.LABEL_MAPS`); spans of other labels are
    left out on both sides.

    Raises
    ------
    ValueError
        ``predictions`` and ``documents`` differ in length.
    """
    if len(predictions) != len(documents):
        raise ValueError(f"{len(predictions)} predictions for {len(documents)} documents")
    by_gold = {label: name for name, category in labels.items() for label in category.gold}
    by_ours = {label: name for name, category in labels.items() for label in category.ours}
    groups: dict[str, dict[str, dict[str, Score]]] = {}
    gold_concepts: dict[str, set[tuple[str, str]]] = {}
    predicted_concepts: dict[str, set[tuple[str, str]]] = {}
    for doc, predicted in zip(documents, predictions):
        gold = _gold_items(doc, by_gold)
        pred = _predicted_items(doc, predicted, by_ours)
        tables = groups.setdefault(doc.group, {kind: {name: Score() for name in labels} for kind in KINDS})
        for name in labels:
            e, p = _span_scores(gold, pred, name)
            tables["exact"][name] += e
            tables["partial"][name] += p
        gold_concepts.setdefault(doc.group, set()).update(_concepts(doc.text, gold))
        predicted_concepts.setdefault(doc.group, set()).update(_concepts(doc.text, pred))
    for group, gold_set in gold_concepts.items():
        pred_set = predicted_concepts[group]
        for name in labels:
            wanted = {c for c in gold_set if c[0] == name}
            got = {c for c in pred_set if c[0] == name}
            groups[group]["paper"][name] = Score(len(wanted & got), len(got), len(wanted & got), len(wanted))
    totals = {kind: _with_micro(_sum(tables[kind] for tables in groups.values()) if groups else
                                {name: Score() for name in labels}) for kind in KINDS}
    return EvalReport(len(documents), len(groups), totals["exact"], totals["partial"], totals["paper"],
                      by_group=groups, characters=sum(len(doc.text) for doc in documents))


def _sum(tables: Iterable[dict[str, Score]]) -> dict[str, Score]:
    total: dict[str, Score] = {}
    for table in tables:
        for name, score in table.items():
            total[name] = total.get(name, Score()) + score
    return total


def evaluate_file(
    path: str | Path,
    fmt: str,
    nlp: Language,
    *,
    only: Iterable[str] = (),
    labels: Mapping[str, Category] | None = None,
    abstracts_only: bool = False,
) -> EvalReport:
    """Read the gold file ``path`` of format ``fmt``, run ``nlp`` on its texts and score the result.

    Parameters
    ----------
    path, fmt:
        The gold file and its format (see :data:`kg.quality.gold.GOLD_FORMATS`).
    nlp:
        A pipeline from :func:`kg.extractors.make_pipeline`.
    only:
        Score only these categories of the format's label map (default: all).
    labels:
        A label map instead of the format's own.
    abstracts_only:
        Score only the texts the corpus marks as abstracts (GSAP-NER's abstract paragraphs).

    Raises
    ------
    InputError
        The file cannot be read, ``only`` names a category the format does not have,
        or ``abstracts_only`` is asked of a file that marks no abstract.
    """
    documents = read_gold(path, fmt)
    if abstracts_only:
        if all(doc.abstract is None for doc in documents):
            raise InputError(f"no document is marked as an abstract or not ({fmt} has no such field)", path=path)
        documents = [doc for doc in documents if doc.abstract]
    label_map = labels if labels is not None else LABEL_MAPS[fmt]
    try:
        label_map = restrict(label_map, only)
    except KeyError as exc:
        raise InputError(f"{fmt} has no category {exc.args[0]!r}; it has {', '.join(label_map)}") from None
    started = time.perf_counter()
    predictions = predict(nlp, documents)
    seconds = time.perf_counter() - started
    return replace(evaluate(documents, predictions, label_map), seconds=seconds)


def evaluate_extractor(path: str | Path, fmt: str, extractor: str, *, spacy_model: str | None = None,
                       only: Iterable[str] = (), abstracts_only: bool = False) -> EvalReport:
    """:func:`evaluate_file` with the pipeline of ``extractor`` (see :func:`kg.extractors.pipeline.make_pipeline`),
    the time to load it kept apart as ``load_seconds``.

    Raises
    ------
    KGError
        As :func:`evaluate_file`, or the pipeline cannot be made.
    """
    started = time.perf_counter()
    nlp = make_pipeline(spacy_model, extractor=extractor)
    nlp(nlp.make_doc("Warm-up: BERT on SQuAD."))
    loaded = time.perf_counter() - started
    report = evaluate_file(path, fmt, nlp, only=only, abstracts_only=abstracts_only)
    return replace(report, load_seconds=loaded)


def predict(nlp: Language, documents: Iterable[GoldDocument], *, batch_size: int = 64) -> list[list[Predicted]]:
    """Run ``nlp`` on each document's text and return the spans of ``doc.spans["kg"]``."""
    results = []
    docs = (_doc(nlp, d.text) for d in documents)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        results.append([Predicted(s.start_char, s.end_char, s.label_) for s in doc.spans.get("kg", [])])
    return results


def _doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc
