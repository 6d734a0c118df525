"""Questions about citations.

* :func:`cites` / :func:`cited_by`: a paper"s references and citing papers;
* :func:`related`: other papers by co-citation (cited together by the same
  papers), bibliographic coupling (sharing references), shared concepts, or all
  three (each normalised to its best candidate, then summed);
* :func:`cited_concepts`: concepts ranked by citation-weighted use, each paper
  using a concept weighing one plus the number of papers citing it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.errors import KGError
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Edge, Label, Node, RelType, str_prop
from kg.queries.lookup import find_paper
from kg.queries.results import CitationHit, CitedConcept, Relatedness, display_title
from kg.queries.shared import shared_with_paper

__all__ = ["RELATED_BY", "cited_by", "cited_concepts", "cites", "related"]


RELATED_BY = ("cocitation", "coupling", "concepts", "all")


def _titles(store: GraphStore, ids: Iterable[str]) -> dict[str, Node]:
    return {node.id: node for node in store.nodes(Label.PAPER, ids=ids, fields=["title", "stub", "abstract"])}


def _hits(store: GraphStore, edges: list[Edge], other: str) -> list[CitationHit]:
    nodes = _titles(store, (getattr(edge, other) for edge in edges))
    hits = [
        CitationHit(getattr(e, other), display_title(nodes.get(getattr(e, other))),
                    bool(nodes.get(getattr(e, other)) and nodes[getattr(e, other)].properties.get("stub")),
                    str_prop(e.properties, "via"), str_prop(e.properties, "evidence"))
        for e in edges
    ]
    return sorted(hits, key=lambda h: (h.stub, h.title.casefold(), h.id))


def cites(store: GraphStore, ref: str) -> list[CitationHit]:
    """The papers that paper ``ref`` cites (papers of the corpus first, then stubs)."""
    paper = find_paper(store, ref)
    return _hits(store, store.edges([RelType.CITES], sources=[paper.id]), "target")


def cited_by(store: GraphStore, ref: str) -> list[CitationHit]:
    """The papers that cite paper ``ref``."""
    paper = find_paper(store, ref)
    return _hits(store, store.edges([RelType.CITES], targets=[paper.id]), "source")


def _counts(pairs: Iterable[tuple[str, str]], exclude: str) -> dict[str, int]:
    counts: dict[str, set[str]] = defaultdict(set)
    for other, via in pairs:
        if other != exclude:
            counts[other].add(via)
    return {other: len(vias) for other, vias in counts.items()}


def _cocitation(store: GraphStore, paper: str) -> dict[str, int]:
    citers = [e.source for e in store.edges([RelType.CITES], targets=[paper], fields=[])]
    together = store.edges([RelType.CITES], sources=citers, fields=[]) if citers else []
    return _counts(((e.target, e.source) for e in together), paper)


def _coupling(store: GraphStore, paper: str) -> dict[str, int]:
    references = [e.target for e in store.edges([RelType.CITES], sources=[paper], fields=[])]
    sharing = store.edges([RelType.CITES], targets=references, fields=[]) if references else []
    return _counts(((e.source, e.target) for e in sharing), paper)


def related(store: GraphStore, ref: str, by: str = "all", limit: int | None = None) -> list[Relatedness]:
    """Papers related to ``ref`` by ``by`` (one of :data:`RELATED_BY`), best first.

    Raises ``KGError`` for an unknown ``by``.
    """
    if by not in RELATED_BY:
        raise KGError(f"unknown relatedness {by!r}; use one of: {', '.join(RELATED_BY)}")
    paper = find_paper(store, ref)
    cocited = _cocitation(store, paper.id) if by in ("cocitation", "all") else {}
    coupled = _coupling(store, paper.id) if by in ("coupling", "all") else {}
    concept = {r.id: r for r in shared_with_paper(store, paper.id)} if by in ("concepts", "all") else {}
    candidates = set(cocited) | set(coupled) | set(concept)
    best = [max(scores.values(), default=0) or 1 for scores in (cocited, coupled, {k: v.score for k, v in concept.items()})]
    nodes = _titles(store, candidates)
    results = []
    for other in candidates:
        parts = (cocited.get(other, 0), coupled.get(other, 0), concept[other].score if other in concept else 0.0)
        score = parts[0] if by == "cocitation" else parts[1] if by == "coupling" else parts[2] if by == "concepts" \
            else sum(part / top for part, top in zip(parts, best))
        results.append(Relatedness(other, display_title(nodes.get(other)), round(float(score), 4), parts[0], parts[1],
                                   parts[2], concept[other].shared if other in concept else []))
    results.sort(key=lambda r: (-r.score, r.title.casefold(), r.id))
    return results[:limit] if limit else results


def cited_concepts(store: GraphStore, label: Label | None = None, top: int | None = None) -> list[CitedConcept]:
    """Concepts by citation-weighted use: each using paper counts one plus its citations."""
    citations: dict[str, int] = defaultdict(int)
    for edge in store.edges([RelType.CITES], fields=[]):
        citations[edge.target] += 1
    users: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES, fields=[]):
        users[edge.target].add(edge.source)
    labels = [label] if label else list(CONCEPT_LABELS)
    found = []
    for node in (n for lab in labels for n in store.nodes(lab, fields=["name"])):
        papers = users.get(node.id, set())
        cited = sum(citations.get(p, 0) for p in papers)
        found.append(CitedConcept(node.id, str_prop(node.properties, "name"), node.label.value, len(papers), cited,
                                  len(papers) + cited))
    found.sort(key=lambda c: (-c.weighted, -c.papers, c.name.casefold(), c.id))
    return found[:top] if top else found
