"""Questions about papers: every paper with its concepts, and one paper with each concept's role and evidence."""

from __future__ import annotations

from collections import defaultdict

from kg.graphs.store import GraphStore
from kg.model import PAPER_CONCEPT_TYPES, Node, RelType
from kg.queries.lookup import find_paper
from kg.queries.results import ConceptLink, PaperConcepts, display_title
from kg.queries.texts import CONCEPTS, ROLES, display

__all__ = ["papers", "show_paper"]

_LIST_FIELD = {"Dataset": "datasets", "Model": "models", "Method": "methods", "Task": "tasks", "Metric": "metrics"}
_PAPERS = f"MATCH (p:Paper) WHERE p.stub IS NULL OR p.stub = false RETURN p.id AS id, {display('p')}, p.year AS year"
_CONCEPTS = f"MATCH (p:Paper)-[:{ROLES}]->(c:{CONCEPTS}) RETURN DISTINCT p.id AS id, labels(c)[0] AS type, c.name AS name"
_CODE = "MATCH (p:Paper)-[r:HAS_CODE]->() RETURN p.id AS id, r.url AS url"
_LINKS = (f"MATCH (p:Paper {{id: $id}})-[r:{ROLES}]->(c:{CONCEPTS}) RETURN c.id AS id, c.name AS name, "
          "labels(c)[0] AS type, type(r) AS role, r.evidence AS evidence, r.confidence AS confidence, "
          "r.count AS mentions")


def papers(store: GraphStore) -> list[PaperConcepts]:
    """Every paper (not the stubs of cited papers) with the canonical names of its concepts, sorted by title then id."""
    lists: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.cypher(_CONCEPTS):
        lists[str(row["id"])][str(row["type"])].add(str(row["name"]))
    code: dict[str, list[str]] = defaultdict(list)
    for row in store.cypher(_CODE):
        code[str(row["id"])].append(str(row["url"] or ""))
    result = []
    for row in store.cypher(_PAPERS):
        found = lists.get(str(row["id"]), {})
        names_of = {field: sorted(found.get(label, ()), key=str.casefold) for label, field in _LIST_FIELD.items()}
        year = row["year"]
        result.append(PaperConcepts(str(row["id"]), display_title(row), year if isinstance(year, int) else None,
                                    code=sorted(code.get(str(row["id"]), [])), **names_of))
    return sorted(result, key=lambda p: (p.title.casefold(), p.id))


def show_paper(store: GraphStore, ref: str) -> tuple[Node, list[ConceptLink]]:
    """A paper and its concepts with role and evidence, strongest role first."""
    paper = find_paper(store, ref)
    links = [
        ConceptLink(str(row["id"]), str(row["name"]), str(row["type"]), str(row["role"]), str(row["evidence"] or ""),
                    float(row["confidence"] or 0.0), int(row["mentions"] or 0))  # type: ignore[arg-type, call-overload]
        for row in store.cypher(_LINKS, {"id": paper.id})
    ]
    links.sort(key=lambda c: (PAPER_CONCEPT_TYPES.index(RelType(c.role)), c.type, c.name.casefold()))
    return paper, links


