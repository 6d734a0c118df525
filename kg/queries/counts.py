"""Counts of what the store holds: nodes by label, relationships by type, papers without concepts, stubs."""

from __future__ import annotations

from kg.graphs.store import GraphStore
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType
from kg.queries.results import Stats

__all__ = ["stats"]


def stats(store: GraphStore) -> Stats:
    """Node counts by label, edge counts by type, papers (not stubs) with no concept, and stubs."""
    node_counts = {label.value: store.count(label) for label in Label}
    edge_counts: dict[str, int] = {t.value: 0 for t in RelType}
    with_concepts = set()
    for edge in store.edges(fields=[]):
        edge_counts[edge.type.value] += 1
        if edge.type in PAPER_CONCEPT_TYPES:
            with_concepts.add(edge.source)
    stubs = sum(1 for node in store.nodes(Label.PAPER, fields=["stub"]) if node.properties.get("stub"))
    return Stats(node_counts, edge_counts, node_counts[Label.PAPER.value] - stubs - len(with_concepts), stubs)
