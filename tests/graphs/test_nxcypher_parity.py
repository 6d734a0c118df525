"""The same Cypher on the NetworkX store and on a real Neo4j holding the same graph gives the same rows.

Rows compare as multisets unless the query has ORDER BY (then as lists; every
ORDER BY here breaks its ties, so the order is the answer). Floats compare to
9 decimals (a sum's last bit depends on the order rows arrive in), and the
columns named third in each entry are ``collect()`` lists, whose order Cypher
leaves open.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from kg.graphs.neo4jstore import Neo4jStore
from kg.graphs.nxcypher import run_cypher
from kg.graphs.nxstore import NetworkXStore
from kg.pipeline.build import build

PAGE = Path(__file__).resolve().parents[2] / "examples" / "papers-page" / "papers.txt"
MONET = "Monet: Mixture of Monosemantic Experts for Transformers"
YOLOE = "paper:55e26cc527691e31"

PARITY_QUERIES: list[tuple[str, dict[str, object], tuple[str, ...]]] = [
    # papers with a dataset
    ("MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $name}) RETURN p.title", {"name": "COCO"}, ()),
    ("MATCH (p:Paper)-[r:USES|EVALUATES_ON|MENTIONS|PROPOSES]->(d:Dataset {name: 'COCO'}) RETURN p.title, type(r) AS role", {}, ()),
    ("MATCH (p:Paper)-[r]->(d:Dataset {name: 'COCO'}) RETURN p, r, d", {}, ()),
    ("MATCH (p:Paper)-[r]->(d:Dataset) WHERE d.name IN $names RETURN p.title, d.name, type(r)",
     {"names": ["COCO", "GSM8K", "LVIS", "no such dataset"]}, ()),
    ("MATCH (p:Paper)-->(d:Dataset) MATCH (q:Paper)-->(d) RETURN d.name, p.title, q.title", {}, ()),
    # top-N concepts
    ("MATCH (p:Paper)-->(d:Dataset) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC, dataset LIMIT 5", {}, ()),
    ("MATCH (p:Paper)-->(c) RETURN labels(c) AS type, c.name AS concept, count(p) AS papers "
     "ORDER BY papers DESC, concept, type LIMIT 10", {}, ()),
    ("MATCH (p:Paper)-[r]->(c:Method) RETURN c.name AS method, sum(r.count) AS mentions, min(r.confidence) AS low, "
     "max(r.confidence) AS high ORDER BY mentions DESC, method LIMIT 8", {}, ()),
    ("MATCH (p:Paper)-[r:EVALUATES_ON]->(m:Metric) WHERE r.confidence >= 0.9 "
     "RETURN m.name AS metric, count(r) AS uses, avg(r.confidence) AS confidence ORDER BY uses DESC, metric", {}, ()),
    ("MATCH (c) WHERE c.origin = $origin AND size(c.aliases) >= 3 RETURN labels(c) AS type, count(c) AS n ORDER BY n DESC, type",
     {"origin": "vocabulary"}, ()),
    # co-usage
    ("MATCH (d:Dataset)<--(p:Paper)-->(m:Model) RETURN d.name AS dataset, m.name AS model, count(p) AS papers", {}, ()),
    ("MATCH (p:Paper)-->(a:Method) MATCH (p)-->(b:Method) WHERE a.name < b.name "
     "RETURN a.name, b.name, count(p) AS papers ORDER BY papers DESC, a.name, b.name LIMIT 10", {}, ()),
    # shares a method / anything with a paper
    ("MATCH (p:Paper {title: $title})-->(m:Method)<--(q:Paper) RETURN q.title AS paper, collect(m.name) AS shared",
     {"title": MONET}, ("shared",)),
    ("MATCH (p:Paper {id: $id})-->(c)<--(q:Paper) RETURN q.title AS paper, count(c) AS shared ORDER BY shared DESC, paper LIMIT 5",
     {"id": YOLOE}, ()),
    # variants of a family
    ("MATCH (v:Model)-[:VARIANT_OF]->(f:Model {name: 'GPT'}) RETURN v.name ORDER BY v.name", {}, ()),
    ("MATCH (v)-[:VARIANT_OF]->(f) RETURN f.name AS family, labels(f) AS type, count(v) AS variants, collect(v.name) AS names "
     "ORDER BY variants DESC, family", {}, ("names",)),
    ("MATCH (v:Model)-[r:VARIANT_OF*1..2]->(f:Model) RETURN v.name, f.name, size(r) AS hops", {}, ()),
    ("MATCH (v)-[r:VARIANT_OF*2]->(f) RETURN v, r, f", {}, ()),
    ("MATCH (p:Paper)-->(m:Model)-[:VARIANT_OF*1..3]->(f:Model {name: 'Llama'}) RETURN DISTINCT p.title ORDER BY p.title", {}, ()),
    ("MATCH (a:Paper)-->(m)-[:VARIANT_OF]->(f)<--(c:Paper) RETURN a.title, m.name, f.name, c.title", {}, ()),
    ("MATCH (p:Paper)-[r]->(c:Model)-[:VARIANT_OF]->(f:Model) RETURN f.name AS family, type(r) AS role, count(p) AS papers", {}, ()),
    # filters
    ("MATCH (p:Paper) WHERE toLower(p.title) CONTAINS 'attention' RETURN p.title", {}, ()),
    ("MATCH (m:Model) WHERE m.name STARTS WITH 'GPT' OR m.name STARTS WITH 'Llama' RETURN m.name, m.aliases", {}, ()),
    ("MATCH (t:Task) WHERE NOT t.name ENDS WITH 'ing' RETURN t.name", {}, ()),
    ("MATCH (c:Method) WHERE $alias IN c.aliases RETURN c.name, c.keys", {"alias": "SAEs"}, ()),
    ("MATCH (p:Paper)-[r]->(c) WHERE r.count > 2 XOR type(r) = 'PROPOSES' RETURN p.title, c.name, r.count, type(r)", {}, ()),
    ("MATCH (p:Paper)-[r]->(c:Model) WHERE r.confidence < 0.9 RETURN c.name, r.sentences, r.mentions, r.count", {}, ()),
    # nulls, DISTINCT, paging, ordering by what is not returned
    ("MATCH (p:Paper) WHERE p.year <> 2020 OR p.url IS NULL RETURN count(p) AS n", {}, ()),
    ("MATCH (p:Paper) WHERE p.year IS NOT NULL RETURN p.title", {}, ()),
    ("MATCH (p:Paper)-[r:PROPOSES]->(c) RETURN c.name, coalesce(p.year, 'unknown') AS year, size(r.sentences) AS sentences", {}, ()),
    ("MATCH (p:Paper)-[r]->(c) RETURN DISTINCT type(r) AS role ORDER BY role SKIP 1", {}, ()),
    ("MATCH (p:Paper)-[r:USES]->(m:Method) RETURN p.title, m.name ORDER BY r.count DESC, p.title, m.name LIMIT 10", {}, ()),
]


def canonical(rows: Sequence[Mapping[str, object]], unordered: tuple[str, ...]) -> list[str]:
    def fix(value: object) -> object:
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, list):
            return [fix(item) for item in value]
        if isinstance(value, dict):
            return {key: fix(item) for key, item in value.items()}
        return value

    def cell(column: str, value: object) -> object:
        value = fix(value)
        return sorted(value, key=json.dumps) if column in unordered and isinstance(value, list) else value

    return [json.dumps({k: cell(k, v) for k, v in row.items()}, sort_keys=True) for row in rows]


def same_rows(query: str, ours: list[str], theirs: list[str]) -> bool:
    return ours == theirs if re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) else Counter(ours) == Counter(theirs)


@pytest.fixture(scope="module")
def page_store(tmp_path_factory: pytest.TempPathFactory) -> NetworkXStore:
    store = NetworkXStore.open(tmp_path_factory.mktemp("parity") / "kg-graph.json", create=True)
    build([PAGE], store)
    return store


def test_there_are_enough_parity_queries() -> None:
    assert len(PARITY_QUERIES) >= 20
    assert len({query for query, _, _ in PARITY_QUERIES}) == len(PARITY_QUERIES)


@pytest.mark.parametrize(("query", "params", "unordered"), PARITY_QUERIES)
def test_parity_query_runs_on_networkx(
    page_store: NetworkXStore, query: str, params: dict[str, object], unordered: tuple[str, ...]
) -> None:
    """Without a server, every parity query still runs on the NetworkX store and gives plain, repeatable rows."""
    rows = run_cypher(page_store.networkx(), query, params)
    json.dumps(rows)
    assert same_rows(query, canonical(rows, unordered), canonical(run_cypher(page_store.networkx(), query, params), unordered))


@pytest.mark.neo4j
def test_networkx_and_neo4j_give_the_same_rows(page_store: NetworkXStore, neo4j_store: Neo4jStore) -> None:
    neo4j_store.write(page_store.read())
    graph = page_store.networkx()
    mismatches, answered = [], 0
    for query, params, unordered in PARITY_QUERIES:
        ours = canonical(run_cypher(graph, query, params), unordered)
        theirs = canonical(neo4j_store.cypher(query, params), unordered)
        answered += bool(theirs)
        if not same_rows(query, ours, theirs):
            only_ours, only_theirs = Counter(ours) - Counter(theirs), Counter(theirs) - Counter(ours)
            mismatches.append(f"{query}\n  NetworkX only: {list(only_ours)[:3]}\n  Neo4j only: {list(only_theirs)[:3]}")
    assert not mismatches, "\n".join(mismatches)
    assert answered >= len(PARITY_QUERIES) - 2  # the parity is not between empty answers
