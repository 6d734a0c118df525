"""Who shares what: the papers using a concept (or one of its variants), and the papers sharing most with a paper."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict

from kg.graphs.store import GraphStore
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType, float_prop, int_prop, str_prop
from kg.queries.families import ancestors, descendants, up
from kg.queries.lookup import find_concepts, find_paper
from kg.queries.results import PaperHit, RelatedPaper

__all__ = ["shared_concept", "shared_with_paper"]


def shared_concept(store: GraphStore, label: Label, name: str) -> list[PaperHit]:
    """The papers that use the concept ``name`` of type ``label`` or any of its variants.

    Sorted by role (proposes, evaluates on, uses, mentions), then mentions, then title.
    """
    roots = find_concepts(store, label, name)
    family = {node.id for node in roots} | set(descendants(store, [node.id for node in roots]))
    concept_names = {node.id: str(node.properties.get("name")) for node in store.nodes(ids=family, fields=["name"])}
    edges = store.edges(PAPER_CONCEPT_TYPES, targets=family, fields=["evidence", "confidence", "count"])
    best: dict[str, tuple[tuple[int, int, str], PaperHit]] = {}
    matched: dict[str, set[str]] = defaultdict(set)
    titles = {p.id: str(p.properties.get("title", "")) for p in store.nodes(Label.PAPER, ids={e.source for e in edges}, fields=["title"])}
    for edge in edges:
        props = edge.properties
        hit = PaperHit(
            edge.source,
            titles[edge.source],
            concept_names[edge.target],
            edge.target,
            edge.type.value,
            str_prop(props, "evidence"),
            float_prop(props, "confidence"),
            int_prop(props, "count"),
            [],
        )
        matched[edge.source].add(concept_names[edge.target])
        rank = (PAPER_CONCEPT_TYPES.index(edge.type), -hit.mentions, edge.target)
        if edge.source not in best or rank < best[edge.source][0]:
            best[edge.source] = (rank, hit)
    hits = [dataclasses.replace(hit, matched=sorted(matched[hit.id], key=str.casefold)) for _, hit in best.values()]
    return sorted(hits, key=lambda h: (PAPER_CONCEPT_TYPES.index(RelType(h.role)), -h.mentions, h.title.casefold(), h.id))


def shared_with_paper(store: GraphStore, ref: str, limit: int | None = None) -> list[RelatedPaper]:
    """Other papers ranked by the concepts (and concept families) they share with paper ``ref``.

    A shared concept scores ``log((N + 1) / df)``, N papers in all and df those
    using the concept or a variant of it, so a rare shared dataset counts for
    more than a ubiquitous "transformer". A family counts only when no more
    specific member is shared (GPT-2 shared: GPT does not count again). Ties
    sort by more shared concepts, then title.
    """
    paper = find_paper(store, ref)
    own = {e.target for e in store.edges(PAPER_CONCEPT_TYPES, sources=[paper.id], fields=[])}
    if not own:
        return []
    families = ancestors(store, own)
    scope = own | set(families.values())
    below = descendants(store, scope)
    parents = {**below, **families}
    users: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES, targets=scope | set(below), fields=[]):
        for concept in up(edge.target, parents, scope):
            users[concept].add(edge.source)
    total = store.count(Label.PAPER)
    shared: dict[str, set[str]] = defaultdict(set)
    for concept, who in users.items():
        for other in who - {paper.id}:
            shared[other].add(concept)
    for other, concepts_ in shared.items():
        broader = {a for c in concepts_ for a in up(parents.get(c, ""), parents, scope)}
        shared[other] = concepts_ - broader
    return _rank_related(store, shared, users, total, limit)


def _rank_related(
    store: GraphStore, shared: dict[str, set[str]], users: dict[str, set[str]], total: int, limit: int | None
) -> list[RelatedPaper]:
    names = {n.id: str(n.properties.get("name")) for n in store.nodes(ids=users, fields=["name"])}
    titles = {n.id: str(n.properties.get("title", "")) for n in store.nodes(Label.PAPER, ids=shared, fields=["title"])}
    weight = {c: math.log((total + 1) / len(who)) for c, who in users.items()}
    related = [
        RelatedPaper(
            other,
            titles.get(other, ""),
            round(sum(weight[c] for c in concepts), 4),
            [names[c] for c in sorted(concepts, key=lambda c: (-weight[c], names[c]))],
            sorted(concepts),
        )
        for other, concepts in shared.items()
    ]
    related.sort(key=lambda r: (-r.score, -len(r.shared), r.title.casefold(), r.id))
    return related[:limit] if limit else related
