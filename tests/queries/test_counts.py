"""Counts of what the store holds, against the store's own nodes and edges."""

from __future__ import annotations

from collections import Counter

from kg import queries
from kg.graphs.embedded import EmbeddedStore
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType


def test_counts_match_the_nodes_and_edges(page_store: EmbeddedStore) -> None:
    found = queries.stats(page_store)
    graph = page_store.read()
    assert found.nodes == {label.value: sum(1 for n in graph.nodes if n.label is label) for label in Label}
    by_type = Counter(edge.type.value for edge in graph.edges)
    assert found.edges == {kind.value: by_type.get(kind.value, 0) for kind in RelType}
    with_concepts = {e.source for e in graph.edges if e.type in PAPER_CONCEPT_TYPES}
    papers = [n for n in graph.nodes if n.label is Label.PAPER]
    assert found.stub_papers == sum(1 for p in papers if p.properties.get("stub")) == 0
    assert found.papers_without_concepts == len(papers) - len(with_concepts)
    assert found.nodes["Paper"] == 64


def test_stubs_are_counted_apart(citeseer) -> None:  # type: ignore[no-untyped-def]
    store, report = citeseer
    found = queries.stats(store)
    assert found.stub_papers == report.citations.stubs_created == 72
    assert found.edges["CITES"] == report.citations.cites_from_references
