"""Counts of what the store holds, each counted by the engine: nodes by label, relationships by type,
papers without concepts, stubs."""

from __future__ import annotations

from kg.graphs.store import GraphStore
from kg.model import Label, RelType
from kg.queries.results import Stats
from kg.queries.texts import ROLES

__all__ = ["stats"]

_NODES = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n"
_EDGES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"
_WITHOUT = (f"MATCH (p:Paper) WHERE (p.stub IS NULL OR p.stub = false) AND NOT (p)-[:{ROLES}]->() "
            "RETURN count(p) AS n")
_STUBS = "MATCH (p:Paper) WHERE p.stub = true RETURN count(p) AS n"


def stats(store: GraphStore) -> Stats:
    """Node counts by label, edge counts by type, papers (not stubs) with no concept, and stubs."""
    nodes = {label.value: 0 for label in Label} | {str(r["label"]): int(r["n"]) for r in store.cypher(_NODES)}  # type: ignore[call-overload]
    edges = {kind.value: 0 for kind in RelType} | {str(r["type"]): int(r["n"]) for r in store.cypher(_EDGES)}  # type: ignore[call-overload]
    without = int(store.cypher(_WITHOUT)[0]["n"])  # type: ignore[call-overload]
    stubs = int(store.cypher(_STUBS)[0]["n"])  # type: ignore[call-overload]
    return Stats(nodes, edges, without, stubs)
