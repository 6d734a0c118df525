"""Retracting papers (``kg remove``): a paper goes with everything only it supported.

A concept no other paper uses (directly or through a variant), a stub no other
paper cites, a repository no other paper links go too. A removed paper that
other papers still cite stays as a stub, so their citations stay counted. The
removal is one store write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.errors import NotFoundError
from kg.graphs.store import GraphStore
from kg.model import PAPER_OWNED_TYPES, Graph, Label, Node, RelType
from kg.pipeline.prune import orphans
from kg.queries import find_paper

__all__ = ["RemoveReport", "remove_papers"]

_STUB_FIELDS = ("title", "year", "doi", "arxiv_id", "aliases")


@dataclass(frozen=True)
class RemoveReport:
    """What a removal did: papers deleted, papers kept as stubs (still cited), other nodes pruned."""

    removed: list[str] = field(default_factory=list)
    kept_as_stubs: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


def _resolve(store: GraphStore, refs: Iterable[str]) -> list[Node]:
    papers = []
    for ref in refs:
        paper = find_paper(store, ref)
        if paper.properties.get("stub"):
            raise NotFoundError(f"{paper.id} is a stub (cited, not in the corpus); there is nothing to remove")
        papers.append(paper)
    return papers


def remove_papers(store: GraphStore, refs: Iterable[str]) -> RemoveReport:
    """Retract papers (ids or titles) and everything only they supported, in one write.

    Raises ``NotFoundError`` for a reference that matches no paper (nothing is removed then).
    """
    papers = _resolve(store, refs)
    ids = {paper.id for paper in papers}
    outgoing = store.edges(PAPER_OWNED_TYPES, sources=ids, fields=[])
    cited = {e.target for e in store.edges([RelType.CITES], targets=ids, fields=[]) if e.source not in ids}
    pruned = orphans(store, {edge.target for edge in outgoing} - ids, ids)
    stubs = [Node(Label.PAPER, p.id, {**{k: p.properties.get(k) for k in _STUB_FIELDS}, "stub": True})
             for p in papers if p.id in cited]
    deleted = sorted(ids - cited)
    store.write(Graph.of(stubs), remove=[*deleted, *pruned])
    return RemoveReport(deleted, sorted(stub.id for stub in stubs), pruned)
