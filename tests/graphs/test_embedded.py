"""The embedded store's file: one database file, NetworkX in Python, atomic and safe under concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg.errors import SchemaError, StoreError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.nodelink import write_node_link
from kg.model import Edge, Graph, Label, Node, RelType


def paper(n: int) -> Node:
    return Node(Label.PAPER, f"p{n}", {"title": f"Paper {n}"})


def test_the_store_is_one_file_and_networkx_in_python(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    coco = Node(Label.DATASET, "dataset:coco", {"name": "COCO"})
    EmbeddedStore.open(path, create=True).write(
        Graph.of([paper(1), paper(2), coco], [Edge(RelType.USES, "p1", "dataset:coco", {"count": 2})]))
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["g.kg"]
    graph = EmbeddedStore.open(path).networkx()
    assert sorted(graph.nodes(data="title")) == [("dataset:coco", None), ("p1", "Paper 1"), ("p2", "Paper 2")]
    assert graph.edges["p1", "dataset:coco"] == {"type": "USES", "count": 2}
    assert graph.nodes["dataset:coco"] == {"label": "Dataset", "name": "COCO"}


def test_a_subgraph_by_query(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    coco = Node(Label.DATASET, "dataset:coco", {"name": "COCO"})
    EmbeddedStore.open(path, create=True).write(Graph.of(
        [paper(1), paper(2), paper(3), coco],
        [Edge(RelType.USES, "p1", "dataset:coco"), Edge(RelType.USES, "p2", "dataset:coco")]))
    sub = EmbeddedStore.open(path).networkx("MATCH (p:Paper)-->(d:Dataset {name: $name}) RETURN p, d", {"name": "COCO"})
    assert sorted(sub.nodes) == ["dataset:coco", "p1", "p2"] and sub.number_of_edges() == 2


def test_files_that_are_not_stores_are_clear_errors(tmp_path: Path) -> None:
    export = tmp_path / "g.json"
    write_node_link(Graph.of([paper(1)]), export)
    with pytest.raises(StoreError, match=r"g.json is a JSON file, not a kg store; .* `kg import .*g.json --format json"):
        EmbeddedStore.open(export)
    noise = tmp_path / "noise.kg"
    noise.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(StoreError, match="noise.kg: not a kg store \\(not a kg database file\\)"):
        EmbeddedStore.open(noise)
    with pytest.raises(StoreError, match="is a directory, not a kg store"):
        EmbeddedStore.open(tmp_path)
    with pytest.raises(StoreError, match=r"no store at .*missing.kg; build one with `kg build INPUT"):
        EmbeddedStore.open(tmp_path / "missing.kg")


def test_unwritable_target_keeps_the_old_store(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    EmbeddedStore.open(path, create=True).write(Graph.of([paper(1)]))
    before = path.read_bytes()
    store = EmbeddedStore.open(path)
    store.path = tmp_path / "missing-dir-is-a-file" / "g.kg"
    (tmp_path / "missing-dir-is-a-file").write_text("a file where a directory should be")
    with pytest.raises(StoreError, match="cannot write"):
        store.write(Graph.of([paper(2)]))
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".g.kg.*.tmp*"))


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    store = EmbeddedStore.open(path, create=True)
    store.write(Graph.of([paper(1)]))
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="node 'nowhere' does not exist"), store.batch() as batch:
        batch.write(Graph.of([paper(2)]))
        batch.write(Graph.of([Node(Label.DATASET, "dataset:x", {"name": "x"})]))
        batch.write(Graph.of([], [Edge(RelType.CITES, "p2", "nowhere")]))
    assert path.read_bytes() == before
    assert [n.id for n in EmbeddedStore.open(path).nodes()] == ["p1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.kg", "g.kg.lock"]


def test_stale_temporary_files_go_at_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    EmbeddedStore.open(path, create=True).write(Graph.of([paper(1)]))
    stale = tmp_path / ".g.kg.killed.tmp"
    stale.write_bytes(b"half a database")
    EmbeddedStore.open(path).write(Graph.of([paper(2)]))
    assert not stale.exists()


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.kg"
    EmbeddedStore.open(path, create=True).write(Graph.of([paper(0)]))
    script = textwrap.dedent(
        """
        import sys
        from kg.graphs.embedded import EmbeddedStore
        from kg.model import Graph, Label, Node
        store = EmbeddedStore.open(sys.argv[1])
        first = int(sys.argv[2])
        for n in range(first, first + 10):
            store.write(Graph.of([Node(Label.PAPER, f"p{n}", {"title": str(n)})]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    workers = [subprocess.Popen([sys.executable, "-c", script, str(path), str(start)], env=env) for start in (100, 200)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    ids = {node.id for node in EmbeddedStore.open(path).nodes(Label.PAPER)}
    assert ids == {"p0"} | {f"p{n}" for n in range(100, 110)} | {f"p{n}" for n in range(200, 210)}
