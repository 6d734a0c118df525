"""The named questions, written once over the primitives of :class:`kg.graphs.store.GraphStore`.

Every store answers them identically because they are computed here from the
same primitive lookups. Results are plain dataclasses; ``asdict`` gives the
JSON the CLI prints.

Concept names resolve through the normalised keys the concepts carry (any
spelling or alias: ``MS-COCO``, ``SAEs``, ``LLaMA-2``) and then the concept's
variants are added (asking for ``GPT-2`` finds ``GPT-2 Small``).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.graphs.store import GraphStore
from kg.errors import NotFoundError
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label, Node, RelType, float_prop, int_prop, str_prop
from kg.normalize import name_key
from kg.paper import normalise_title
from kg.pipeline.roles import ROLE_ORDER

__all__ = [
    "ConceptCount",
    "ConceptLink",
    "PaperConcepts",
    "PaperHit",
    "RelatedPaper",
    "Stats",
    "concepts",
    "descendants",
    "find_concepts",
    "find_paper",
    "papers",
    "shared_concept",
    "shared_with_paper",
    "show_paper",
    "stats",
]

_LIST_FIELD = {
    Label.DATASET: "datasets",
    Label.MODEL: "models",
    Label.METHOD: "methods",
    Label.TASK: "tasks",
    Label.METRIC: "metrics",
}
_DISPLAY = ("name", "title")


@dataclass(frozen=True)
class PaperConcepts:
    """A paper and the canonical names of its concepts, by type."""

    id: str
    title: str
    year: int | None
    datasets: list[str]
    models: list[str]
    methods: list[str]
    tasks: list[str]
    metrics: list[str]
    code: list[str]


@dataclass(frozen=True)
class PaperHit:
    """A paper linked to an asked-for concept (or one of its variants), with the evidence.

    ``concept`` is the paper's strongest link among them; ``matched`` names all of them.
    """

    id: str
    title: str
    concept: str
    concept_id: str
    role: str
    evidence: str
    confidence: float
    mentions: int
    matched: list[str]


@dataclass(frozen=True)
class RelatedPaper:
    """Another paper and what it shares with the asked-for paper; ``score`` sums the shared concepts' rarity."""

    id: str
    title: str
    score: float
    shared: list[str]
    shared_ids: list[str] = field(repr=False)


@dataclass(frozen=True)
class ConceptLink:
    """One concept of a paper, with its role and evidence."""

    id: str
    name: str
    type: str
    role: str
    evidence: str
    confidence: float
    mentions: int


@dataclass(frozen=True)
class ConceptCount:
    """A concept and how many papers use it directly and through its variants."""

    id: str
    name: str
    type: str
    papers: int
    papers_with_variants: int
    family: str | None


@dataclass(frozen=True)
class Stats:
    """Counts of nodes by label and edges by type."""

    nodes: dict[str, int]
    edges: dict[str, int]
    papers_without_concepts: int
    stub_papers: int


# -- resolving names ------------------------------------------------------------------


def _suggest(store: GraphStore, name: str, labels: Iterable[Label]) -> list[str]:
    names = {str(node.properties.get("name")) for label in labels for node in store.nodes(label, fields=["name"])}
    by_key = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(name), list(by_key), n=5, cutoff=0.6)
    return [by_key[key] for key in close]


def find_concepts(store: GraphStore, label: Label, name: str) -> list[Node]:
    """The concepts of type ``label`` that ``name`` (any alias or spelling) names.

    When no concept of that type has the name, concepts of another type with
    it answer instead (``--method transformer`` finds the model "transformer"):
    the types are the extractor's call, the name is the user's.

    Raises ``NotFoundError`` with the closest names when nothing matches.
    """
    key = name_key(name)
    if not key:
        raise NotFoundError(f"no {label.value.lower()} named {name!r}")
    for wanted in (label, None):
        found = store.concepts_with_key(key, wanted)
        if found:
            return found
    suggestions = _suggest(store, name, CONCEPT_LABELS)
    raise NotFoundError(f"no {label.value.lower()} named {name!r}", suggestions=suggestions)


