"""``kg trends --plot``: the chart holds one line per concept and one bar per burst, its text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.explorer.plot import MAX_LINES, plot_trends
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label
from kg.queries.results import Burst, ConceptTrend, Trends
from kg.queries.trends import trends

SVG = "{http://www.w3.org/2000/svg}"


def _ids(path: Path) -> set[str]:
    return {e.get("id", "") for e in ET.parse(path).iter()}


def _texts(path: Path) -> list[str]:
    return ["".join(e.itertext()) for e in ET.parse(path).iter(f"{SVG}text")]


def test_one_line_per_concept_and_one_bar_per_burst(years_store: EmbeddedStore, tmp_path: Path) -> None:
    found = trends(years_store, Label.MODEL, top=5)
    plot_trends(found, tmp_path / "models.svg")
    ids = _ids(tmp_path / "models.svg")
    assert {i for i in ids if i.startswith("concept-")} == {f"concept-{i}" for i in range(5)}
    assert {i for i in ids if i.startswith("burst-")} == {f"burst-{i}-{j}" for i, t in enumerate(found.concepts)
                                                          for j in range(len(t.bursts))}
    texts = _texts(tmp_path / "models.svg")
    names = {t.name for t in found.concepts}
    assert "BERT" in names and names | {f"{name} (model)" for name in names} <= set(texts)
    assert "Papers per year, 2016-2024; 64 papers without a year not shown" in texts
    plot_trends(found, tmp_path / "models.png")
    assert (tmp_path / "models.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_at_most_ten_lines(years_store: EmbeddedStore, tmp_path: Path) -> None:
    plot_trends(trends(years_store), tmp_path / "all.svg")
    assert len({i for i in _ids(tmp_path / "all.svg") if i.startswith("concept-")}) == MAX_LINES


def test_names_are_drawn_as_written(tmp_path: Path) -> None:
    name = "<script>alert(1)</script> $x^2$ & co"
    hostile = Trends(2020, 2021, {2020: 10, 2021: 10}, 0,
                     [ConceptTrend("model:x", name, "Model", 2020, 3, 0, {2020: 1, 2021: 2}, [Burst(2021, 2021, 1.0)], 5.0)])
    plot_trends(hostile, tmp_path / "x.svg")
    assert f"{name} (model)" in _texts(tmp_path / "x.svg")
    assert "<script>" not in (tmp_path / "x.svg").read_text()


def test_nothing_to_plot_raises(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="nothing to plot"):
        plot_trends(Trends(None, None, {}, 64, []), tmp_path / "x.svg")
