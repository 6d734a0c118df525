"""Concepts over time on 720 dated ACL Anthology abstracts and the 64 undated papers of the bundled page."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import pytest

from kg.errors import KGError, NotFoundError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import PAPER_CONCEPT_TYPES, Label
from kg.queries.trends import bursts, rise, trends

YEARS = list(range(2016, 2025))


def _truth(store: EmbeddedStore) -> tuple[dict[str, dict[int, int]], dict[str, int]]:
    """Papers per concept and year, and undated papers per concept, counted from the stored nodes and edges."""
    year = {n.id: n.properties.get("year") for n in store.nodes(Label.PAPER)}
    users: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES):
        users[edge.target].add(edge.source)
    dated: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    undated: dict[str, int] = defaultdict(int)
    for concept, papers in users.items():
        for paper in papers:
            if year[paper] is None:
                undated[concept] += 1
            else:
                dated[concept][int(year[paper])] += 1  # type: ignore[call-overload]
    return dated, undated


def test_counts_are_the_papers_on_the_edges_and_undated_papers_stand_apart(years_store: EmbeddedStore) -> None:
    found = trends(years_store)
    assert (found.since, found.until) == (2016, 2024)
    assert found.papers_by_year == {year: 80 for year in YEARS}
    assert found.undated_papers == 64
    dated, undated = _truth(years_store)
    assert {t.id: t.by_year for t in found.concepts} == {c: dict(by) for c, by in dated.items()}
    assert {t.id: t.undated for t in found.concepts} == {c: undated.get(c, 0) for c in dated}
    assert {t.id: t.first_seen for t in found.concepts} == {c: min(by) for c, by in dated.items()}
    assert all(t.papers == sum(t.by_year.values()) for t in found.concepts)
    keys = [(-t.rise, -t.papers, t.name.casefold(), t.id) for t in found.concepts]
    assert keys == sorted(keys)


def test_bert_appears_in_2019_and_bursts_in_2020_and_2021(years_store: EmbeddedStore) -> None:
    named = trends(years_store, names=["bert"]).concepts
    assert {t.id for t in named} == {"model:bert", "model:bidirectionalencoderrepresentationtransformer"}
    bert = next(t for t in named if t.id == "model:bert")
    assert (bert.name, bert.first_seen, bert.by_year) == ("BERT", 2019, {2019: 5, 2020: 12, 2021: 11, 2022: 6,
                                                                          2023: 3, 2024: 2})
    assert [(b.start, b.end) for b in bert.bursts] == [(2020, 2021)]
    models = trends(years_store, Label.MODEL, since=2022, top=2).concepts
    assert [m.name for m in models] == ["ChatGPT", "GPT-4"]


def test_a_window_counts_only_its_years(years_store: EmbeddedStore) -> None:
    whole = {t.id: t for t in trends(years_store).concepts}
    window = trends(years_store, since=2018, until=2020)
    assert window.papers_by_year == {2018: 80, 2019: 80, 2020: 80}
    for t in window.concepts:
        assert t.by_year == {y: n for y, n in whole[t.id].by_year.items() if 2018 <= y <= 2020}
        assert t.papers > 0 and t.first_seen == whole[t.id].first_seen
        assert all(2018 <= b.start <= b.end <= 2020 for b in t.bursts)
        assert t.rise == rise({y: t.by_year.get(y, 0) / 80 for y in (2018, 2019, 2020)})
    assert len(trends(years_store, since=2018, until=2020, top=5).concepts) == 5


def test_impossible_windows_and_unknown_names_raise(years_store: EmbeddedStore) -> None:
    with pytest.raises(KGError, match="before"):
        trends(years_store, since=2020, until=2019)
    with pytest.raises(NotFoundError, match="no concept named"):
        trends(years_store, names=["no such concept at all"])


def _cost(rate: float, used: int, papers: int) -> float:
    return -(used * math.log(rate) + (papers - used) * math.log(1 - rate))


@pytest.mark.parametrize("used", [(1, 1, 8, 9, 1), (0, 5, 0, 5, 0), (3, 3, 3, 3), (0, 0, 1, 7, 7, 7), (9, 0, 0, 0, 0)])
def test_bursts_are_the_cheapest_of_all_state_sequences(used: tuple[int, ...]) -> None:
    papers = [20] * len(used)
    base = sum(used) / sum(papers)
    rates, enter = (base, 2 * base), math.log(len(used))

    def cost(states: tuple[int, ...]) -> float:
        moves = sum(enter for before, now in zip((0, *states), states) if now > before)
        return moves + sum(_cost(rates[s], r, d) for s, r, d in zip(states, used, papers))

    best = min(itertools.product((0, 1), repeat=len(used)), key=cost)
    runs = [(t, t) for t, s in enumerate(best) if s]
    merged: list[tuple[int, int]] = []
    for start, end in runs:
        merged = merged[:-1] + [(merged[-1][0], end)] if merged and merged[-1][1] == start - 1 else merged + [(start, end)]
    found = bursts(used, papers)
    assert [(a, b) for a, b, _ in found] == merged
    for a, b, strength in found:
        assert strength == pytest.approx(sum(_cost(rates[0], used[t], 20) - _cost(rates[1], used[t], 20)
                                             for t in range(a, b + 1)))


def test_bursts_refuse_impossible_counts() -> None:
    with pytest.raises(ValueError):
        bursts([3], [2])
    assert bursts([], []) == [] and bursts([0, 0], [5, 5]) == []


@pytest.mark.neo4j
def test_trends_are_the_same_on_neo4j(years_store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    neo4j_store.write(years_store.read())
    assert trends(neo4j_store) == trends(years_store)
    assert trends(neo4j_store, Label.MODEL, since=2019, until=2022, top=5) == trends(years_store, Label.MODEL, since=2019,
                                                                                     until=2022, top=5)
    assert trends(neo4j_store, names=["BERT", "GPT-4"]) == trends(years_store, names=["BERT", "GPT-4"])
