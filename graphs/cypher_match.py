"""Pattern matching for the NetworkX Cypher subset, with grand-cypher finding the matches.

:func:`query_view` copies the store's graph into the form grand-cypher reads (``__labels__``
sets, an ``id`` property), cached per graph. :func:`match_clauses` binds every MATCH
clause as Neo4j does and joins the clauses on their shared variables. For each clause,
variable-length steps are expanded into fixed hops, and every way of merging pattern nodes
into one graph node runs as a pattern of its own, because grand-cypher never binds two
pattern nodes to one graph node; grand-cypher only gets one-hop ``MATCH`` lines that
return node ids, and labels, types and properties are checked again here.

Examples
--------
>>> import networkx as nx
>>> from kg.graphs.cypher_parse import parse
>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", type="CITES")
>>> g.add_edge("b", "a", type="CITES")
>>> nx.set_node_attributes(g, "Paper", "label")
>>> plan = parse("MATCH (x:Paper)-[:CITES*2]->(y) RETURN x, y", {})
>>> sorted((row["x"].id, row["y"].id) for row in match_clauses(query_view(g), plan.clauses))
[('a', 'a'), ('b', 'b')]
"""

from __future__ import annotations

import itertools
import weakref
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import NamedTuple

import networkx as nx
from grandcypher import GrandCypher
from lark.exceptions import LarkError

from kg.errors import QueryError
from kg.graphs.cypher_ast import HIDDEN, Clause, NodeSpec
from kg.graphs.cypher_lex import PLAIN_NAME, gc_value, literal, unsupported
from kg.graphs.cypher_values import Node, Rel, Row, equal, value_key

__all__ = ["QueryView", "match_clauses", "query_view"]

_MAX_RUNS = 64


class _Hop(NamedTuple):
    """One relationship of a fixed-length pattern, from pattern node ``source`` to ``target``."""

    source: str
    target: str
    types: frozenset[str] | None
    props: Mapping[str, object]


class QueryView:
    """The graph as grand-cypher reads it (``__labels__`` sets, an ``id``), and its node values."""

    def __init__(self, graph: nx.DiGraph):
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(
            (key, {**attrs, "id": key, "__labels__": {attrs.get("label")}}) for key, attrs in graph.nodes(data=True)
        )
        self.graph.add_edges_from(
            (s, t, {**attrs, "__labels__": {attrs.get("type")}}) for s, t, attrs in graph.edges(data=True)
        )
        self.dag = nx.is_directed_acyclic_graph(graph)
        self.nodes: dict[str, Node] = {}

    def node(self, key: str) -> Node:
        if key not in self.nodes:
            attrs = self.graph.nodes[key]
            props = {k: v for k, v in attrs.items() if k not in ("label", "__labels__")}
            self.nodes[key] = Node(key, attrs.get("label"), props)
        return self.nodes[key]

    def rel(self, source: str, target: str) -> Rel:
        attrs = self.graph.edges[source, target]
        return Rel(source, target, attrs.get("type"), {k: v for k, v in attrs.items() if k not in ("type", "__labels__")})


_VIEWS: dict[int, tuple[weakref.ref[nx.DiGraph], tuple[int, int], QueryView]] = {}


def query_view(graph: nx.DiGraph) -> QueryView:
    """The query view of ``graph``, cached by the graph's identity and its node and edge counts."""
    size = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _VIEWS.get(id(graph))
    if cached is not None and cached[0]() is graph and cached[1] == size:
        return cached[2]
    for key in [key for key, (ref, _, _) in _VIEWS.items() if ref() is None]:
        del _VIEWS[key]
    view = QueryView(graph)
    _VIEWS[id(graph)] = (weakref.ref(graph), size, view)
    return view



def match_clauses(view: QueryView, clauses: list[Clause]) -> list[Row]:
    """Every binding of the variables of all ``clauses``, joined on the variables they share.

    Raises ``QueryError`` when a pattern is too loose to match here or grand-cypher fails.
    """
    rows: list[Row] = [{}]
    for clause in clauses:
        shared = sorted(set().union(*rows[:1]) & clause.variables)
        found: dict[tuple[object, ...], list[Row]] = defaultdict(list)
        for row in _match_clause(view, clause):
            found[tuple(value_key(row[name]) for name in shared)].append(row)
        rows = [{**a, **b} for a in rows for b in found.get(tuple(value_key(a[name]) for name in shared), [])]
    return rows


def _match_clause(view: QueryView, clause: Clause) -> list[Row]:
    """Every binding of the clause's variables, as Neo4j finds them (nodes may repeat, relationships not).

    grand-cypher never maps two pattern nodes to one graph node, so every way of merging
    pattern nodes that could match runs as a pattern of its own.
    """
    rows, runs = [], 0
    for hops, rels, specs in _expansions(clause):
        for blocks in _partitions(list(specs), specs, hops, view.dag):
            runs += 1
            if runs > _MAX_RUNS:
                raise unsupported("a pattern this loose (give its nodes labels)")
            for ids in _find(view, blocks, specs, hops):
                nodes = {name: view.node(ids[i]) for i, block in enumerate(blocks) for name in block}
                edges = [view.rel(nodes[hop.source].id, nodes[hop.target].id) for hop in hops]
                if all(_fits(nodes[n], specs[n].labels, specs[n].props) for n in specs) and all(
                    _fits(edge, hop.types, hop.props) for edge, hop in zip(edges, hops)
                ):
                    row: Row = {name: node for name, node in nodes.items() if not name.startswith(HIDDEN)}
                    row.update((var, [edges[i] for i in at] if isinstance(at, list) else edges[at]) for var, at in rels.items())
                    rows.append(row)
    return rows


