"""Questions about papers: every paper with its concepts, and one paper with each concept"s role and evidence."""

from __future__ import annotations

from collections import defaultdict

from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label, Node, RelType, float_prop, int_prop, str_prop
from kg.queries.lookup import find_paper
from kg.queries.results import ConceptLink, PaperConcepts, display_title

__all__ = ["papers", "show_paper"]


_LIST_FIELD = {
    Label.DATASET: "datasets",
    Label.MODEL: "models",
    Label.METHOD: "methods",
    Label.TASK: "tasks",
    Label.METRIC: "metrics",
}


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
                paper.id, display_title(paper), _year(paper.properties.get("year")), code=sorted(code.get(paper.id, [])),
                **names_of,
            )
        )
    return sorted(result, key=lambda p: (p.title.casefold(), p.id))


def _year(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _concept_nodes(store: GraphStore) -> list[Node]:
    return [node for label in CONCEPT_LABELS for node in store.nodes(label, fields=["name"])]


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
    links.sort(key=lambda c: (PAPER_CONCEPT_TYPES.index(RelType(c.role)), c.type, c.name.casefold()))
    return paper, links
