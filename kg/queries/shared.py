"""Who shares what: the papers using a concept (or one of its variants), and the papers sharing most with a paper.

The engine finds the papers; the ranking of a paper's neighbours, which lets a
family count only where no more specific member is shared, is computed here on
the small graph of that paper's concepts and their families.
"""

from __future__ import annotations

import math
from collections import defaultdict

from kg.graphs.store import GraphStore
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType
from kg.queries.families import ancestors, descendants, up
from kg.queries.lookup import find_concepts, find_paper
from kg.queries.results import PaperHit, RelatedPaper
from kg.queries.texts import CONCEPTS, ROLES

__all__ = ["shared_concept", "shared_with_paper"]

_USERS_OF_FAMILY = (
    f"MATCH (root:{CONCEPTS}) WHERE root.id IN $roots "
    f"MATCH (c:{CONCEPTS})-[:VARIANT_OF*0..]->(root) "
    f"MATCH (p:Paper)-[r:{ROLES}]->(c) "
    "RETURN DISTINCT p.id AS id, p.title AS title, c.id AS concept_id, c.name AS concept, type(r) AS role, "
    "r.evidence AS evidence, r.confidence AS confidence, r.count AS mentions"
)
_OWN = f"MATCH (p:Paper {{id: $id}})-[:{ROLES}]->(c:{CONCEPTS}) RETURN c.id AS id"
_USERS = f"MATCH (p:Paper)-[:{ROLES}]->(c:{CONCEPTS}) WHERE c.id IN $ids RETURN p.id AS paper, c.id AS concept"
_NAMES = f"MATCH (c:{CONCEPTS}) WHERE c.id IN $ids RETURN c.id AS id, c.name AS name"
_TITLES = "MATCH (p:Paper) WHERE p.id IN $ids RETURN p.id AS id, p.title AS title"
_PAPERS = "MATCH (p:Paper) RETURN count(p) AS n"


def shared_concept(store: GraphStore, label: Label, name: str) -> list[PaperHit]:
    """The papers that use the concept ``name`` of type ``label`` or any of its variants.

    Each paper appears once, with its strongest link; sorted by role (proposes,
    evaluates on, uses, mentions), then mentions, then title.
    """
    roots = [node.id for node in find_concepts(store, label, name)]
    best: dict[str, tuple[tuple[int, int, str], PaperHit]] = {}
    matched: dict[str, set[str]] = defaultdict(set)
    for row in store.cypher(_USERS_OF_FAMILY, {"roots": roots}):
        hit = PaperHit(str(row["id"]), str(row["title"] or ""), str(row["concept"]), str(row["concept_id"]),
                       str(row["role"]), str(row["evidence"] or ""), float(row["confidence"] or 0.0),  # type: ignore[arg-type]
                       int(row["mentions"] or 0), [])  # type: ignore[call-overload]
        matched[hit.id].add(hit.concept)
        rank = (PAPER_CONCEPT_TYPES.index(RelType(hit.role)), -hit.mentions, hit.concept_id)
        if hit.id not in best or rank < best[hit.id][0]:
            best[hit.id] = (rank, hit)
    hits = [PaperHit(**{**hit.__dict__, "matched": sorted(matched[hit.id], key=str.casefold)})
            for _, hit in best.values()]
    return sorted(hits, key=lambda h: (PAPER_CONCEPT_TYPES.index(RelType(h.role)), -h.mentions, h.title.casefold(),
                                       h.id))


def shared_with_paper(store: GraphStore, ref: str, limit: int | None = None) -> list[RelatedPaper]:
    """Other papers ranked by the concepts (and concept families) they share with paper ``ref``.

    A shared concept scores ``log((N + 1) / df)``, N papers in all and df those
    using the concept or a variant of it, so a rare shared dataset counts for
    more than a ubiquitous "transformer". A family counts only when no more
    specific member is shared (GPT-2 shared: GPT does not count again). Ties
    sort by more shared concepts, then title.
    """
    paper = find_paper(store, ref)
    own = {str(row["id"]) for row in store.cypher(_OWN, {"id": paper.id})}
    if not own:
        return []
    families = ancestors(store, own)
    scope = own | set(families.values())
    below = descendants(store, scope)
    parents = {**below, **families}
    users: dict[str, set[str]] = defaultdict(set)
    for row in store.cypher(_USERS, {"ids": sorted(scope | set(below))}):
        for concept in up(str(row["concept"]), parents, scope):
            users[concept].add(str(row["paper"]))
    total = int(store.cypher(_PAPERS)[0]["n"])  # type: ignore[call-overload]
    shared: dict[str, set[str]] = defaultdict(set)
    for concept, who in users.items():
        for other in who - {paper.id}:
            shared[other].add(concept)
    for other, concepts_ in shared.items():
        broader = {a for c in concepts_ for a in up(parents.get(c, ""), parents, scope)}
        shared[other] = concepts_ - broader
    return _rank(store, shared, users, total, limit)


def _rank(store: GraphStore, shared: dict[str, set[str]], users: dict[str, set[str]], total: int,
          limit: int | None) -> list[RelatedPaper]:
    names = {str(r["id"]): str(r["name"]) for r in store.cypher(_NAMES, {"ids": sorted(users)})}
    titles = {str(r["id"]): str(r["title"] or "") for r in store.cypher(_TITLES, {"ids": sorted(shared)})}
    weight = {c: math.log((total + 1) / len(who)) for c, who in users.items()}
    related = [
        RelatedPaper(other, titles.get(other, ""), round(sum(weight[c] for c in concepts), 4),
                     [names[c] for c in sorted(concepts, key=lambda c: (-weight[c], names[c]))], sorted(concepts))
        for other, concepts in shared.items()
    ]
    related.sort(key=lambda r: (-r.score, -len(r.shared), r.title.casefold(), r.id))
    return related[:limit] if limit else related
