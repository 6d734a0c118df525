"""Confidence intervals for precision, recall and F1, by resampling papers.

Mentions of one paper are not independent (a paper names its dataset five times), so
the unit of resampling is the paper (a gold document's ``group``): each resample draws
as many papers as there are, with replacement, adds up their counts and recomputes the
micro-averaged score. The interval is the central ``level`` share of the resampled
scores (percentile bootstrap), with a fixed seed so a report is reproducible.

Examples
--------
>>> from kg.quality.evaluate import Score
>>> groups = {f"p{i}": {"exact": {"micro": Score(i % 3, 3, i % 3, 3)}} for i in range(30)}
>>> low, high = interval(groups, "exact", "micro", "f1")
>>> 0.2 < low < 1 / 3 < high < 0.5
True
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from kg.quality.evaluate import MICRO, Score

__all__ = ["RESAMPLES", "interval", "score_of"]

RESAMPLES = 1000
"""Resamples per interval."""


def score_of(score: Score, measure: str) -> float:
    """``precision``, ``recall`` or ``f1`` of ``score``."""
    return float(getattr(score, measure))


def _counts(groups: Mapping[str, Mapping[str, Mapping[str, Score]]], kind: str, category: str) -> np.ndarray:
    rows = []
    for tables in groups.values():
        table = tables[kind]
        if category == MICRO and MICRO not in table:
            total = Score()
            for score in table.values():
                total = total + score
        else:
            total = table.get(category, Score())
        rows.append((total.right, total.predicted, total.found, total.gold))
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


def interval(groups: Mapping[str, Mapping[str, Mapping[str, Score]]], kind: str, category: str = MICRO,
             measure: str = "f1", *, resamples: int = RESAMPLES, level: float = 0.95,
             seed: int = 0) -> tuple[float, float]:
    """The ``level`` confidence interval of ``measure`` for ``category`` counted as ``kind``.

    ``groups`` maps each paper to its tables (``{"exact": {category: Score}}``, as in
    :attr:`kg.quality.evaluate.EvalReport.by_group`); ``micro`` adds up every category.
    With no paper the interval is ``(0.0, 0.0)``.
    """
    counts = _counts(groups, kind, category)
    if not len(counts):
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(counts), np.full(len(counts), 1 / len(counts)), size=resamples)
    right, predicted, found, gold = (weights @ counts).T
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, right / predicted, 0.0)
        recall = np.where(gold > 0, found / gold, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    values = {"precision": precision, "recall": recall, "f1": f1}[measure]
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)
