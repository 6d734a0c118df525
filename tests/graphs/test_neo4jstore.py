"""The Neo4j store on a real server: builds, same answers as NetworkX, Cypher, and bad connections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import main
from kg.errors import QueryError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from tests.conftest import NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER

PAPER = "Interpreting Attention Layer Outputs with Sparse Autoencoders"


def neo4j_env(**extra: str) -> dict[str, str]:
    return {"NEO4J_USERNAME": NEO4J_USER, "NEO4J_PASSWORD": NEO4J_PASSWORD, "NEO4J_URI": "", **extra}


@pytest.fixture
def built_neo4j(neo4j_store: Neo4jStore, page_path: Path, extractor: Extractor) -> Neo4jStore:
    build([page_path], neo4j_store, extractor=extractor)
    return neo4j_store


def test_build_into_neo4j_stores_the_same_graph(built_neo4j: Neo4jStore, page_store: EmbeddedStore) -> None:
    assert built_neo4j.read() == page_store.read()


@pytest.mark.parametrize(
    "question",
    [
        lambda s: queries.papers(s),
        lambda s: queries.shared_concept(s, Label.DATASET, "MS COCO"),
        lambda s: queries.shared_concept(s, Label.MODEL, "Llama"),
        lambda s: queries.shared_concept(s, Label.MODEL, "GPT-2"),
        lambda s: queries.shared_concept(s, Label.METHOD, "SAEs"),
        lambda s: queries.shared_concept(s, Label.METHOD, "transformer"),
        lambda s: queries.shared_with_paper(s, PAPER),
        lambda s: queries.show_paper(s, "YOLOE: Real-Time Seeing Anything"),
        lambda s: queries.concepts(s),
        lambda s: queries.concepts(s, Label.DATASET, 5),
        lambda s: queries.stats(s),
    ],
    ids=["papers", "coco", "llama-family", "gpt2", "saes", "transformer-as-method", "related", "show",
         "concepts", "top-datasets", "stats"],
)
def test_named_questions_answer_the_same(built_neo4j: Neo4jStore, page_store: EmbeddedStore, question) -> None:  # type: ignore[no-untyped-def]
    assert question(built_neo4j) == question(page_store)


def test_rebuilding_creates_no_duplicates(built_neo4j: Neo4jStore, page_path: Path, extractor: Extractor,
                                         page_store: EmbeddedStore) -> None:
    count = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS relationships"
    before = built_neo4j.cypher(count)
    assert build([page_path], built_neo4j, extractor=extractor).papers_written == 0
    built_neo4j.write(page_store.read())
    assert built_neo4j.cypher(count) == before
    graph = page_store.read()
    assert before == [{"nodes": len(graph.nodes), "relationships": len(graph.edges)}]


def test_constraints_exist(built_neo4j: Neo4jStore) -> None:
    rows = built_neo4j.cypher("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, "
                              "properties", write=True)  # an admin command: refused without write
    found = {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in rows}  # type: ignore[arg-type]
    assert {((label.value,), ("id",)) for label in Label} <= found


def test_user_cypher_reads_and_refuses_writes(built_neo4j: Neo4jStore) -> None:
    rows = built_neo4j.cypher(
        "MATCH (p:Paper)-[r]->(d:Dataset {name: $name}) RETURN p.title AS title, type(r) AS role ORDER BY title",
        {"name": "COCO"})
    assert [row["title"] for row in rows] == sorted(h.title for h in queries.shared_concept(built_neo4j, Label.DATASET, "COCO"))
    with pytest.raises(QueryError, match="this query writes to the graph; pass --write"):
        built_neo4j.cypher("MATCH (p:Paper) SET p.flag = true")
    with pytest.raises(QueryError, match="Invalid input 'MATC'"):
        built_neo4j.cypher("MATC (n) RETURN n")
    assert built_neo4j.cypher("MATCH (p:Paper) WHERE p.flag IS NOT NULL RETURN count(p) AS n") == [{"n": 0}]


def test_cli_build_push_query_on_neo4j(neo4j_store: Neo4jStore, page_path: Path, tmp_path: Path) -> None:
    runner = CliRunner(env=neo4j_env())
    file_store = tmp_path / "g.kg"
    assert runner.invoke(main, ["build", str(page_path), "--store", str(file_store)]).exit_code == 0
    pushed = runner.invoke(main, ["push", "--to-neo4j-uri", NEO4J_URI, "--store", str(file_store)])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stdout.startswith(f"{len(EmbeddedStore.open(file_store).read().nodes)} nodes and ")
    on_neo4j = runner.invoke(main, ["shared", "--dataset", "COCO", "--json", "--neo4j-uri", NEO4J_URI])
    on_file = runner.invoke(main, ["shared", "--dataset", "COCO", "--json", "--store", str(file_store)])
    assert json.loads(on_neo4j.stdout) == json.loads(on_file.stdout)
    query = "MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC, dataset LIMIT 3"
    rows = json.loads(runner.invoke(main, ["query", query, "--json", "--neo4j-uri", NEO4J_URI]).stdout)
    assert rows == json.loads(runner.invoke(main, ["query", query, "--json", "--store", str(file_store)]).stdout)
    refused = runner.invoke(main, ["query", "CREATE (n:Paper {id: 'x'})", "--neo4j-uri", NEO4J_URI])
    assert refused.exit_code == 1 and "pass --write" in refused.stderr
    written = runner.invoke(main, ["query", "MATCH (p:Paper) SET p.seen = $v RETURN count(p) AS n", "--param", "v=true",
                                   "--write", "--json", "--neo4j-uri", NEO4J_URI])
    assert json.loads(written.stdout) == [{"n": 64}]


def test_bad_connections_are_one_line_errors_without_the_password(neo4j_store: Neo4jStore, page_path: Path) -> None:
    secret = "not-the-password-123"
    cases = [
        (neo4j_env(NEO4J_PASSWORD=secret), ["--neo4j-uri", NEO4J_URI],
         f"Error: Neo4j at {NEO4J_URI} refused the credentials of user '{NEO4J_USER}'"),
        (neo4j_env(), ["--neo4j-uri", "bolt://127.0.0.1:1"], "Error: cannot reach Neo4j at bolt://127.0.0.1:1 ("),
        (neo4j_env(), ["--neo4j-uri", NEO4J_URI, "--neo4j-database", "nope"],
         f"Error: Neo4j at {NEO4J_URI} has no database 'nope'"),
    ]
    for env, args, message in cases:
        result = CliRunner(env=env).invoke(main, ["build", str(page_path), *args])
        assert result.exit_code == 1
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert secret not in result.stderr
    assert neo4j_store.count(Label.PAPER) == 0


def test_environment_names_the_server(neo4j_store: Neo4jStore, page_path: Path) -> None:
    result = CliRunner(env=neo4j_env(NEO4J_URI=NEO4J_URI)).invoke(main, ["build", str(page_path)])
    assert result.exit_code == 0, result.output
    assert neo4j_store.count(Label.PAPER) == 64