def descendants(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Every concept reachable from ``ids`` through incoming ``VARIANT_OF``, mapped to its parent."""
    parent: dict[str, str] = {}
    frontier = set(ids)
    seen = set(frontier)
    while frontier:
        edges = store.edges([RelType.VARIANT_OF], targets=frontier, fields=[])
        frontier = {edge.source for edge in edges} - seen
        for edge in edges:
            if edge.source in frontier:
                parent[edge.source] = edge.target
        seen |= frontier
    return parent


def _ancestors(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    parent: dict[str, str] = {}
    frontier = set(ids)
    seen = set(frontier)
    while frontier:
        edges = store.edges([RelType.VARIANT_OF], sources=frontier, fields=[])
        for edge in edges:
            parent.setdefault(edge.source, edge.target)
        frontier = {edge.target for edge in edges} - seen
        seen |= frontier
    return parent


def find_paper(store: GraphStore, ref: str) -> Node:
    """The paper with id ``ref``, else the one whose title is or contains ``ref``.

    Raises ``NotFoundError`` (with close titles) for no match or an ambiguous one.
    """
    exact = store.nodes(Label.PAPER, ids=[ref])
    if exact:
        return exact[0]
    wanted = normalise_title(ref)
    titles = store.nodes(Label.PAPER, fields=["title"])
    same = [p for p in titles if normalise_title(str(p.properties.get("title", ""))) == wanted]
    within = same or [p for p in titles if wanted and wanted in normalise_title(str(p.properties.get("title", "")))]
    if len(within) == 1:
        return store.nodes(Label.PAPER, ids=[within[0].id])[0]
    if len(within) > 1:
        options = [f"{p.id} ({p.properties.get('title')})" for p in within[:5]]
        raise NotFoundError(f"{ref!r} matches {len(within)} papers; give an id", suggestions=options)
    by_title = {str(p.properties.get("title")): p.id for p in titles}
    close = difflib.get_close_matches(ref, list(by_title), n=5, cutoff=0.5)
    raise NotFoundError(f"no paper with id or title {ref!r}", suggestions=close)


# -- questions ------------------------------------------------------------------------


def papers(store: GraphStore) -> list[PaperConcepts]:
    """Every paper with the canonical names of its concepts, sorted by title then id."""
    names = {node.id: (node.label, str(node.properties.get("name"))) for node in _concept_nodes(store)}
    lists: dict[str, dict[Label, set[str]]] = defaultdict(lambda: defaultdict(set))
    for edge in store.edges(PAPER_CONCEPT_TYPES, fields=[]):
        label, name = names[edge.target]
        lists[edge.source][label].add(name)
    code: dict[str, list[str]] = defaultdict(list)
    for edge in store.edges([RelType.HAS_CODE], fields=["url"]):
        code[edge.source].append(str_prop(edge.properties, "url"))
    result = []
    for paper in store.nodes(Label.PAPER, fields=["title", "year", "stub", "abstract"]):
        if paper.properties.get("stub"):
            continue
        found = lists.get(paper.id, {})
        names_of = {field: sorted(found.get(label, ()), key=str.casefold) for label, field in _LIST_FIELD.items()}
        result.append(
            PaperConcepts(
                paper.id, _title(paper), _year(paper.properties.get("year")), code=sorted(code.get(paper.id, [])),
                **names_of,
            )
        )
    return sorted(result, key=lambda p: (p.title.casefold(), p.id))


def _title(paper: Node) -> str:
    """A paper's title, or its abstract's first words when it has none."""
    title = str_prop(paper.properties, "title")
    if title or "abstract" not in paper.properties:
        return title
    words = str_prop(paper.properties, "abstract").split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


def _year(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _concept_nodes(store: GraphStore) -> list[Node]:
    return [node for label in CONCEPT_LABELS for node in store.nodes(label, fields=["name"])]


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
        rank = (ROLE_ORDER.index(edge.type), -hit.mentions, edge.target)
        if edge.source not in best or rank < best[edge.source][0]:
            best[edge.source] = (rank, hit)
    hits = [dataclasses.replace(hit, matched=sorted(matched[hit.id], key=str.casefold)) for _, hit in best.values()]
    return sorted(hits, key=lambda h: (ROLE_ORDER.index(RelType(h.role)), -h.mentions, h.title.casefold(), h.id))


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
    ancestors = _ancestors(store, own)
    scope = own | set(ancestors.values())
    below = descendants(store, scope)
    parents = {**below, **ancestors}
    users: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES, targets=scope | set(below), fields=[]):
        for concept in _up(edge.target, parents, scope):
            users[concept].add(edge.source)
    total = store.count(Label.PAPER)
    shared: dict[str, set[str]] = defaultdict(set)
    for concept, who in users.items():
        for other in who - {paper.id}:
            shared[other].add(concept)
    for other, concepts_ in shared.items():
        broader = {a for c in concepts_ for a in _up(parents.get(c, ""), parents, scope)}
        shared[other] = concepts_ - broader
    return _rank_related(store, shared, users, total, limit)


def _up(concept: str, parents: dict[str, str], scope: set[str]) -> Iterable[str]:
    current: str | None = concept
    seen = set()
    while current is not None and current not in seen:
        seen.add(current)
        if current in scope:
            yield current
        current = parents.get(current)


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


def show_paper(store: GraphStore, ref: str) -> tuple[Node, list[ConceptLink]]:
    """A paper and its concepts with role and evidence, strongest role first."""
    paper = find_paper(store, ref)
    edges = store.edges(PAPER_CONCEPT_TYPES, sources=[paper.id])
    nodes = {n.id: n for n in store.nodes(ids={e.target for e in edges}, fields=["name"])}
    links = [
        ConceptLink(
            e.target,
            str(nodes[e.target].properties.get("name")),
            nodes[e.target].label.value,
            e.type.value,
            str(e.properties.get("evidence", "")),
            float_prop(e.properties, "confidence"),
            int_prop(e.properties, "count"),
        )
        for e in edges
    ]
    links.sort(key=lambda c: (ROLE_ORDER.index(RelType(c.role)), c.type, c.name.casefold()))
    return paper, links


def concepts(store: GraphStore, label: Label | None = None, top: int | None = None) -> list[ConceptCount]:
    """Concepts by the number of papers that use them (then name); ``top`` keeps the first N."""
    labels = [label] if label else list(CONCEPT_LABELS)
    nodes = {n.id: n for lab in labels for n in store.nodes(lab, fields=["name"])}
    direct: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES, fields=[]):
        direct[edge.target].add(edge.source)
    parent = {e.source: e.target for e in store.edges([RelType.VARIANT_OF], fields=[])}
    inclusive: dict[str, set[str]] = defaultdict(set)
    for concept, who in direct.items():
        for ancestor in _up(concept, parent, set(nodes) | set(direct) | set(parent.values())):
            inclusive[ancestor] |= who
    counts = [
        ConceptCount(
            cid,
            str(node.properties.get("name")),
            node.label.value,
            len(direct.get(cid, ())),
            len(inclusive.get(cid, ())),
            parent.get(cid),
        )
        for cid, node in nodes.items()
    ]
    counts.sort(key=lambda c: (-c.papers, -c.papers_with_variants, c.name.casefold(), c.id))
    return counts[:top] if top else counts


def stats(store: GraphStore) -> Stats:
    """Node counts by label, edge counts by type, papers (not stubs) with no concept, and stubs."""
    node_counts = {label.value: store.count(label) for label in Label}
    edge_counts: dict[str, int] = {t.value: 0 for t in RelType}
    with_concepts = set()
    for edge in store.edges(fields=[]):
        edge_counts[edge.type.value] += 1
        if edge.type in PAPER_CONCEPT_TYPES:
            with_concepts.add(edge.source)
    stubs = sum(1 for node in store.nodes(Label.PAPER, fields=["stub"]) if node.properties.get("stub"))
    return Stats(node_counts, edge_counts, node_counts[Label.PAPER.value] - stubs - len(with_concepts), stubs)
