"""The same Cypher on the embedded store and on a real Neo4j holding the same graph gives the same rows.

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

from kg.errors import QueryError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.pipeline.build import build

PAGE = Path(__file__).resolve().parents[2] / "examples" / "papers-page" / "papers.txt"
MONET = "Monet: Mixture of Monosemantic Experts for Transformers"
YOLOE = "paper:55e26cc527691e31"

PAGE_QUERIES: list[tuple[str, dict[str, object], tuple[str, ...]]] = [
    # papers with a dataset
    ("MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $name}) RETURN p.title", {"name": "COCO"}, ()),
    ("MATCH (p:Paper)-[r:USES|EVALUATES_ON|MENTIONS|PROPOSES]->(d:Dataset {name: 'COCO'}) RETURN p.title, type(r) AS role", {}, ()),
    ("MATCH (p:Paper)-[r]->(d:Dataset {name: 'COCO'}) RETURN p, r, d", {}, ()),
    ("MATCH (p:Paper)-[r]->(d:Dataset) WHERE d.name IN $names RETURN p.title, d.name, type(r)",
     {"names": ["COCO", "GSM8K", "LVIS", "no such dataset"]}, ()),
    ("MATCH (p:Paper)-->(d:Dataset) MATCH (q:Paper)-->(d) RETURN d.name, p.title, q.title", {}, ()),
    # top-N concepts
    ("MATCH (p:Paper)-->(d:Dataset) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC, dataset LIMIT 5", {}, ()),
    ("MATCH (p:Paper)-->(c) RETURN labels(c)[0] AS type, c.name AS concept, count(p) AS papers "
     "ORDER BY papers DESC, concept, type LIMIT 10", {}, ()),
    ("MATCH (p:Paper)-[r]->(c:Method) RETURN c.name AS method, sum(r.count) AS mentions, min(r.confidence) AS low, "
     "max(r.confidence) AS high ORDER BY mentions DESC, method LIMIT 8", {}, ()),
    ("MATCH (p:Paper)-[r:EVALUATES_ON]->(m:Metric) WHERE r.confidence >= 0.9 "
     "RETURN m.name AS metric, count(r) AS uses, avg(r.confidence) AS confidence ORDER BY uses DESC, metric", {}, ()),
    ("MATCH (c) WHERE c.origin = $origin AND size(c.aliases) >= 3 RETURN labels(c)[0] AS type, count(c) AS n "
     "ORDER BY n DESC, type",
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
    ("MATCH (v)-[:VARIANT_OF]->(f) RETURN f.name AS family, labels(f) AS type, count(v) AS variants, "
     "collect(v.name) AS names ORDER BY variants DESC, family", {}, ("names",)),
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
    ("MATCH (p:Paper)-[r:PROPOSES]->(c) RETURN c.name, coalesce(p.year, 0) AS year, size(r.sentences) AS sentences", {}, ()),
    ("MATCH (p:Paper)-[r]->(c) RETURN DISTINCT type(r) AS role ORDER BY role SKIP 1", {}, ()),
    ("MATCH (p:Paper)-[r:USES]->(m:Method) RETURN p.title, m.name ORDER BY r.count DESC, p.title, m.name LIMIT 10", {}, ()),
    # OPTIONAL MATCH, WITH ... WHERE, count(*), count(DISTINCT)
    ("MATCH (p:Paper) OPTIONAL MATCH (p)-[:EVALUATES_ON]->(d:Dataset) RETURN p.title, count(d) AS datasets", {}, ()),
    ("MATCH (p:Paper) OPTIONAL MATCH (p)-[:PROPOSES]->(c) WITH p, count(c) AS proposed WHERE proposed = 0 "
     "RETURN count(*) AS papers", {}, ()),
    ("MATCH (p:Paper)-->(c) WITH c, count(*) AS n WHERE n >= 3 RETURN c.name AS name, n ORDER BY n DESC, name", {}, ()),
    ("MATCH (p:Paper)-->(c) RETURN count(*) AS links, count(DISTINCT c) AS concepts, count(DISTINCT p) AS papers", {}, ()),
    ("MATCH (p:Paper)-[r]->(c) RETURN labels(c)[0] AS type, count(DISTINCT c) AS concepts, count(r) AS edges "
     "ORDER BY type", {}, ()),
    ("MATCH (p:Paper {id: $id}) OPTIONAL MATCH (p)-[:CITES]->(q) RETURN p.title, q.title", {"id": YOLOE}, ()),
    # UNWIND, collect, lists
    ("UNWIND $names AS name MATCH (d:Dataset {name: name}) RETURN name, d.id", {"names": ["COCO", "LVIS", "nothing"]}, ()),
    ("MATCH (c:Model) WHERE size(c.aliases) > 0 UNWIND c.aliases AS alias RETURN c.name, alias", {}, ()),
    ("MATCH (p:Paper)-->(d:Dataset) WITH p, collect(d.name) AS ds WHERE size(ds) >= 2 RETURN p.title, size(ds) AS n",
     {}, ()),
    ("MATCH (p:Paper {id: $id})-->(c) RETURN collect(DISTINCT labels(c)[0]) AS types", {"id": YOLOE}, ("types",)),
    ("RETURN [x IN range(1, 10) | x * x] AS squares, range(0, 9, 3) AS steps, [1, 2, 3][1] AS second, "
     "[1, 2, 3, 4][1..3] AS middle, size([1, 2]) AS n", {}, ()),
    ("MATCH (m:Model) WHERE m.name STARTS WITH 'GPT' RETURN m.name, [a IN m.aliases | size(a)] AS sizes, "
     "any(a IN m.aliases WHERE a CONTAINS '-') AS dashed", {}, ()),
    ("MATCH (c:Method {name: 'sparse autoencoder'}) RETURN head(c.aliases) IS NOT NULL AS has, size(c.keys) > 0 AS k", {},
     ()),
    # CASE, =~, string functions, arithmetic, rounding
    ("MATCH (p:Paper)-[r]->(c:Dataset) RETURN c.name, CASE type(r) WHEN 'EVALUATES_ON' THEN 'evaluated' "
     "WHEN 'USES' THEN 'used' ELSE 'other' END AS how", {}, ()),
    ("MATCH (p:Paper)-[r]->(c) RETURN CASE WHEN r.count >= 3 THEN 'often' WHEN r.count = 2 THEN 'twice' ELSE 'once' END "
     "AS how, count(*) AS n ORDER BY how", {}, ()),
    ("MATCH (m:Model) WHERE m.name =~ '(?i)llama.*' RETURN m.name ORDER BY m.name", {}, ()),
    ("MATCH (d:Dataset) WHERE d.name =~ '[A-Z0-9-]+' RETURN d.name ORDER BY d.name", {}, ()),
    ("MATCH (p:Paper) WHERE p.title =~ $pattern RETURN p.title", {"pattern": ".*(Sparse|Mixture).*"}, ()),
    ("MATCH (m:Model) RETURN toUpper(m.name) AS up, toLower(m.name) AS low, size(m.name) AS length, "
     "substring(m.name, 1, 3) AS part, left(m.name, 2) AS l, right(m.name, 2) AS r, replace(m.name, '-', '') AS plain, "
     "trim(m.name) AS trimmed, m.name + '!' AS loud ORDER BY up, low LIMIT 15", {}, ()),
    ("MATCH (p:Paper)-[r]->(c) RETURN c.name AS name, r.count * 2 + 1 AS odd, r.count / 2 AS half, r.count % 2 AS rest, "
     "-r.count AS negative, r.confidence * 100 AS percent ORDER BY name, odd LIMIT 20", {}, ()),
    ("MATCH (p:Paper)-[r]->(c:Method) RETURN c.name AS method, round(avg(r.confidence) * 1000) / 1000 AS confidence, "
     "round(avg(r.count)) AS mentions, min(r.count) AS least, max(r.count) AS most, sum(r.count) AS total "
     "ORDER BY total DESC, method LIMIT 10", {}, ()),
    ("UNWIND [2.5, -2.5, 1.5, -0.5, 0.49, 7.0] AS x RETURN x, round(x) AS r, abs(x) AS a, ceil(x) AS c, floor(x) AS f, "
     "sign(x) AS s", {}, ()),
    ("RETURN 7 / 2 AS a, -7 / 2 AS b, -7 % 3 AS c, 2 ^ 10 AS d, 1.5 + 2 AS e, 10 / 4.0 AS f, sqrt(16) AS g", {}, ()),
    # type(r), labels(n), undirected and variable-length patterns, pattern predicates
    ("MATCH (a)-[r]-(b:Dataset {name: 'COCO'}) RETURN labels(a)[0] AS type, type(r) AS rel, count(*) AS n "
     "ORDER BY n DESC, rel", {}, ()),
    ("MATCH (a:Model {name: 'GPT-2'})-[:VARIANT_OF]-(b) RETURN b.name ORDER BY b.name", {}, ()),
    ("MATCH (v:Model)-[:VARIANT_OF*]->(f:Model {name: 'Llama'}) RETURN v.name ORDER BY v.name", {}, ()),
    ("MATCH (v:Model)-[:VARIANT_OF*0..]->(f:Model {name: 'GPT'}) RETURN v.name ORDER BY v.name", {}, ()),
    ("MATCH (a:Model {name: 'GPT-2 Small'})-[:VARIANT_OF*]-(b) RETURN b.name ORDER BY b.name", {}, ()),
    ("MATCH (p:Paper) WHERE NOT (p)-->(:Dataset) RETURN count(p) AS without", {}, ()),
    ("MATCH (p:Paper) WHERE (p)-[:PROPOSES]->(:Model) AND (p)-[:EVALUATES_ON]->(:Dataset) RETURN p.title", {}, ()),
    ("MATCH (p:Paper)-->(c) WHERE c:Dataset OR c:Metric RETURN c.name, labels(c) AS type", {}, ()),
    ("MATCH (p:Paper)-->(m:Method)<--(q:Paper) WHERE p.id < q.id RETURN m.name AS method, count(*) AS pairs "
     "ORDER BY pairs DESC, method LIMIT 5", {}, ()),
    ("MATCH (p:Paper)-->(c)<--(p2:Paper) RETURN count(*) AS pairs", {}, ()),
    ("MATCH (a:Paper)-->(c)<--(b:Paper)-->(d)<--(a) WHERE a.id < b.id AND c.id < d.id RETURN count(*) AS n", {}, ()),
    ("MATCH path = (v:Model)-[:VARIANT_OF*2]->(f:Model) RETURN length(path) AS hops, [n IN nodes(path) | n.name] AS names",
     {}, ()),
    ("MATCH (n) WHERE n:Dataset RETURN count(n) AS datasets", {}, ()),
    ("MATCH (n) RETURN labels(n) AS labels, count(*) AS n ORDER BY n", {}, ()),
    ("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY n DESC, type", {}, ()),
    # UNION, nulls, string escapes, returning whole nodes and relationships
    ("MATCH (d:Dataset) RETURN d.name AS name UNION MATCH (m:Metric) RETURN m.name AS name", {}, ()),
    ("MATCH (d:Dataset) RETURN 'dataset' AS kind, count(d) AS n UNION ALL MATCH (m:Metric) RETURN 'metric' AS kind, "
     "count(m) AS n", {}, ()),
    ("RETURN null IS NULL AS a, null = null AS b, 1 IN [1, null] AS c, 'it\\'s' AS d, \"q\\\"d\" AS e, "
     "'\\u00e9' AS f", {}, ()),
    ("MATCH (p:Paper {id: $id})-[r:PROPOSES]->(c) RETURN p, r, c", {"id": YOLOE}, ()),
    ("MATCH (p:Paper)-[r]->(c:Dataset {name: 'LVIS'}) RETURN r.count AS count, r.evidence AS evidence", {}, ()),
]

CITESEER_QUERIES: list[tuple[str, dict[str, object], tuple[str, ...]]] = [
    ("MATCH (p:Paper)-[:CITES]->(q:Paper) RETURN count(*) AS cites", {}, ()),
    ("MATCH (p:Paper) WHERE p.stub = true RETURN count(p) AS stubs", {}, ()),
    ("MATCH (p:Paper)<-[:CITES]-(q:Paper) RETURN p.id AS paper, count(q) AS cited ORDER BY cited DESC, paper LIMIT 10",
     {}, ()),
    ("MATCH (p:Paper)-[:CITES]->(q:Paper) RETURN p.id AS paper, count(q) AS refs ORDER BY refs DESC, paper LIMIT 10", {},
     ()),
    ("MATCH (p:Paper {id: 'rao95bdi'})<-[:CITES]-(c:Paper)-[:CITES]->(o:Paper) WHERE o.id <> 'rao95bdi' "
     "RETURN o.id AS id, count(DISTINCT c) AS n ORDER BY n DESC, id LIMIT 10", {}, ()),
    ("MATCH (p:Paper {id: 'lawrence00context'})-[:CITES]->(t:Paper)<-[:CITES]-(o:Paper) RETURN o.id AS id, "
     "count(t) AS n ORDER BY n DESC, id LIMIT 10", {}, ()),
    ("MATCH (a:Paper)-[:CITES]->(b:Paper)-[:CITES]->(c:Paper) WHERE a.id = 'lawrence00context' "
     "RETURN count(*) AS two_hops", {}, ()),
    ("MATCH (a:Paper {id: 'lawrence00context'})-[:CITES*1..2]->(c:Paper) RETURN count(DISTINCT c) AS reach", {}, ()),
    ("MATCH (a:Paper {id: 'lawrence00context'})-[r:CITES*1..3]->(c:Paper) RETURN size(r) AS hops, count(*) AS paths "
     "ORDER BY hops", {}, ()),
    ("MATCH (a:Paper {id: 'rao95bdi'})-[:CITES*2]-(c:Paper) RETURN count(*) AS n, count(DISTINCT c) AS d", {}, ()),
    ("MATCH (a:Paper)-[:CITES]->(b:Paper)-[:CITES]->(a) RETURN a.id, b.id", {}, ()),
    ("MATCH (a:Paper)-[:CITES]-(b:Paper) WHERE a.id = 'rao95bdi' RETURN count(*) AS n", {}, ()),
    ("MATCH (p:Paper) WHERE NOT (p)-[:CITES]->() AND NOT ()-[:CITES]->(p) RETURN count(p) AS isolated", {}, ()),
    ("MATCH (p:Paper) OPTIONAL MATCH (p)<-[c:CITES]-() WITH p, count(c) AS cited RETURN cited, count(p) AS papers "
     "ORDER BY cited LIMIT 8", {}, ()),
    ("MATCH (p:Paper)-[r:CITES]->(q:Paper) WHERE q.stub = true RETURN r.via AS via, count(*) AS n ORDER BY via", {}, ()),
    ("MATCH (p:Paper)-->(c:Task) WITH c, count(p) AS papers ORDER BY papers DESC, c.name LIMIT 5 "
     "MATCH (q:Paper)-->(c) OPTIONAL MATCH (q)<-[x:CITES]-() RETURN c.name AS task, papers, count(x) AS citations "
     "ORDER BY papers DESC, task", {}, ()),
    ("MATCH (p:Paper) WHERE p.abstract =~ '(?i).*\\bagents?\\b.*' RETURN count(p) AS agents", {}, ()),
    ("MATCH (p:Paper) WHERE p.stub IS NULL RETURN size(p.abstract) / 500 AS length, count(*) AS n ORDER BY length", {},
     ()),
    ("MATCH (a:Paper)-[:CITES]->(b:Paper) WHERE b.stub IS NULL "
     "RETURN size(a.abstract) - size(b.abstract) > 0 AS longer, count(*) AS n ORDER BY longer", {}, ()),
    ("MATCH (p:Paper {id: 'lawrence00context'}) OPTIONAL MATCH (p)-[:CITES]->(q) RETURN collect(q.id) AS refs", {},
     ("refs",)),
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


REFUSED = [
    ("MATCH (n) RETURN id(n)", "id()"),
    ("MATCH (n:Dataset) RETURN n {.name}", "map projections"),
    ("CALL db.labels()", "CALL"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
    ("MATCH (n:Dataset:Model) RETURN n", "two labels"),
    ("MATCH (a)-[*]-(b), (a)-[*]-(c) RETURN count(*)", "two variable-length"),
    ("MATCH (n) RETURN count { (n)-->() } AS n", "COUNT { }"),
    ("MATCH (n) RETURN toString(n.year)", "toString()"),
    ("RETURN [1, 2, 3][$a..$b]", "list slices"),
    ("MATCH (m:Model) RETURN [a IN m.aliases WHERE a CONTAINS '-'] AS dashed", "list comprehensions with WHERE"),
    ("MATCH (p:Paper) RETURN [(p)-->(c) | c.name] AS names", "pattern comprehensions"),
]


@pytest.fixture(scope="module")
def page_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore.open(tmp_path_factory.mktemp("parity") / "kg-graph.kg", create=True)
    build([PAGE], store)
    return store


def test_there_are_enough_parity_queries() -> None:
    queries = [query for query, _, _ in PAGE_QUERIES + CITESEER_QUERIES]
    assert len(queries) >= 60 and len(set(queries)) == len(queries)


@pytest.mark.parametrize(("query", "params", "unordered"), PAGE_QUERIES)
def test_every_parity_query_runs_on_the_embedded_store(
    page_store: EmbeddedStore, query: str, params: dict[str, object], unordered: tuple[str, ...]
) -> None:
    """Without a server, every query still runs on the embedded store and gives plain, repeatable rows."""
    rows = page_store.cypher(query, params)
    json.dumps(rows)
    assert same_rows(query, canonical(rows, unordered), canonical(page_store.cypher(query, params), unordered))


@pytest.mark.parametrize(("query", "construct"), REFUSED)
def test_what_cannot_be_translated_exactly_is_refused_by_name(page_store: EmbeddedStore, query: str,
                                                             construct: str) -> None:
    with pytest.raises(QueryError, match=re.escape(construct)):
        page_store.cypher(query, {"a": 1, "b": 2})


def _compare(ours_store: EmbeddedStore, neo4j_store: Neo4jStore,
             queries: list[tuple[str, dict[str, object], tuple[str, ...]]]) -> None:
    mismatches, answered = [], 0
    for query, params, unordered in queries:
        ours = canonical(ours_store.cypher(query, params), unordered)
        theirs = canonical(neo4j_store.cypher(query, params), unordered)
        answered += bool(theirs)
        if not same_rows(query, ours, theirs):
            only_ours, only_theirs = Counter(ours) - Counter(theirs), Counter(theirs) - Counter(ours)
            mismatches.append(f"{query}\n  embedded only: {list(only_ours)[:3]}\n  Neo4j only: {list(only_theirs)[:3]}")
    assert not mismatches, "\n".join(mismatches)
    assert answered >= len(queries) - 2  # the parity is not between empty answers


@pytest.mark.neo4j
def test_the_page_gives_the_same_rows_on_neo4j(page_store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    neo4j_store.write(page_store.read())
    _compare(page_store, neo4j_store, PAGE_QUERIES)


@pytest.mark.neo4j
def test_citeseer_gives_the_same_rows_on_neo4j(citeseer: tuple[EmbeddedStore, object], neo4j_store: Neo4jStore) -> None:
    store, _ = citeseer
    neo4j_store.write(store.read())
    _compare(store, neo4j_store, CITESEER_QUERIES)
