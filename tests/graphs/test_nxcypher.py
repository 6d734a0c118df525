"""Cypher on the NetworkX store: translation, refusals, and answers checked against the store's own primitives."""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import QueryError
from kg.graphs.nxcypher import run_cypher, translate
from kg.graphs.nxstore import NetworkXStore
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType
from kg.pipeline.build import build

PAGE = Path(__file__).resolve().parents[2] / "examples" / "papers-page" / "papers.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> NetworkXStore:
    store = NetworkXStore.open(tmp_path_factory.mktemp("nxcypher") / "kg-graph.json", create=True)
    build([PAGE], store)
    return store


@pytest.fixture(scope="module")
def graph(store: NetworkXStore) -> nx.DiGraph:
    return store.networkx()


def bag(rows: Iterable[Mapping[str, object]]) -> Counter[str]:
    """Rows as a multiset, for answers whose order Cypher leaves open."""
    return Counter(json.dumps(row, sort_keys=True) for row in rows)


def names(store: NetworkXStore, label: Label | None = None) -> dict[str, str]:
    return {n.id: str(n.properties.get("name", n.properties.get("title"))) for n in store.nodes(label)}


# -- translation ----------------------------------------------------------------------


def test_single_quoted_strings_become_double_quoted() -> None:
    assert translate("""MATCH (d {name: 'COCO'}) RETURN d""") == 'MATCH (d {name: "COCO"}) RETURN d'
    assert translate(r"""RETURN 'say "hi", it\'s \\ here'""") == r'''RETURN "say \"hi\", it's \\ here"'''
    assert translate("""RETURN "keep 'these' quotes" """) == '''RETURN "keep 'these' quotes" '''


def test_parameters_become_literals() -> None:
    params = {"s": 'a "b"', "i": 3, "f": 0.5, "t": True, "n": None, "l": ["x", 1, None]}
    query = "RETURN $s, $i, $f, $t, $n, $l"
    assert translate(query, params) == 'RETURN "a \\"b\\"", 3, 0.5, true, null, ["x", 1, null]'


def test_parameters_are_not_substituted_inside_strings() -> None:
    assert translate("""WHERE p.title = 'costs $i' AND p.n = $i""", {"i": 1}) == 'WHERE p.title = "costs $i" AND p.n = 1'
    assert translate('RETURN "$missing"') == 'RETURN "$missing"'


def test_missing_and_unusable_parameters_are_named() -> None:
    with pytest.raises(QueryError, match=r"missing parameter \$name"):
        translate("MATCH (d {name: $name}) RETURN d")
    for bad in ({"a": 1}, object(), [[1]], float("nan")):
        with pytest.raises(QueryError, match=r"parameter \$p: "):
            translate("RETURN $p", {"p": bad})


def test_quotes_and_parameters_give_the_same_rows(graph: nx.DiGraph) -> None:
    expected = run_cypher(graph, 'MATCH (p:Paper)-->(d:Dataset {name: "COCO"}) RETURN p.title')
    assert expected
    assert bag(run_cypher(graph, "MATCH (p:Paper)-->(d:Dataset {name: 'COCO'}) RETURN p.title")) == bag(expected)
    assert bag(run_cypher(graph, "MATCH (p:Paper)-->(d:Dataset) WHERE d.name = $n RETURN p.title", {"n": "COCO"})) == bag(expected)


# -- refusals ---------------------------------------------------------------------------

