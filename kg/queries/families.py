"""Concept families: variants and the families they belong to, along ``VARIANT_OF`` (``GPT-2 Small`` -> ``GPT-2`` -> ``GPT``).

Each walk is one variable-length pattern the engine follows; a concept with more
than one family keeps the first by id (a family of one parent is the rule).
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.graphs.store import GraphStore
from kg.queries.texts import CONCEPTS

__all__ = ["ancestors", "descendants", "up"]

_DESCENDANTS = (f"MATCH (d:{CONCEPTS})-[:VARIANT_OF*1..]->(r:{CONCEPTS}) WHERE r.id IN $ids "
                f"MATCH (d)-[:VARIANT_OF]->(p:{CONCEPTS}) RETURN d.id AS id, min(p.id) AS parent")
_ANCESTORS = (f"MATCH (c:{CONCEPTS})-[:VARIANT_OF*0..]->(a:{CONCEPTS}) WHERE c.id IN $ids "
              f"MATCH (a)-[:VARIANT_OF]->(p:{CONCEPTS}) RETURN a.id AS id, min(p.id) AS parent")


def descendants(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Every concept reachable from ``ids`` through incoming ``VARIANT_OF``, mapped to its parent."""
    wanted = sorted(set(ids))
    return {str(r["id"]): str(r["parent"]) for r in store.cypher(_DESCENDANTS, {"ids": wanted})} if wanted else {}


def ancestors(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """``ids`` and every family above them, each (that has one) mapped to its parent."""
    wanted = sorted(set(ids))
    return {str(r["id"]): str(r["parent"]) for r in store.cypher(_ANCESTORS, {"ids": wanted})} if wanted else {}


def up(concept: str, parents: dict[str, str], scope: set[str]) -> Iterable[str]:
    """``concept`` and its families by ``parents``, those in ``scope``, nearest first."""
    current: str | None = concept
    seen = set()
    while current is not None and current not in seen:
        seen.add(current)
        if current in scope:
            yield current
        current = parents.get(current)
