"""The co-occurrence map on 720 ACL Anthology abstracts: counts from the edges, VOSviewer's association strength,
seeded Louvain communities, the same on Neo4j."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pytest

from kg.errors import NotFoundError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import PAPER_CONCEPT_TYPES, Label
from kg.queries.cooccurrence import cooccurrence_map


def _users(store: EmbeddedStore) -> dict[str, set[str]]:
    users: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges(PAPER_CONCEPT_TYPES):
        users[edge.target].add(edge.source)
    return users


def test_links_count_the_papers_using_both_concepts(years_store: EmbeddedStore) -> None:
    users = _users(years_store)
    found = cooccurrence_map(years_store, min_papers=3)
    kept = {c for c, who in users.items() if len(who) >= 3}
    assert {n.id: n.papers for n in found.nodes} == {c: len(users[c]) for c in kept}
    expected = {(a, b): len(users[a] & users[b]) for a, b in combinations(sorted(kept), 2) if users[a] & users[b]}
    assert {(link.source, link.target): link.papers for link in found.links} == expected


def test_association_strength_is_vosviewers(years_store: EmbeddedStore) -> None:
    found = cooccurrence_map(years_store)
    total = sum(link.papers for link in found.links)
    weight = {n.id: n.links for n in found.nodes}
    assert all(weight[n.id] == sum(link.papers for link in found.links if n.id in (link.source, link.target))
               for n in found.nodes)
    for link in found.links:
        assert link.strength == pytest.approx(2 * total * link.papers / (weight[link.source] * weight[link.target]),
                                              abs=1e-6)


def test_communities_are_a_seeded_partition(years_store: EmbeddedStore) -> None:
    found = cooccurrence_map(years_store)
    assert found == cooccurrence_map(years_store)
    sizes = [sum(1 for n in found.nodes if n.community == c) for c in range(found.communities)]
    assert all(sizes) and sizes == sorted(sizes, reverse=True) and sum(sizes) == len(found.nodes)
    community = {n.id: n.community for n in found.nodes}
    assert community["model:bert"] == community["method:finetuning"]
    assert community["task:machinetranslation"] == community["task:neuralmachinetranslation"]
    assert community["model:bert"] != community["task:machinetranslation"]
    finer = cooccurrence_map(years_store, resolution=3.0)
    assert finer.communities > found.communities


def test_type_and_thresholds_narrow_the_map(years_store: EmbeddedStore) -> None:
    models = cooccurrence_map(years_store, Label.MODEL, min_papers=2, min_links=2)
    assert {n.type for n in models.nodes} == {"Model"} and all(link.papers >= 2 for link in models.links)
    with pytest.raises(NotFoundError, match="no concept has 1000 papers"):
        cooccurrence_map(years_store, min_papers=1000)


@pytest.mark.neo4j
def test_the_map_is_the_same_on_neo4j(years_store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    neo4j_store.write(years_store.read())
    assert cooccurrence_map(neo4j_store) == cooccurrence_map(years_store)
    assert cooccurrence_map(neo4j_store, Label.METHOD, min_papers=3) == cooccurrence_map(years_store, Label.METHOD,
                                                                                          min_papers=3)
