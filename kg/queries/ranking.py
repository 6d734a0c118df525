"""Concepts ranked by the papers that use them, directly and through their variants, counted by the engine."""

from __future__ import annotations

from kg.graphs.store import GraphStore
from kg.model import Label
from kg.queries.results import ConceptCount
from kg.queries.texts import CONCEPTS, ROLES, concept_labels

__all__ = ["concepts"]


def _direct(label: Label | None) -> str:
    return (f"MATCH (c:{concept_labels(label)}) OPTIONAL MATCH (p:Paper)-[:{ROLES}]->(c) "
            "RETURN c.id AS id, c.name AS name, labels(c)[0] AS type, count(DISTINCT p) AS papers")


def _with_variants(label: Label | None) -> str:
    return (f"MATCH (p:Paper)-[:{ROLES}]->(v:{CONCEPTS})-[:VARIANT_OF*0..]->(c:{concept_labels(label)}) "
            "RETURN c.id AS id, count(DISTINCT p) AS papers")


def _families(label: Label | None) -> str:
    return f"MATCH (c:{concept_labels(label)})-[:VARIANT_OF]->(f:{CONCEPTS}) RETURN c.id AS id, max(f.id) AS family"


def concepts(store: GraphStore, label: Label | None = None, top: int | None = None) -> list[ConceptCount]:
    """Concepts by the number of papers that use them (then with their variants, then name); ``top`` keeps the first N."""
    inclusive = {str(r["id"]): int(r["papers"]) for r in store.cypher(_with_variants(label))}  # type: ignore[call-overload]
    family = {str(r["id"]): str(r["family"]) for r in store.cypher(_families(label))}
    counts = [
        ConceptCount(str(r["id"]), str(r["name"]), str(r["type"]), int(r["papers"]),  # type: ignore[call-overload]
                     inclusive.get(str(r["id"]), 0), family.get(str(r["id"])))
        for r in store.cypher(_direct(label))
    ]
    counts.sort(key=lambda c: (-c.papers, -c.papers_with_variants, c.name.casefold(), c.id))
    return counts[:top] if top else counts
