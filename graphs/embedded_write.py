"""Writing the graph model into an open embedded database (one write of :class:`~kg.graphs.store.GraphStore`).

The semantics are the store interface's: remove the nodes asked, upsert nodes by
id (the properties given replace the stored ones), write a ``Paper`` again with
its own edges only, keep at most one relationship per pair of nodes. The
statements are constants built from checked labels and types; every value
travels as a parameter. New nodes and edges are created with ``UNWIND $rows``
(fast in this engine when the two ends are matched one after the other), stored
ones updated in place.

The store adds one column of its own, ``_lookup``: a paper's normalised title, a
concept's normalised name, aliases and keys, so that names are found however
they are spelt (:mod:`kg.queries.lookup`). Columns starting with ``_`` are never
read back as properties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from kg.errors import SchemaError
from kg.graphs.schema import LOOKUP, RELATIONSHIP_ENDS, column_type, lookup_keys, quote, route
from kg.model import PAPER_OWNED_TYPES, Edge, Graph, Label, Node, PropValue, RelType

__all__ = ["Connection", "apply_write", "ensure_columns"]

BATCH = 20_000


class Connection(Protocol):
    """What the writer needs of an engine connection: run a statement and get its rows."""

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]: ...

    def columns(self, kind: str) -> dict[str, str]: ...

    def add_column(self, kind: str, name: str, column: str) -> None: ...


def apply_write(conn: Connection, graph: Graph, remove: Iterable[str]) -> None:
    """Remove the nodes ``remove``, then upsert ``graph`` (see the module docstring)."""
    removed = set(remove)
    for label, ids in route(removed).items():
        _run_chunks(conn, f"UNWIND $rows AS i MATCH (n:{quote(label.value)} {{id: i}}) DETACH DELETE n", ids)
    nodes = {node.id: node for node in graph.nodes}
    _check_nodes(graph.nodes)
    ensure_columns(conn, "node", [n.properties for n in nodes.values()])
    ensure_columns(conn, "edge", [e.properties for e in graph.edges])
    labels = _labels(conn, set(nodes))
    for node_id, label in labels.items():
        if nodes[node_id].label is not label:
            raise SchemaError(f"node id {node_id!r} is both {label.value} and {nodes[node_id].label.value}")
    ends = {node_id: node.label for node_id, node in nodes.items()}
    missing = {end for edge in graph.edges for end in (edge.source, edge.target)} - set(ends)
    ends.update(_labels(conn, missing))
    for edge in graph.edges:
        for end in (edge.source, edge.target):
            if end not in ends:
                raise SchemaError(f"edge {edge.key}: node {end!r} does not exist")
    columns = conn.columns("node")
    stored = set(labels)
    for label, group in _by_label(nodes.values()).items():
        _write_nodes(conn, label, group, stored, columns)
    rewritten = sorted(n.id for n in nodes.values() if n.label is Label.PAPER and n.id in stored)
    for kind in PAPER_OWNED_TYPES:
        _run_chunks(conn, f"UNWIND $rows AS i MATCH (p:`Paper` {{id: i}})-[r:{quote(kind.value)}]->() DELETE r",
                    rewritten)
    cleared = {n.id for n in nodes.values() if n.label is Label.PAPER}
    _write_edges(conn, graph.edges, ends, cleared, conn.columns("edge"))


def _check_nodes(nodes: Iterable[Node]) -> None:
    seen: dict[str, Label] = {}
    for node in nodes:
        if seen.setdefault(node.id, node.label) is not node.label:
            raise SchemaError(f"node id {node.id!r} is both {seen[node.id].value} and {node.label.value}")
        reserved = [key for key in node.properties if key == "id" or key.startswith("_")]
        if reserved:
            raise SchemaError(f"node {node.id!r}: reserved property name(s) {sorted(reserved)}")


def ensure_columns(conn: Connection, kind: str, bags: Iterable[Mapping[str, PropValue]]) -> None:
    """Add a column for each property no column holds yet; refuse a value of another type than its column's."""
    columns = conn.columns(kind)
    known: dict[str, str] = dict(columns)
    wanted: dict[str, str] = {}
    for props in bags:
        for key, value in props.items():
            found = _FAST.get(type(value)) or _type_of(value)
            if found is not None and known.get(key) == found:
                continue  # the common case: a value of its column's type
            if kind == "edge" and (key in ("type", "source", "target") or key.startswith("_")):
                raise SchemaError(f"edge property name {key!r} is reserved")
            if found is None:
                continue
            have = known.get(key)
            if have is None:
                wanted[key] = known[key] = found
            elif have != found and not _widens(have, found):
                raise SchemaError(f"property {key!r} holds {have} values in this store, not {found} ({value!r:.40})")
    for key, found in wanted.items():
        conn.add_column(kind, key, found)


