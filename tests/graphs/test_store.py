"""The contract every graph store keeps: write, read back, upsert, replace a paper's edges, look up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.store import GraphStore
from kg.model import Edge, Graph, Label, Node, RelType

StoreFactory = Callable[[], GraphStore]


@pytest.fixture(params=["networkx", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Each contract test runs once on a fresh NetworkX file and once on an emptied real Neo4j."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    opened = EmbeddedStore.open(tmp_path / "contract.kg", create=True)
    yield opened
    opened.close()


def small_graph() -> Graph:
    return Graph.of(
        [
            Node(Label.PAPER, "p1", {"title": "One <b>", "year": 2024, "authors": ["A", "B"]}),
            Node(Label.PAPER, "p2", {"title": "Two"}),
            Node(Label.DATASET, "dataset:coco", {"name": "COCO", "keys": ["coco", "mscoco"], "aliases": ["MS COCO"]}),
            Node(Label.MODEL, "model:gpt2", {"name": "GPT-2", "keys": ["gpt2"], "aliases": []}),
            Node(Label.MODEL, "model:gpt2small", {"name": "GPT-2 Small", "keys": ["gpt2small"], "aliases": []}),
        ],
        [
            Edge(RelType.EVALUATES_ON, "p1", "dataset:coco", {"evidence": "On COCO.", "count": 2, "starts": [3, 9],
                                                              "confidences": [0.95, 0.9]}),
            Edge(RelType.USES, "p2", "model:gpt2small", {"evidence": "We use GPT-2 Small.", "count": 1}),
            Edge(RelType.VARIANT_OF, "model:gpt2small", "model:gpt2", {}),
        ],
    )


def test_write_then_read_round_trip(store: GraphStore) -> None:
    graph = small_graph()
    store.write(graph)
    back = store.read()
    assert sorted(back.nodes, key=lambda n: n.id) == sorted(graph.nodes, key=lambda n: n.id)
    assert sorted(back.edges, key=lambda e: e.key) == sorted(graph.edges, key=lambda e: e.key)


def test_rewriting_is_idempotent(store: GraphStore) -> None:
    store.write(small_graph())
    store.write(small_graph())
    assert (len(store.read().nodes), len(store.read().edges)) == (5, 3)


def test_lookups(store: GraphStore) -> None:
    store.write(small_graph())
    assert [n.id for n in store.nodes(Label.MODEL)] == ["model:gpt2", "model:gpt2small"]
    assert [n.properties for n in store.nodes(ids=["p2", "missing"], fields=["title"])] == [{"title": "Two"}]
    assert [e.key for e in store.edges([RelType.VARIANT_OF], targets=["model:gpt2"])] == [
        ("VARIANT_OF", "model:gpt2small", "model:gpt2")]
    assert [e.target for e in store.edges(sources=["p1"], fields=[])] == ["dataset:coco"]
    assert [e.properties for e in store.edges(sources=["p1"], fields=["count"])] == [{"count": 2}]
    assert [n.id for n in store.concepts_with_key("mscoco")] == ["dataset:coco"]
    assert store.concepts_with_key("mscoco", Label.MODEL) == []
    assert (store.count(Label.PAPER), store.count(Label.TASK)) == (2, 0)


def test_writing_a_paper_replaces_its_concept_edges(store: GraphStore) -> None:
    store.write(small_graph())
    store.write(Graph.of([Node(Label.PAPER, "p1", {"title": "One, edited"})],
                         [Edge(RelType.USES, "p1", "model:gpt2", {"count": 1})]))
    assert [e.key for e in store.edges(sources=["p1"])] == [("USES", "p1", "model:gpt2")]
    assert store.nodes(ids=["p1"])[0].properties == {"title": "One, edited"}
    assert [e.key for e in store.edges(sources=["p2"])] == [("USES", "p2", "model:gpt2small")]


def test_bad_writes_are_refused_whole(store: GraphStore) -> None:
    store.write(small_graph())
    before = store.read()
    with pytest.raises(SchemaError, match="node 'nowhere' does not exist"):
        store.write(Graph.of([Node(Label.PAPER, "p3", {"title": "Three"})],
                             [Edge(RelType.USES, "p3", "nowhere", {})]))
    with pytest.raises(SchemaError, match="'dataset:coco' is both (Dataset and Paper|Paper and Dataset)"):
        store.write(Graph.of([Node(Label.PAPER, "dataset:coco", {"title": "x"})]))
    with pytest.raises(SchemaError, match="must start with 'dataset'"):
        Node(Label.DATASET, "coco", {"name": "x"})
    assert store.read() == before
