"""The store interface's primitive reads on the embedded engine, each one statement the engine answers.

Labels and relationship types come from the schema's enums and are quoted; ids
and keys travel as parameters. Results are sorted as the interface promises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from kg.graphs.engine_values import plain, properties
from kg.graphs.schema import quote, route
from kg.model import Edge, Graph, Label, Node, RelType

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["concepts_with_key", "count", "edges", "networkx", "nodes"]


class _Runs(Protocol):
    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]: ...


class _Reads(Protocol):
    def read(self) -> Graph: ...


def nodes(engine: _Runs, label: Label | None, ids: Iterable[str] | None,
          fields: Sequence[str] | None) -> list[Node]:
    """Nodes with ``label`` (any if ``None``) and one of ``ids`` (any if ``None``), sorted by id."""
    routes: Mapping[Label, list[str] | None] = route(ids) if ids is not None else {each: None for each in Label}
    found = []
    for each, wanted in routes.items():
        if label is not None and each is not label:
            continue
        table = quote(each.value)
        if wanted is None:
            query, params = f"MATCH (n:{table}) RETURN n", {}
        else:
            query, params = f"UNWIND $ids AS i MATCH (n:{table} {{id: i}}) RETURN n", {"ids": wanted}
        for (value,) in engine.rows(query, params):
            props = properties(value)
            node_id = props.pop("id")
            if fields is not None:
                props = {key: item for key, item in props.items() if key in fields}
            found.append(Node(each, node_id, props))
    return sorted(found, key=lambda node: node.id)


def edges(engine: _Runs, types: Iterable[RelType] | None, sources: Iterable[str] | None,
          targets: Iterable[str] | None, fields: Sequence[str] | None) -> list[Edge]:
    """Edges of ``types`` from ``sources`` and to ``targets`` (when given), sorted by (source, type, target)."""
    kinds = list(types) if types is not None else list(RelType)
    if not kinds:
        return []
    pattern = "|".join(quote(kind.value) for kind in kinds)
    statements: list[tuple[str, dict[str, Any]]] = []
    others = None if targets is None or sources is None else sorted(set(targets))
    anchors = sources if sources is not None else targets
    if anchors is None:
        statements.append((f"MATCH (a)-[r:{pattern}]->(b) RETURN a.id, r, b.id", {}))
    else:
        for label, wanted in route(anchors).items():
            arrow = f"(a:{quote(label.value)} {{id: i}})-[r:{pattern}]->(b)" if sources is not None \
                else f"(a)-[r:{pattern}]->(b:{quote(label.value)} {{id: i}})"
            where = " WHERE b.id IN $others" if others is not None else ""
            statements.append((f"UNWIND $ids AS i MATCH {arrow}{where} RETURN a.id, r, b.id",
                               {"ids": wanted, **({"others": others} if others is not None else {})}))
    found = []
    for query, params in statements:
        for source, rel, target in engine.rows(query, params):
            props = properties(rel)
            if fields is not None:
                props = {key: item for key, item in props.items() if key in fields}
            found.append(Edge(RelType(rel["_LABEL"]), source, target, props))
    return sorted(found, key=lambda edge: (edge.source, edge.type.value, edge.target))


def concepts_with_key(engine: _Runs, key: str, label: Label | None) -> list[Node]:
    """Concept nodes whose ``keys`` property holds ``key``."""
    labels = [label] if label is not None else [each for each in Label if each is not Label.PAPER]
    found = []
    for each in labels:
        if each is Label.PAPER:
            continue
        query = f"MATCH (n:{quote(each.value)}) WHERE list_contains(n.`keys`, $key) RETURN n"
        for (value,) in engine.rows(query, {"key": key}):
            props = properties(value)
            found.append(Node(each, props.pop("id"), props))
    return sorted(found, key=lambda node: node.id)


def count(engine: _Runs, label: Label) -> int:
    """The number of nodes with ``label``."""
    return int(engine.rows(f"MATCH (n:{quote(label.value)}) RETURN count(n)")[0][0])


def networkx(store: _Reads, query: str | None = None, params: Mapping[str, object] | None = None) -> nx.DiGraph:
    """The stored graph as a NetworkX ``DiGraph``; with ``query``, only the nodes whose ids the
    query returns (in any column) and the relationships among them."""
    import networkx as nx

    graph = store.read()
    out = nx.DiGraph()
    for node in graph.nodes:
        out.add_node(node.id, label=node.label.value, **node.properties)
    for edge in graph.edges:
        out.add_edge(edge.source, edge.target, type=edge.type.value, **edge.properties)
    if query is None:
        return out
    if not hasattr(store, "cypher"):
        raise TypeError("this store cannot run Cypher")
    wanted = {str(v) for row in store.cypher(query, params) for v in _ids(row)}
    return out.subgraph(wanted).copy()


def _ids(value: Any) -> Iterable[Any]:
    value = plain(value)
    if isinstance(value, dict):
        if "id" in value and not isinstance(value["id"], (dict, list)):
            yield value["id"]
        for item in value.values():
            if isinstance(item, (dict, list)):
                yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)
    elif isinstance(value, str):
        yield value
