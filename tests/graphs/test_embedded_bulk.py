"""A new store's writes bulk-loaded with ``COPY`` read back exactly as writes made statement by statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SchemaError
from kg.graphs import engine
from kg.graphs.embedded import EmbeddedStore
from kg.model import Edge, Graph, Label, Node, RelType


def _written(path: Path, *graphs: Graph, stage_from: int, monkeypatch: pytest.MonkeyPatch) -> Graph:
    monkeypatch.setattr(engine, "STAGE_FROM", stage_from)
    store = EmbeddedStore.open(path, create=True)
    with store.batch() as batch:
        for graph in graphs:
            batch.write(graph)
    return EmbeddedStore.open(path).read()


@pytest.mark.parametrize("corpus", ["page", "citeseer"])
def test_bulk_load_equals_statement_writes(corpus: str, page_store: EmbeddedStore,
                                           citeseer: tuple[EmbeddedStore, object], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    graph = (page_store if corpus == "page" else citeseer[0]).read()
    bulk = _written(tmp_path / "bulk.kg", graph, stage_from=0, monkeypatch=monkeypatch)
    statements = _written(tmp_path / "statements.kg", graph, stage_from=10**9, monkeypatch=monkeypatch)
    assert bulk == statements == graph


def test_later_staged_write_of_a_paper_replaces_its_edges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    coco, lvis = Node(Label.DATASET, "dataset:coco", {"name": "COCO"}), Node(Label.DATASET, "dataset:lvis", {"name": "LVIS"})
    first = Graph.of([Node(Label.PAPER, "p1", {"title": "Old"}), coco, lvis],
                     [Edge(RelType.USES, "p1", "dataset:coco", {"evidence": "We use COCO."}),
                      Edge(RelType.MENTIONS, "p1", "dataset:lvis", {"evidence": "LVIS exists."})])
    second = Graph.of([Node(Label.PAPER, "p1", {"title": "New"}), coco],
                      [Edge(RelType.EVALUATES_ON, "p1", "dataset:coco", {"evidence": "On COCO, we win."})])
    stored = _written(tmp_path / "g.kg", first, second, stage_from=0, monkeypatch=monkeypatch)
    assert list(stored.by_label(Label.PAPER)) == [Node(Label.PAPER, "p1", {"title": "New"})]
    assert list(stored.edges) == [Edge(RelType.EVALUATES_ON, "p1", "dataset:coco", {"evidence": "On COCO, we win."})]


def test_staged_edge_to_a_missing_node_is_refused_and_nothing_is_written(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dangling = Graph.of([Node(Label.PAPER, "p1", {"title": "T"})],
                        [Edge(RelType.USES, "p1", "dataset:nowhere", {})])
    with pytest.raises(SchemaError, match="edge .*node 'dataset:nowhere' does not exist"):
        _written(tmp_path / "g.kg", dangling, stage_from=0, monkeypatch=monkeypatch)
    assert not (tmp_path / "g.kg").exists()
    assert not list(tmp_path.glob(".g.kg.*"))