_FAST: dict[type, str] = {str: "STRING", int: "INT64", float: "DOUBLE", bool: "BOOLEAN"}
"""Engine types of scalar values, looked up by exact type."""


def _type_of(value: PropValue) -> str | None:
    if type(value) is list and value and all(type(item) is str for item in value):
        return "STRING[]"
    return column_type(value)


def _widens(column: str, value: str) -> bool:
    """An INT64 value fits a DOUBLE column (and a list of them a list column)."""
    return (column, value) in (("DOUBLE", "INT64"), ("DOUBLE[]", "INT64[]"))


def _labels(conn: Connection, ids: set[str]) -> dict[str, Label]:
    found: dict[str, Label] = {}
    for label, wanted in route(ids).items():
        for start in range(0, len(wanted), BATCH):
            query = f"UNWIND $rows AS i MATCH (n:{quote(label.value)} {{id: i}}) RETURN n.id"
            for (node_id,) in conn.rows(query, {"rows": wanted[start:start + BATCH]}):
                found[node_id] = label
    return found


def _by_label(nodes: Iterable[Node]) -> dict[Label, list[Node]]:
    grouped: dict[Label, list[Node]] = defaultdict(list)
    for node in nodes:
        grouped[node.label].append(node)
    return grouped


def _row(props: Mapping[str, PropValue], columns: Mapping[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, kind in columns.items():
        value = props.get(name)
        if kind.startswith("DOUBLE") and value is not None:
            value = [float(v) for v in value] if isinstance(value, list) else float(value)
        row[f"c{len(row)}"] = value
    return row


def _write_nodes(conn: Connection, label: Label, nodes: list[Node], stored: set[str],
                 columns: Mapping[str, str]) -> None:
    names = [name for name in columns if name != LOOKUP]
    typed = {**{name: columns[name] for name in names}, LOOKUP: "STRING[]"}
    assigned = ", ".join(f"n.{quote(name)} = {_cast(i, kind)}" for i, (name, kind) in enumerate(typed.items()))
    fields = ", ".join(f"{quote(name)}: {_cast(i, kind)}" for i, (name, kind) in enumerate(typed.items()))
    new: list[dict[str, Any]] = []
    old: list[dict[str, Any]] = []
    for node in nodes:
        row = {"id": node.id, **_row(node.properties, {name: columns[name] for name in names})}
        row[f"c{len(names)}"] = lookup_keys(node)
        (old if node.id in stored else new).append(row)
    table = quote(label.value)
    _run_chunks(conn, f"UNWIND $rows AS r CREATE (n:{table} {{id: r.id, {fields}}})", new)
    _run_chunks(conn, f"UNWIND $rows AS r MATCH (n:{table} {{id: r.id}}) SET {assigned}", old)


def _write_edges(conn: Connection, edges: Iterable[Edge], ends: Mapping[str, Label], cleared: set[str],
                 columns: Mapping[str, str]) -> None:
    unique = {(edge.source, edge.target): edge for edge in edges}
    stale: dict[tuple[Label, Label], list[dict[str, str]]] = defaultdict(list)
    create: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for (source, target), edge in unique.items():
        pair = (ends[source], ends[target])
        if pair not in RELATIONSHIP_ENDS[edge.type]:
            raise SchemaError(f"edge {edge.key}: a {edge.type.value} relationship cannot join "
                              f"{pair[0].value} to {pair[1].value}")
        if not (source in cleared and edge.type in PAPER_OWNED_TYPES):
            stale[pair].append({"s": source, "t": target})
        create[(edge.type, *pair)].append({"s": source, "t": target, **_row(edge.properties, columns)})
    for (a, b), rows in stale.items():
        _run_chunks(conn, f"UNWIND $rows AS r MATCH (a:{quote(a.value)} {{id: r.s}})-[x]->(b:{quote(b.value)} "
                          f"{{id: r.t}}) DELETE x", rows)
    fields = ", ".join(f"{quote(name)}: {_cast(i, kind)}" for i, (name, kind) in enumerate(columns.items()))
    for (kind, a, b), rows in create.items():
        _run_chunks(conn, f"UNWIND $rows AS r MATCH (a:{quote(a.value)} {{id: r.s}}) WITH a, r "
                          f"MATCH (b:{quote(b.value)} {{id: r.t}}) CREATE (a)-[x:{quote(kind.value)} {{{fields}}}]->(b)",
                    rows)


def _cast(index: int, kind: str) -> str:
    """Row field ``c<index>`` as a column type: a field that is null in every row of a batch has no
    type the engine could tell."""
    return f"CAST(r.c{index} AS {kind})"


def _run_chunks(conn: Connection, query: str, rows: list[Any]) -> None:
    for chunk in _chunks(rows):
        conn.rows(query, {"rows": chunk})


def _chunks(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]
