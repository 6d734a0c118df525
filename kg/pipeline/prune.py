"""Pruning what only some papers supported, when they go or are written again.

When a paper goes (``kg remove``) or is written again with other concepts, the
nodes that only it supported go too: a concept no other paper uses (directly
or through a variant), a stub no other paper cites, a repository no other
paper links. A removed paper that other papers still cite stays as a stub, so
their citations stay counted. Every removal is one store write.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.graphs.store import GraphStore
from kg.model import PAPER_OWNED_TYPES, Edge, Label, RelType

__all__ = ["orphans", "prune_after_rewrite"]


def _sources(store: GraphStore, node_id: str, kinds: Iterable[RelType]) -> set[str]:
    return {edge.source for edge in store.edges(kinds, targets=[node_id], fields=[])}


def orphans(store: GraphStore, candidates: Iterable[str], leaving: set[str],
            arriving: dict[str, set[str]] | None = None) -> list[str]:
    """The ``candidates`` (concepts, stubs, repositories) nobody supports once the papers in
    ``leaving`` lose their edges and the edges of ``arriving`` (target -> sources) are written.
    A concept's family follows when it is left with neither papers nor variants."""
    arriving = arriving or {}
    nodes = store.nodes(ids=candidates, fields=["stub"])
    stubs = {n.id for n in nodes if n.label is Label.PAPER and n.properties.get("stub")}
    pending = sorted(stubs | {n.id for n in nodes if n.label is not Label.PAPER})
    gone: set[str] = set()
    while pending:
        node_id = pending.pop()
        if node_id in gone or node_id in leaving or arriving.get(node_id):
            continue
        kinds = [RelType.CITES] if node_id in stubs else PAPER_OWNED_TYPES
        if _sources(store, node_id, kinds) - leaving or _sources(store, node_id, [RelType.VARIANT_OF]) - gone:
            continue
        gone.add(node_id)
        pending.extend(e.target for e in store.edges([RelType.VARIANT_OF], sources=[node_id], fields=[]))
    return sorted(gone)


def prune_after_rewrite(store: GraphStore, rewritten: set[str], new_edges: Iterable[Edge]) -> list[str]:
    """The nodes that papers being written again supported alone, and no longer will."""
    old_targets = {edge.target for edge in store.edges(PAPER_OWNED_TYPES, sources=rewritten, fields=[])}
    arriving: dict[str, set[str]] = {}
    for edge in new_edges:
        arriving.setdefault(edge.target, set()).add(edge.source)
    return orphans(store, old_targets - rewritten, rewritten, arriving)
