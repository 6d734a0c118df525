"""The co-occurrence map: concepts linked by the papers that use both, normalised and clustered as VOSviewer does.

The engine counts (one Cypher text on both stores) each concept's papers and,
for every pair of kept concepts, the papers using both (``c_ij``). Python then
normalises and clusters that small table:

* **association strength** (Waltman, van Eck and Noyons 2010, "A unified
  approach to mapping and clustering of bibliometric networks", the default
  normalisation of VOSviewer): ``a_ij = 2 m c_ij / (c_i c_j)``, where ``c_i`` is
  the total link weight of concept ``i`` (the sum of its ``c_ij``) and ``m`` the
  total link weight of the map (the sum of all ``c_ij``). A value of 1 is what
  chance would give; more means the two are used together more than their use
  alone predicts.
* **communities**: :func:`networkx.community.louvain_communities` on the
  association strengths, with a fixed seed, so the same graph always gets the
  same communities; they are numbered from 0 by size (then by their first id).
"""

from __future__ import annotations

from collections import defaultdict

from kg.errors import NotFoundError
from kg.graphs.store import GraphStore
from kg.model import Label
from kg.queries.results import ConceptMap, MapLink, MapNode
from kg.queries.texts import ROLES, concept_labels

__all__ = ["SEED", "cooccurrence_map"]

SEED = 42
"""The Louvain seed: the same graph always gets the same communities."""
_WRITTEN = "(p.stub IS NULL OR p.stub = false)"


def _occurrences(label: Label | None) -> str:
    return (f"MATCH (p:Paper)-[:{ROLES}]->(c:{concept_labels(label)}) WHERE {_WRITTEN} "
            "RETURN c.id AS id, c.name AS name, labels(c)[0] AS type, count(DISTINCT p) AS papers")


def _pairs(label: Label | None) -> str:
    kind = concept_labels(label)
    return (f"MATCH (p:Paper)-[:{ROLES}]->(a:{kind}) WHERE {_WRITTEN} AND a.id IN $ids "
            f"MATCH (p)-[:{ROLES}]->(b:{kind}) WHERE b.id IN $ids AND a.id < b.id "
            "RETURN a.id AS a, b.id AS b, count(DISTINCT p) AS papers")


def cooccurrence_map(store: GraphStore, label: Label | None = None, *, min_papers: int = 2, min_links: int = 1,
                     resolution: float = 1.0, seed: int = SEED) -> ConceptMap:
    """Concepts (of type ``label``) used by at least ``min_papers`` papers, linked when at least ``min_links``
    papers use both, with association strengths and Louvain communities.

    Raises ``NotFoundError`` when no concept has ``min_papers`` papers.
    """
    import networkx as nx

    rows = store.cypher(_occurrences(label))
    kept = {str(r["id"]): r for r in rows if int(r["papers"]) >= min_papers}  # type: ignore[call-overload]
    if not kept:
        raise NotFoundError(f"no concept has {min_papers} papers or more")
    counts = [(str(r["a"]), str(r["b"]), int(r["papers"]))  # type: ignore[call-overload]
              for r in store.cypher(_pairs(label), {"ids": sorted(kept)})]
    counts = [c for c in counts if c[2] >= min_links]
    strength: dict[str, int] = defaultdict(int)
    for a, b, n in counts:
        strength[a] += n
        strength[b] += n
    total = sum(n for _, _, n in counts)
    links = sorted((MapLink(a, b, n, round(2 * total * n / (strength[a] * strength[b]), 6)) for a, b, n in counts),
                   key=lambda link: (link.source, link.target))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(kept))
    graph.add_weighted_edges_from((link.source, link.target, link.strength) for link in links)
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {concept: i for i, members in enumerate(ordered) for concept in members}
    nodes = [MapNode(concept, str(r["name"]), str(r["type"]), int(r["papers"]),  # type: ignore[call-overload]
                     strength.get(concept, 0), community[concept]) for concept, r in kept.items()]
    nodes.sort(key=lambda n: (-n.papers, n.name.casefold(), n.id))
    return ConceptMap(nodes, links, len(ordered))
