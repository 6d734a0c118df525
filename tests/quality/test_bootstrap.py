"""Confidence intervals by resampling papers: hand-checkable cases."""

from __future__ import annotations

from kg.quality.bootstrap import interval
from kg.quality.evaluate import Predicted, Score, evaluate
from kg.quality.gold import Category, GoldDocument, GoldSpan


def test_identical_papers_give_a_point() -> None:
    groups = {f"p{i}": {"exact": {"A": Score(1, 2, 1, 4)}} for i in range(10)}
    assert interval(groups, "exact", "A", "precision") == (0.5, 0.5)
    assert interval(groups, "exact", "micro", "recall") == (0.25, 0.25)


def test_interval_holds_the_estimate_and_is_reproducible() -> None:
    groups = {"good": {"exact": {"A": Score(9, 10, 9, 10)}}, "bad": {"exact": {"A": Score(1, 10, 1, 10)}},
              **{f"mid{i}": {"exact": {"A": Score(5, 10, 5, 10)}} for i in range(8)}}
    low, high = interval(groups, "exact", "A", "f1")
    assert low < 0.5 < high
    assert interval(groups, "exact", "A", "f1") == (low, high)
    assert 0.35 < low and high < 0.65
    narrow = interval(groups, "exact", "A", "f1", level=0.5)
    assert low <= narrow[0] <= narrow[1] <= high


def test_report_keeps_counts_per_paper() -> None:
    labels = {"M": Category(frozenset({"M"}), frozenset({"MODEL"}))}
    docs = [GoldDocument("a", "BERT and GPT", (GoldSpan(0, 4, "M"), GoldSpan(9, 12, "M")), "p1"),
            GoldDocument("b", "BERT", (GoldSpan(0, 4, "M"),), "p1"),
            GoldDocument("c", "ResNet", (GoldSpan(0, 6, "M"),), "p2")]
    report = evaluate(docs, [[Predicted(0, 4, "MODEL")], [], [Predicted(0, 6, "MODEL")]], labels)
    assert report.by_group["p1"]["exact"]["M"] == Score(1, 1, 1, 3)
    assert report.by_group["p2"]["exact"]["M"] == Score(1, 1, 1, 1)
    assert report.by_group["p1"]["paper"]["M"] == Score(1, 1, 1, 2)
    assert report.exact["micro"] == Score(2, 2, 2, 4) and report.characters == 22
    assert interval(report.by_group, "exact") == (0.5, 1.0)