REFUSED = [
    ("MATCH (p:Paper) OPTIONAL MATCH (p)-->(d) RETURN p, d", "OPTIONAL MATCH"),
    ("optional match (p:Paper) return p", "OPTIONAL MATCH"),
    ("MATCH (p:Paper) WITH p RETURN p", "WITH"),
    ("UNWIND [1, 2] AS x RETURN x", "UNWIND"),
    ("CALL db.labels()", "CALL"),
    ("MATCH (p:Paper) RETURN p.title AS t UNION MATCH (d:Dataset) RETURN d.name AS t", "UNION"),
    ("Create (n:Paper {title: 'x'})", "CREATE"),
    ("MERGE (n:Dataset {name: 'x'}) RETURN n", "MERGE"),
    ("MATCH (n:Paper) SET n.title = 'x' RETURN n", "SET"),
    ("MATCH (n:Paper) DELETE n", "DELETE"),
    ("MATCH (n:Paper) DETACH DELETE n", "DETACH DELETE"),
    ("MATCH (n:Paper) REMOVE n.title RETURN n", "REMOVE"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD CSV"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
    ("MATCH (p:Paper) RETURN count(*)", "count(*)"),
    ("MATCH (p:Paper)-->(d) RETURN count(DISTINCT d)", "count(DISTINCT ...)"),
    ("MATCH (a)-[*]->(b) RETURN a", "open-ended variable-length pattern (*)"),
    ("MATCH (a)-[:VARIANT_OF*2..]->(b) RETURN a", "open-ended variable-length pattern (*2..)"),
    ("MATCH p = shortestPath((a)-[*]->(b)) RETURN p", "shortestPath"),
    ("MATCH (a:Model), (b:Model) RETURN allShortestPaths((a)-[*]->(b))", "allShortestPaths"),
    ("MATCH (a)-[r]-(b) RETURN a", "undirected relationship pattern"),
    ("MATCH (p:Paper)--(d) RETURN p", "undirected relationship pattern"),
    ("MATCH (p:Paper)-[r:USES]-(d) RETURN p", "undirected relationship pattern"),
    ("MATCH (a)<-[r]->(b) RETURN a", "two arrows"),
    ("MATCH (p:Paper)-[r]->(d) RETURN r.count + 1", "arithmetic (+)"),
    ("MATCH (p:Paper)-->(d) RETURN p.title, count(d) * 2", "arithmetic (*)"),
    ("MATCH (p:Paper)-[r]->(d) WHERE r.count - 1 > 0 RETURN p", "arithmetic (-)"),
    ("MATCH (p:Paper) RETURN id(p)", "id()"),
    ("MATCH (p:Paper) RETURN keys(p)", "keys()"),
    ("MATCH (p:Paper) WHERE p.title =~ 'A.*' RETURN p", "=~"),
    ("MATCH (p:Paper) RETURN CASE WHEN p.year > 2000 THEN 1 ELSE 0 END", "CASE"),
    ("MATCH (p:Paper) WHERE EXISTS { MATCH (p)-->(:Dataset) } RETURN p", "EXISTS"),
    ("MATCH (p:Paper) WHERE NOT (p)-[:USES]->() RETURN p", "pattern in an expression"),
    ("MATCH path = (p:Paper)-->(d) RETURN path", "named path"),
    ("MATCH (p:Paper)-[r]->(d) RETURN r.sentences[0]", "list indexing"),
    ("MATCH (n) WHERE n:Dataset RETURN n", "label test"),
    ("MATCH (p:Paper) RETURN *", "RETURN *"),
    ("MATCH (v)-[:VARIANT_OF]->(f) RETURN f.name, size(collect(v.name))", "aggregate inside an expression"),
]


@pytest.mark.parametrize(("query", "clause"), REFUSED)
def test_unsupported_clauses_are_refused_by_name(graph: nx.DiGraph, query: str, clause: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_cypher(graph, query)
    assert clause in str(caught.value)
    assert "not supported on the NetworkX store; run it on Neo4j (--neo4j-uri) or rewrite it" in str(caught.value)


def test_keywords_inside_strings_are_only_text(graph: nx.DiGraph, store: NetworkXStore) -> None:
    rows = run_cypher(graph, "MATCH (d:Dataset) WHERE d.name <> 'OPTIONAL MATCH (x) DETACH DELETE x // count(*)' RETURN d.name")
    assert bag(rows) == bag({"d.name": name} for name in names(store, Label.DATASET).values())


def test_bad_cypher_says_it_could_not_be_parsed(graph: nx.DiGraph) -> None:
    for query in ("MATCH (p:Paper RETURN p", "MATCH (p:Paper) RETURN", "MATCH (p:Paper) RETURN p.title LIMIT 'x'"):
        with pytest.raises(QueryError, match="could not be parsed on the NetworkX store"):
            run_cypher(graph, query)


def test_grand_cypher_failures_become_query_errors(graph: nx.DiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    """grand-cypher only reads patterns this module writes, so its failures are forced here to test the wrapping."""
    from lark.exceptions import UnexpectedCharacters

    from kg.graphs import cypher_match

    class Failing:
        def __init__(self, host: nx.DiGraph) -> None:
            pass

        def run(self, text: str) -> None:
            raise (UnexpectedCharacters(text, 0, 1, 1) if "Dataset" in text else KeyError("boom"))  # type: ignore[no-untyped-call]

    monkeypatch.setattr(cypher_match, "GrandCypher", Failing)
    with pytest.raises(QueryError, match=r"could not be parsed on the NetworkX store \(grand-cypher: No terminal matches"):
        run_cypher(graph, "MATCH (d:Dataset) RETURN d.name")
    with pytest.raises(QueryError, match=r"grand-cypher failed on this query \(KeyError: 'boom'\)"):
        run_cypher(graph, "MATCH (p:Paper) RETURN p.title")


def test_mistakes_neo4j_also_rejects_are_errors(graph: nx.DiGraph) -> None:
    for query, message in [
        ("MATCH (p:Paper) RETURN q.title", "unknown variable q"),
        ("MATCH (p:Paper) RETURN DISTINCT p.title ORDER BY p.year", "unknown variable p"),
        ("MATCH (p:Paper) RETURN p.title, p.title", "same name"),
        ("MATCH (p:Paper) WHERE p.title RETURN p", "expected a boolean"),
        ("MATCH (p:Paper) RETURN toLower(1)", "expected a string"),
    ]:
        with pytest.raises(QueryError, match=message):
            run_cypher(graph, query)


# -- answers, derived independently from the store --------------------------------------


def test_papers_evaluated_on_coco(graph: nx.DiGraph, store: NetworkXStore) -> None:
    titles = names(store, Label.PAPER)
    expected = [{"p.title": titles[e.source]} for e in store.edges([RelType.EVALUATES_ON], targets=["dataset:coco"])]
    assert expected
    assert bag(run_cypher(graph, "MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {id: 'dataset:coco'}) RETURN p.title")) == bag(expected)


def test_type_alternation_and_inline_properties(graph: nx.DiGraph, store: NetworkXStore) -> None:
    titles = names(store, Label.PAPER)
    coco = [n.id for n in store.nodes(Label.DATASET) if n.properties["name"] == "COCO"]
    expected = [{"p.title": titles[e.source], "role": e.type.value} for e in store.edges(PAPER_CONCEPT_TYPES, targets=coco)]
    assert len({row["role"] for row in expected}) > 1
    query = 'MATCH (p:Paper)-[r:USES|EVALUATES_ON|MENTIONS|PROPOSES]->(d:Dataset {name: "COCO"}) RETURN p.title, type(r) AS role'
    assert bag(run_cypher(graph, query)) == bag(expected)


def test_whole_nodes_and_relationships_are_plain_properties(graph: nx.DiGraph, store: NetworkXStore) -> None:
    edges = store.edges(PAPER_CONCEPT_TYPES, targets=["dataset:coco"])
    nodes = {n.id: n for n in store.nodes(ids=[e.source for e in edges] + ["dataset:coco"])}
    expected = [
        {"p": {**nodes[e.source].properties, "id": e.source}, "r": {**e.properties, "type": e.type.value},
         "d": {**nodes["dataset:coco"].properties, "id": "dataset:coco"}, "labels(d)": ["Dataset"]}
        for e in edges
    ]
    rows = run_cypher(graph, "MATCH (p:Paper)-[r]->(d:Dataset {id: 'dataset:coco'}) RETURN p, r, d, labels(d)")
    assert bag(rows) == bag(expected)
    assert all("label" not in row["p"] and "__labels__" not in row["r"] for row in rows)  # type: ignore[operator]


def test_papers_sharing_a_method_with_a_paper(graph: nx.DiGraph, store: NetworkXStore) -> None:
    methods = {n.id for n in store.nodes(Label.METHOD)}
    users = defaultdict(set)
    for e in store.edges(PAPER_CONCEPT_TYPES):
        if e.target in methods:
            users[e.target].add(e.source)
    paper = max(sorted({p for who in users.values() for p in who}), key=lambda p: sum(p in who for who in users.values()))
    titles = names(store, Label.PAPER)
    expected = {titles[q] for who in users.values() if paper in who for q in who - {paper}}
    assert expected
    query = "MATCH (p:Paper {id: $id})-->(m:Method)<--(q:Paper) RETURN DISTINCT q.title AS title"
    assert bag(run_cypher(graph, query, {"id": paper})) == bag({"title": t} for t in expected)


def test_co_usage_counts_group_implicitly(graph: nx.DiGraph, store: NetworkXStore) -> None:
    label = {n.id: n.label for n in store.nodes()}
    by_paper = defaultdict(set)
    for e in store.edges(PAPER_CONCEPT_TYPES):
        by_paper[e.source].add(e.target)
    pairs = Counter((a, b) for used in by_paper.values() for a in used for b in used
                    if label[a] is Label.DATASET and label[b] is Label.MODEL)
    concept = names(store)
    expected = [{"dataset": concept[a], "model": concept[b], "papers": n} for (a, b), n in pairs.items()]
    assert expected
    query = "MATCH (d:Dataset)<--(p:Paper)-->(m:Model) RETURN d.name AS dataset, m.name AS model, count(p) AS papers"
    assert bag(run_cypher(graph, query)) == bag(expected)


def test_top_datasets_by_paper_count_orders_before_limiting(graph: nx.DiGraph, store: NetworkXStore) -> None:
    datasets = names(store, Label.DATASET)
    counts = Counter(e.target for e in store.edges(PAPER_CONCEPT_TYPES) if e.target in datasets)
    ranked = sorted(((-n, datasets[d]) for d, n in counts.items()))
    expected = [{"dataset": name, "papers": -n} for n, name in ranked][1:6]
    query = "MATCH (p:Paper)-->(d:Dataset) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC, dataset SKIP 1 LIMIT 5"
    assert run_cypher(graph, query) == expected


def test_variants_of_a_family(graph: nx.DiGraph, store: NetworkXStore) -> None:
    concept = names(store)
    family = Counter(e.target for e in store.edges([RelType.VARIANT_OF])).most_common(1)[0][0]
    variants = [concept[e.source] for e in store.edges([RelType.VARIANT_OF], targets=[family])]
    rows = run_cypher(graph, "MATCH (v)-[:VARIANT_OF]->(f {name: $name}) RETURN collect(v.name) AS variants", {"name": concept[family]})
    assert len(rows) == 1 and isinstance(rows[0]["variants"], list)
    assert sorted(rows[0]["variants"]) == sorted(variants)


def test_variable_length_paths_one_row_per_path(graph: nx.DiGraph, store: NetworkXStore) -> None:
    concept = names(store)
    parents = defaultdict(list)
    for e in store.edges([RelType.VARIANT_OF]):
        parents[e.source].append(e.target)
    paths = [[v, f] for v in parents for f in parents[v]]
    paths += [[v, f, g] for v, f in paths for g in parents.get(f, [])]
    expected = [{"v.name": concept[p[0]], "f.name": concept[p[-1]], "hops": len(p) - 1} for p in paths]
    assert any(row["hops"] == 2 for row in expected)
    query = "MATCH (v)-[r:VARIANT_OF*1..2]->(f) RETURN v.name, f.name, size(r) AS hops"
    assert bag(run_cypher(graph, query)) == bag(expected)
    two = [row for row in expected if row["hops"] == 2]
    assert bag(run_cypher(graph, "MATCH (v)-[r:VARIANT_OF*2]->(f) RETURN v.name, f.name, size(r) AS hops")) == bag(two)


def test_filters_and_null_logic(graph: nx.DiGraph, store: NetworkXStore) -> None:
    models = names(store, Label.MODEL)
    query = "MATCH (m:Model) WHERE toLower(m.name) STARTS WITH 'llama' OR m.name IN ['GPT-2', 'BERT'] RETURN m.name"
    expected = [n for n in models.values() if n.lower().startswith("llama") or n in ("GPT-2", "BERT")]
    assert expected and bag(run_cypher(graph, query)) == bag({"m.name": n} for n in expected)
    papers = store.nodes(Label.PAPER)
    without_year = sum(p.properties.get("year") is None for p in papers)
    other_year = sum(p.properties.get("year") not in (None, 2020) for p in papers)
    assert run_cypher(graph, "MATCH (p:Paper) WHERE p.year IS NULL RETURN count(p) AS n") == [{"n": without_year}]
    assert run_cypher(graph, "MATCH (p:Paper) WHERE p.year <> 2020 RETURN count(p) AS n") == [{"n": other_year}]
    assert run_cypher(graph, "MATCH (p:Paper) WHERE NOT p.year = 2020 RETURN count(p) AS n") == [{"n": other_year}]
    contains = sum("sparse" in str(p.properties["title"]).lower() for p in papers)
    assert run_cypher(graph, "MATCH (p:Paper) WHERE toLower(p.title) CONTAINS 'sparse' RETURN count(p) AS n") == [{"n": contains}]


def test_an_empty_match_still_aggregates(graph: nx.DiGraph) -> None:
    query = "MATCH (d:Dataset {name: 'no such dataset'}) RETURN count(d) AS n, collect(d.name) AS names, avg(d.x) AS mean"
    assert run_cypher(graph, query) == [{"n": 0, "names": [], "mean": None}]
    assert run_cypher(graph, "MATCH (d:Dataset {name: 'no such dataset'}) RETURN d.name, count(d)") == []


def test_separate_match_clauses_may_bind_the_same_paper(graph: nx.DiGraph, store: NetworkXStore) -> None:
    users = defaultdict(set)
    for e in store.edges(PAPER_CONCEPT_TYPES):
        if e.target.startswith("dataset:"):
            users[e.target].add(e.source)
    expected = [{"p.id": p, "q.id": q} for who in users.values() for p in who for q in who]
    rows = run_cypher(graph, "MATCH (p:Paper)-->(d:Dataset) MATCH (q:Paper)-->(d) RETURN p.id, q.id")
    assert bag(rows) == bag(expected)
    assert any(row["p.id"] == row["q.id"] for row in rows)


def test_one_pattern_binds_two_variables_to_one_node_when_no_relationship_repeats(graph: nx.DiGraph, store: NetworkXStore) -> None:
    to = defaultdict(set)
    for e in store.edges(PAPER_CONCEPT_TYPES):
        to[e.target].add(e.source)
    expected = [{"a": a, "m": e.source, "f": e.target, "c": c}
                for e in store.edges([RelType.VARIANT_OF]) for a in to[e.source] for c in to[e.target]]
    rows = run_cypher(graph, "MATCH (a:Paper)-->(m)-[:VARIANT_OF]->(f)<--(c:Paper) RETURN a.id AS a, m.id AS m, f.id AS f, c.id AS c")
    assert bag(rows) == bag(expected)
    assert any(row["a"] == row["c"] for row in rows)  # grand-cypher alone never returns these


# -- a small graph with cycles, against brute force ------------------------------------


def brute_force(graph: nx.DiGraph, hops: list[tuple[str, str]]) -> Counter[str]:
    """All bindings of a chain of typeless hops, relationships distinct, nodes free: Neo4j's semantics."""
    found: Counter[str] = Counter()
    for edges in itertools.product(list(graph.edges), repeat=len(hops)):
        binding: dict[str, str] = {}
        ok = len(set(edges)) == len(edges)
        for (s, t), (u, v) in zip(hops, edges):
            ok = ok and binding.setdefault(s, u) == u and binding.setdefault(t, v) == v
        if ok:
            found[json.dumps(dict(sorted(binding.items())), sort_keys=True)] += 1
    return found


def cyclic_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((n, {"label": "Model", "name": n}) for n in "abcd")
    graph.add_edges_from((edge[0], edge[1], {"type": "VARIANT_OF"}) for edge in ["ab", "ba", "bc", "cd", "da", "aa"])
    return graph


@pytest.mark.parametrize(
    ("pattern", "hops"),
    [
        ("(x)-->(y)-->(z)", [("x", "y"), ("y", "z")]),
        ("(x)-->(y), (z)-->(w)", [("x", "y"), ("z", "w")]),
        ("(x)-->(y)<--(z)-->(w)", [("x", "y"), ("z", "y"), ("z", "w")]),
        ("(x)-->(y)-->(z)-->(w)", [("x", "y"), ("y", "z"), ("z", "w")]),
    ],
)
def test_cyclic_graph_matches_brute_force(pattern: str, hops: list[tuple[str, str]]) -> None:
    graph = cyclic_graph()
    variables = sorted({v for hop in hops for v in hop})
    query = f"MATCH {pattern} RETURN " + ", ".join(f"{v}.id AS {v}" for v in variables)
    assert bag(run_cypher(graph, query)) == brute_force(graph, hops)


def test_cyclic_graph_variable_length_matches_brute_force() -> None:
    graph = cyclic_graph()
    expected: Counter[str] = Counter()
    for hops in ([("x", "z")], [("x", "m"), ("m", "z")]):
        for row, n in brute_force(graph, hops).items():
            binding = json.loads(row)
            expected[json.dumps({"x": binding["x"], "z": binding["z"], "hops": len(hops)}, sort_keys=True)] += n
    assert bag(run_cypher(graph, "MATCH (x)-[r:VARIANT_OF*1..2]->(z) RETURN x.id AS x, z.id AS z, size(r) AS hops")) == expected


def test_the_query_view_is_cached_until_the_graph_changes(graph: nx.DiGraph) -> None:
    from kg.graphs import nxcypher

    small = nx.DiGraph()
    small.add_node("dataset:x", label="Dataset", name="X")
    assert run_cypher(small, "MATCH (d:Dataset) RETURN d.name") == [{"d.name": "X"}]
    view = nxcypher._view(small)
    assert nxcypher._view(small) is view
    small.add_node("dataset:y", label="Dataset", name="Y")
    assert nxcypher._view(small) is not view
    assert bag(run_cypher(small, "MATCH (d:Dataset) RETURN d.name")) == bag([{"d.name": "X"}, {"d.name": "Y"}])
    assert "__labels__" not in small.nodes["dataset:x"]
