"""Exports: every format written from the bundled page and read back into the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.exchange import EXPORT_FORMATS, export_graph, read_export
from kg.graphs.neo4jcsv import ARRAY_DELIMITER
from kg.model import Graph, Label


def ordered(graph: Graph) -> tuple[list[object], list[object]]:
    return sorted(graph.nodes, key=lambda n: n.id), sorted(graph.edges, key=lambda e: e.key)


@pytest.mark.parametrize(("fmt", "name"), [("json", "g.json"), ("graphml", "g.graphml"), ("gexf", "g.gexf"),
                                           ("csv", "neo4j-import")])
def test_export_then_read_back_gives_the_same_graph(page_store: EmbeddedStore, tmp_path: Path, fmt: str,
                                                    name: str) -> None:
    graph = page_store.read()
    export_graph(graph, fmt, tmp_path / name)
    assert ordered(read_export(tmp_path / name, fmt)) == ordered(graph)


def test_graphml_and_gexf_have_typed_attributes_for_gephi(page_store: EmbeddedStore, tmp_path: Path) -> None:
    graph = page_store.read()
    export_graph(graph, "graphml", tmp_path / "g.graphml")
    export_graph(graph, "gexf", tmp_path / "g.gexf")
    for loaded in (nx.read_graphml(tmp_path / "g.graphml"), nx.read_gexf(tmp_path / "g.gexf", version="1.2draft")):
        coco = loaded.nodes["dataset:coco"]
        assert (coco["label"], coco["kind"]) == ("COCO", "Dataset")
        edge = next(attrs for _, t, attrs in loaded.edges(data=True) if t == "dataset:coco")
        assert isinstance(edge["count"], int) and isinstance(edge["confidence"], float)
        assert "COCO" in edge["evidence"] and json.loads(edge["sentences_json"])
    text = (tmp_path / "g.graphml").read_text()
    assert '<key id="count" for="edge" attr.name="count" attr.type="long"' in text


def test_csv_layout_for_neo4j_admin_import(page_store: EmbeddedStore, tmp_path: Path) -> None:
    graph = page_store.read()
    export_graph(graph, "csv", tmp_path / "out")
    papers = (tmp_path / "out" / "nodes_Paper.csv").read_text().splitlines()
    assert papers[0].startswith("id:ID,:LABEL,")
    assert len(papers) - 1 == len(graph.by_label(Label.PAPER))
    cites_header = (tmp_path / "out" / "relationships_EVALUATES_ON.csv").read_text().splitlines()[0]
    assert cites_header.startswith(":START_ID,:END_ID,:TYPE,") and "count:long" in cites_header
    assert "sentences:string[]" in cites_header
    assert ARRAY_DELIMITER in (tmp_path / "out" / "relationships_EVALUATES_ON.csv").read_text()
    script = (tmp_path / "out" / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--array-delimiter=U+001F" in script


def test_cypher_script_keeps_values_in_parameters(page_store: EmbeddedStore, tmp_path: Path) -> None:
    export_graph(page_store.read(), "cypher", tmp_path / "g.cypher")
    lines = (tmp_path / "g.cypher").read_text().splitlines()
    statements = [line for line in lines if line and not line.startswith((":param", "//"))]
    assert all("$rows" in line or line.startswith("CREATE CONSTRAINT") for line in statements)
    assert not any("COCO" in line for line in statements)
    assert any("COCO" in line for line in lines if line.startswith(":param"))


def test_cypher_script_runs_on_neo4j(neo4j_store, page_store: EmbeddedStore, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export_graph(page_store.read(), "cypher", tmp_path / "g.cypher")
    params: dict[str, object] = {}
    for line in (tmp_path / "g.cypher").read_text().splitlines():
        if line.startswith(":param "):
            name, _, literal = line[len(":param "):].rstrip(";").partition(" => ")
            params[name] = neo4j_store.cypher(f"RETURN {literal} AS value")[0]["value"]
        elif line and not line.startswith("//"):
            neo4j_store.cypher(line.rstrip(";"), params, write=True)
    assert ordered(neo4j_store.read()) == ordered(page_store.read())


def test_export_and_import_commands(page_store: EmbeddedStore, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--format", "gexf", "--out", str(tmp_path / "g.gexf"),
                                  "--store", str(page_store.path)])
    assert result.exit_code == 0 and result.stdout.endswith(f"-> {tmp_path / 'g.gexf'}\n")
    copy = tmp_path / "copy.json"
    result = runner.invoke(main, ["import", str(tmp_path / "g.gexf"), "--format", "gexf", "--store", str(copy)])
    assert result.exit_code == 0
    assert ordered(EmbeddedStore.open(copy).read()) == ordered(page_store.read())
    assert set(EXPORT_FORMATS) == {"json", "graphml", "gexf", "csv", "cypher"}