def _expansions(clause: Clause) -> Iterator[tuple[list[_Hop], dict[str, int | list[int]], dict[str, NodeSpec]]]:
    """The clause as one-hop patterns, one per combination of variable lengths: hops, where each
    relationship variable's hops are, and the node constraints (intermediate nodes have none)."""
    for lengths in itertools.product(*(range(s.hops[0], s.hops[1] + 1) if s.hops else [1] for s in clause.steps)):
        hops: list[_Hop] = []
        rels: dict[str, int | list[int]] = {}
        specs = dict(clause.nodes)
        for step, length in zip(clause.steps, lengths):
            inner = [f"{HIDDEN}m{len(specs) + k}" for k in range(length - 1)]
            specs.update((name, NodeSpec()) for name in inner)
            chain = [step.left, *inner, step.right]
            if step.var:
                rels[step.var] = list(range(len(hops), len(hops) + length)) if step.hops else len(hops)
            for a, b in zip(chain, chain[1:]):
                hops.append(_Hop(a, b, step.types, step.props) if step.forward else _Hop(b, a, step.types, step.props))
        yield hops, rels, specs


def _partitions(names: list[str], specs: dict[str, NodeSpec], hops: list[_Hop], dag: bool) -> list[list[list[str]]]:
    """The ways to merge pattern nodes into graph nodes that could match, built name by name.

    A merge is kept while the merged nodes' labels and properties agree, no two hops
    join the same pair of nodes (that would be one relationship twice) and, when the
    graph has no cycle, the merged pattern has none either.
    """
    if any(specs[name].labels == frozenset() for name in names):
        return []
    parts: list[list[list[str]]] = [[]]
    for name in names:
        grown = []
        for old in parts:
            grown.append([*old, [name]])
            grown += [[*old[:i], [*block, name], *old[i + 1 :]] for i, block in enumerate(old)
                      if _merged([*block, name], specs).labels != frozenset()]
        parts = [part for part in grown if _possible(part, hops, dag)]
    return parts


def _possible(part: list[list[str]], hops: list[_Hop], dag: bool) -> bool:
    index = {name: i for i, block in enumerate(part) for name in block}
    ends = [(index[h.source], index[h.target]) for h in hops if h.source in index and h.target in index]
    return len(set(ends)) == len(ends) and not (dag and not nx.is_directed_acyclic_graph(nx.DiGraph(ends)))


def _merged(block: list[str], specs: dict[str, NodeSpec]) -> NodeSpec:
    merged = NodeSpec()
    for name in block:
        merged.constrain(specs[name].labels, specs[name].props)
    return merged


def _find(view: QueryView, blocks: list[list[str]], specs: dict[str, NodeSpec], hops: list[_Hop]) -> list[list[str]]:
    """Node ids, one per block, of grand-cypher's matches of the merged pattern, all different."""
    index = {name: i for i, block in enumerate(blocks) for name in block}
    merged = [_merged(block, specs) for block in blocks]

    def node(i: int) -> str:
        labels = ":" + "|".join(sorted(merged[i].labels or ())) if merged[i].labels else ""
        props = ", ".join(f"{k}: {literal(v)}" for k, v in merged[i].props.items() if gc_value(v) and PLAIN_NAME.fullmatch(k))
        return f"(_v{i}{labels}{' {' + props + '}' if props else ''})"

    pairs = [(index[h.source], index[h.target], ":" + "|".join(sorted(h.types)) if h.types else "") for h in hops]
    lines = [f"MATCH {node(s)}-[{types}]->{node(t)}" for s, t, types in pairs]
    lines += [f"MATCH {node(i)}" for i in range(len(blocks)) if all(i not in (s, t) for s, t, _ in pairs)]
    try:
        result = GrandCypher(view.graph).run(" ".join(lines) + " RETURN " + ", ".join(f"_v{i}" for i in range(len(blocks))))
    except LarkError as exc:
        raise QueryError(f"the query could not be parsed on the NetworkX store (grand-cypher: {_first_line(exc)})") from None
    except Exception as exc:  # grand-cypher's own failures reach the user as one line, not a traceback
        raise QueryError(f"grand-cypher failed on this query ({type(exc).__name__}: {_first_line(exc)})") from None
    columns = [result[f"_v{i}"] for i in range(len(blocks))]
    rows = [[str(column[k]["id"]) for column in columns] for k in range(len(columns[0]))]
    return [ids for ids in rows if len(set(ids)) == len(ids)]


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def _fits(value: Node | Rel, labels: frozenset[str] | None, props: Mapping[str, object]) -> bool:
    kind = value.label if isinstance(value, Node) else value.type
    return (labels is None or kind in labels) and all(equal(value.props.get(k), v) is True for k, v in props.items())
