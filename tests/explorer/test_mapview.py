"""The page's map view and communities, on 720 ACL Anthology abstracts: the communities ``kg map`` gives,
papers in the community of most of their concepts, the most used concepts placed."""

from __future__ import annotations

from collections import Counter

from kg.explorer.mapview import MAP_NODES, map_view
from kg.explorer.pagedata import page_data
from kg.graphs.embedded import EmbeddedStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES
from kg.queries.cooccurrence import cooccurrence_map


def test_communities_are_kg_maps_and_papers_follow_their_concepts(years_store: EmbeddedStore) -> None:
    data = page_data(years_store)
    found = cooccurrence_map(years_store, min_papers=1)
    community = {n.id: n.community for n in found.nodes}
    concepts = {label.value for label in CONCEPT_LABELS}
    assert {n.id: n.community for n in data.nodes if n.type in concepts} == {
        n.id: community.get(n.id, -1) for n in data.nodes if n.type in concepts}
    linked: dict[str, list[str]] = {}
    for edge in years_store.edges(PAPER_CONCEPT_TYPES):
        linked.setdefault(edge.source, []).append(edge.target)
    for node in (n for n in data.nodes if n.type == "Paper"):
        votes = Counter(community[c] for c in linked.get(node.id, []))
        assert node.community == (min(votes, key=lambda c: (-votes[c], c)) if votes else -1)


def test_the_view_places_the_most_used_concepts_and_links_them(years_store: EmbeddedStore) -> None:
    data = page_data(years_store)
    concepts = [n.id for n in data.nodes if n.type in {label.value for label in CONCEPT_LABELS}]
    assert list(data.map.positions) == concepts[:MAP_NODES]
    placed = set(data.map.positions)
    found = cooccurrence_map(years_store, min_papers=1)
    assert data.map.links == [(link.source, link.target, link.papers, link.strength) for link in found.links
                              if link.source in placed and link.target in placed]
    assert map_view(years_store, concepts, {}) == map_view(years_store, concepts, {})
