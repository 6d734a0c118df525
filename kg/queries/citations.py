"""Questions about citations, each counted by the engine.

* :func:`cites` / :func:`cited_by`: a paper's references and citing papers;
* :func:`related`: other papers by co-citation (cited together by the same
  papers), bibliographic coupling (sharing references), shared concepts, or all
  three (each normalised to its best candidate, then summed);
* :func:`cited_concepts`: concepts ranked by citation-weighted use, each paper
  using a concept weighing one plus the number of papers citing it.
"""

from __future__ import annotations

from kg.errors import KGError
from kg.graphs.store import GraphStore
from kg.model import Label
from kg.queries.lookup import find_paper
from kg.queries.results import CitationHit, CitedConcept, Relatedness, display_title
from kg.queries.shared import shared_with_paper
from kg.queries.texts import ROLES, concept_labels, display

__all__ = ["RELATED_BY", "cited_by", "cited_concepts", "cites", "related"]

RELATED_BY = ("cocitation", "coupling", "concepts", "all")

_CITES = (f"MATCH (p:Paper {{id: $id}})-[r:CITES]->(o:Paper) RETURN o.id AS id, {display('o')}, o.stub AS stub, "
          "r.via AS via, r.evidence AS evidence")
_CITED_BY = (f"MATCH (p:Paper {{id: $id}})<-[r:CITES]-(o:Paper) RETURN o.id AS id, {display('o')}, o.stub AS stub, "
             "r.via AS via, r.evidence AS evidence")
_COCITED = ("MATCH (p:Paper {id: $id})<-[:CITES]-(c:Paper)-[:CITES]->(o:Paper) WHERE o.id <> $id "
            "RETURN o.id AS id, count(DISTINCT c) AS n")
_COUPLED = ("MATCH (p:Paper {id: $id})-[:CITES]->(t:Paper)<-[:CITES]-(o:Paper) WHERE o.id <> $id "
            "RETURN o.id AS id, count(DISTINCT t) AS n")
_TITLES = f"MATCH (p:Paper) WHERE p.id IN $ids RETURN p.id AS id, {display('p')}"


def _hits(rows: list[dict[str, object]]) -> list[CitationHit]:
    hits = [CitationHit(str(r["id"]), display_title(r), bool(r["stub"]), str(r["via"] or ""), str(r["evidence"] or ""))
            for r in rows]
    return sorted(hits, key=lambda h: (h.stub, h.title.casefold(), h.id))


def cites(store: GraphStore, ref: str) -> list[CitationHit]:
    """The papers that paper ``ref`` cites (papers of the corpus first, then stubs)."""
    return _hits(store.cypher(_CITES, {"id": find_paper(store, ref).id}))


def cited_by(store: GraphStore, ref: str) -> list[CitationHit]:
    """The papers that cite paper ``ref``."""
    return _hits(store.cypher(_CITED_BY, {"id": find_paper(store, ref).id}))


def related(store: GraphStore, ref: str, by: str = "all", limit: int | None = None) -> list[Relatedness]:
    """Papers related to ``ref`` by ``by`` (one of :data:`RELATED_BY`), best first.

    Raises ``KGError`` for an unknown ``by``.
    """
    if by not in RELATED_BY:
        raise KGError(f"unknown relatedness {by!r}; use one of: {', '.join(RELATED_BY)}")
    paper = find_paper(store, ref)
    counted = {"cocitation": _COCITED, "coupling": _COUPLED}
    cocited, coupled = (
        {str(r["id"]): int(r["n"]) for r in store.cypher(counted[kind], {"id": paper.id})}  # type: ignore[call-overload]
        if by in (kind, "all") else {}
        for kind in ("cocitation", "coupling")
    )
    concept = {r.id: r for r in shared_with_paper(store, paper.id)} if by in ("concepts", "all") else {}
    candidates = set(cocited) | set(coupled) | set(concept)
    best = [max(scores.values(), default=0) or 1 for scores in (cocited, coupled, {k: v.score for k, v in concept.items()})]
    titles = {str(r["id"]): display_title(r) for r in store.cypher(_TITLES, {"ids": sorted(candidates)})}
    results = []
    for other in candidates:
        parts = (cocited.get(other, 0), coupled.get(other, 0), concept[other].score if other in concept else 0.0)
        score = parts[0] if by == "cocitation" else parts[1] if by == "coupling" else parts[2] if by == "concepts" \
            else sum(part / top for part, top in zip(parts, best))
        results.append(Relatedness(other, titles.get(other, ""), round(float(score), 4), parts[0], parts[1], parts[2],
                                   concept[other].shared if other in concept else []))
    results.sort(key=lambda r: (-r.score, r.title.casefold(), r.id))
    return results[:limit] if limit else results


def cited_concepts(store: GraphStore, label: Label | None = None, top: int | None = None) -> list[CitedConcept]:
    """Concepts by citation-weighted use: each using paper counts one plus its citations."""
    query = (f"MATCH (c:{concept_labels(label)}) OPTIONAL MATCH (p:Paper)-[:{ROLES}]->(c) "
             "OPTIONAL MATCH (p)<-[x:CITES]-(:Paper) WITH c, p, count(x) AS cited "
             "RETURN c.id AS id, c.name AS name, labels(c)[0] AS type, count(p) AS papers, sum(cited) AS citations")
    found = [CitedConcept(str(r["id"]), str(r["name"]), str(r["type"]), int(r["papers"]),  # type: ignore[call-overload]
                          int(r["citations"]), int(r["papers"]) + int(r["citations"]))  # type: ignore[call-overload]
             for r in store.cypher(query)]
    found.sort(key=lambda c: (-c.weighted, -c.papers, c.name.casefold(), c.id))
    return found[:top] if top else found
