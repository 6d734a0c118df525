"""The NetworkX store's file: readable by NetworkX, deterministic, atomic, safe under concurrency."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import StoreError
from kg.graphs.nxstore import NetworkXStore
from kg.model import Graph, Label, Node


def paper(n: int) -> Node:
    return Node(Label.PAPER, f"p{n}", {"title": f"Paper {n}"})


def test_file_is_networkx_node_link_json(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    NetworkXStore.open(path, create=True).write(Graph.of([paper(1), paper(2)]))
    data = json.loads(path.read_text())
    graph = nx.node_link_graph(data["graph"], edges="edges")
    assert sorted(graph.nodes(data="title")) == [("p1", "Paper 1"), ("p2", "Paper 2")]
    assert (data["format"], data["version"]) == ("kg-graph", 1)


def test_same_graph_same_bytes_in_any_order(tmp_path: Path) -> None:
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    NetworkXStore.open(one, create=True).write(Graph.of([paper(1), paper(2)]))
    NetworkXStore.open(two, create=True).write(Graph.of([paper(2), paper(1)]))
    assert one.read_bytes() == two.read_bytes()


def test_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"format": "kg-graph", "version": 1, "graph": {"nodes": [')
    with pytest.raises(StoreError, match=r"g.json: not a kg store \(bad JSON at line 1\)"):
        NetworkXStore.open(path)
    path.write_text('{"something": "else"}')
    with pytest.raises(StoreError, match="not a kg store"):
        NetworkXStore.open(path)


def test_unwritable_target_keeps_the_old_store(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    NetworkXStore.open(path, create=True).write(Graph.of([paper(1)]))
    before = path.read_bytes()
    store = NetworkXStore.open(path)
    store.path = tmp_path / "missing-dir-is-a-file" / "g.json"
    (tmp_path / "missing-dir-is-a-file").write_text("a file where a directory should be")
    with pytest.raises(StoreError, match="cannot write"):
        store.write(Graph.of([paper(2)]))
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".g.json.*.tmp"))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    NetworkXStore.open(path, create=True).write(Graph.of([paper(0)]))
    script = textwrap.dedent(
        """
        import sys
        from kg.graphs.nxstore import NetworkXStore
        from kg.model import Graph, Label, Node
        store = NetworkXStore.open(sys.argv[1])
        first = int(sys.argv[2])
        for n in range(first, first + 20):
            store.write(Graph.of([Node(Label.PAPER, f"p{n}", {"title": str(n)})]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    workers = [subprocess.Popen([sys.executable, "-c", script, str(path), str(start)], env=env) for start in (100, 200)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    ids = {node.id for node in NetworkXStore.open(path).nodes(Label.PAPER)}
    assert ids == {"p0"} | {f"p{n}" for n in range(100, 120)} | {f"p{n}" for n in range(200, 220)}
