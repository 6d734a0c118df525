"""Concepts ranked by the papers that use them, directly and through their variants."""

from __future__ import annotations

from collections import defaultdict

from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label, RelType
from kg.queries.families import up
from kg.queries.results import ConceptCount

__all__ = ["concepts"]


def concepts(store: GraphStore, label: Label | None = None, top: int | None = None) -> list[ConceptCount]:
    """Concepts by the number of papers that use them (then name); ``top`` keeps the first N."""
    labels = [label] if label else list(CONCEPT_LABELS)
    nodes = {n.id: n for lab in labels for n in store.nodes(lab, fields=["name"])}
    direct: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES, fields=[]):
        direct[edge.target].add(edge.source)
    parent = {e.source: e.target for e in store.edges([RelType.VARIANT_OF], fields=[])}
    inclusive: dict[str, set[str]] = defaultdict(set)
    for concept, who in direct.items():
        for ancestor in up(concept, parent, set(nodes) | set(direct) | set(parent.values())):
            inclusive[ancestor] |= who
    counts = [
        ConceptCount(
            cid,
            str(node.properties.get("name")),
            node.label.value,
            len(direct.get(cid, ())),
            len(inclusive.get(cid, ())),
            parent.get(cid),
        )
        for cid, node in nodes.items()
    ]
    counts.sort(key=lambda c: (-c.papers, -c.papers_with_variants, c.name.casefold(), c.id))
    return counts[:top] if top else counts
