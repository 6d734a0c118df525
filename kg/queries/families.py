"""Concept families: variants and the families they belong to, along ``VARIANT_OF`` (``GPT-2 Small`` -> ``GPT-2`` -> ``GPT``)."""

from __future__ import annotations

from collections.abc import Iterable

from kg.graphs.store import GraphStore
from kg.model import RelType

__all__ = ["ancestors", "descendants", "up"]


def descendants(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Every concept reachable from ``ids`` through incoming ``VARIANT_OF``, mapped to its parent."""
    return _walk(store, ids, up=False)


def ancestors(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Every concept reachable from ``ids`` through outgoing ``VARIANT_OF`` (its families), mapped to its parent."""
    return _walk(store, ids, up=True)


def _walk(store: GraphStore, ids: Iterable[str], *, up: bool) -> dict[str, str]:
    """Breadth-first along ``VARIANT_OF``: towards families (``up``) or towards variants."""
    parent: dict[str, str] = {}
    frontier = set(ids)
    seen = set(frontier)
    while frontier:
        edges = store.edges([RelType.VARIANT_OF], fields=[], **{"sources" if up else "targets": frontier})
        frontier = {edge.target if up else edge.source for edge in edges} - seen
        for edge in edges:
            if up:
                parent.setdefault(edge.source, edge.target)
            elif edge.source in frontier:
                parent[edge.source] = edge.target
        seen |= frontier
    return parent


def up(concept: str, parents: dict[str, str], scope: set[str]) -> Iterable[str]:
    """``concept`` and its families by ``parents``, those in ``scope``, nearest first."""
    current: str | None = concept
    seen = set()
    while current is not None and current not in seen:
        seen.add(current)
        if current in scope:
            yield current
        current = parents.get(current)
