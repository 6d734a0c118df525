"""The embedded default store: a NetworkX graph kept in one JSON file.

The file is NetworkX node-link JSON (``networkx.node_link_graph(data["graph"],
edges="edges")`` reads it) inside a small header::

    {"format": "kg-graph", "version": 1, "graph": {"directed": true, "nodes": [...], "edges": [...]}}

Nodes carry their label in ``label`` and edges their type in ``type``, next to
their properties. Nodes and edges are written sorted, so the same graph always
gives the same bytes, and a write that changes nothing leaves the file alone.

Writes are atomic and serialised: the new file is written beside the old one,
flushed to disk and renamed over it, under an exclusive lock
(``PATH.lock``); if another process changed the file since it was loaded, the
write is applied on top of the newer contents, so concurrent builds lose
nothing. A write waits up to 60 seconds for the lock (``KG_LOCK_TIMEOUT``
seconds if that variable is set), then fails with :class:`StoreError`. A
temporary file left by a writer that was killed mid-write is removed by the
next open or write, while no writer holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import QueryError, SchemaError, StoreError
from kg.files import atomic_write, remove_stale_temp_files
from kg.graphs.storefile import FORMAT, parse_store
from kg.model import PAPER_OWNED_TYPES, Edge, Graph, Label, Node, RelType

__all__ = ["FORMAT", "NetworkXStore"]

_RESERVED_NODE = frozenset({"id", "label"})
_RESERVED_EDGE = frozenset({"source", "target", "type", "key"})
_LOCK_TIMEOUT = 60.0
"""Seconds a write waits for another process's lock; the environment variable ``KG_LOCK_TIMEOUT`` overrides it."""


class NetworkXStore:
    """A graph in a JSON file. Use :meth:`open`; the constructor does no I/O."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.location = str(self.path)
        self._graph: nx.DiGraph | None = None
        self._signature: tuple[int, int, int] | None = None

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> NetworkXStore:
        """Open the store at ``path``; unless ``create``, it must exist.

        Raises ``StoreError`` for a missing (when not ``create``) or unreadable store.
        """
        store = cls(path)
        remove_stale_temp_files(store.path)
        if not create and not store.path.exists():
            raise StoreError(f"no store at {store.path}; build one with `kg build INPUT --store {store.path}`")
        store._ensure_loaded()
        return store

    # -- file I/O ---------------------------------------------------------------------

    def _stat_signature(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def _ensure_loaded(self) -> nx.DiGraph:
        if self._graph is None:
            self._graph, self._signature = self._load_file()
        return self._graph

    def _load_file(self) -> tuple[nx.DiGraph, tuple[int, int, int] | None]:
        signature = self._stat_signature()
        if signature is None:
            return nx.DiGraph(), None
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the store: {exc.strerror}") from None
        return parse_store(data, self.path), signature

    @contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            handle = open(lock_path, "a+b")
        except OSError as exc:
            raise StoreError(f"cannot write store {self.path}: {exc.strerror}") from None
        with handle:
            timeout = _lock_timeout()
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"store {self.path} is locked by another kg process (waited {timeout:g} s, "
                            f"see KG_LOCK_TIMEOUT); try again later"
                        ) from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _save(self, graph: nx.DiGraph) -> None:
        self._remove_stale_temp_files()
        payload = _serialise(graph)
        if self.path.exists() and self.path.read_bytes() == payload:
            return
        atomic_write(self.path, payload)

    def _remove_stale_temp_files(self) -> None:
        """Delete temporary files of writers killed mid-write (only called under the lock, so none is live)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only directory: the write that follows reports it

    # -- GraphStore -------------------------------------------------------------------

    def write(self, graph: Graph, *, remove: Iterable[str] = ()) -> None:
        """Remove the nodes ``remove`` (with their edges), upsert ``graph``, and save the file atomically."""
        with self._lock():
            if self._graph is None or self._stat_signature() != self._signature:
                self._graph, self._signature = self._load_file()
            updated = self._graph.copy()
            updated.remove_nodes_from(list(remove))
            _apply(updated, graph)
            self._save(updated)
            self._graph, self._signature = updated, self._stat_signature()

    def read(self) -> Graph:
        graph = self._ensure_loaded()
        return Graph.of(
            (_node(node_id, attrs, None) for node_id, attrs in sorted(graph.nodes(data=True))),
            self.edges(),
        )

    def nodes(
        self,
        label: Label | None = None,
        *,
        ids: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Node]:
        graph = self._ensure_loaded()
        if ids is None:
            chosen: Iterable[Any] = graph.nodes
        else:
            chosen = (node_id for node_id in set(ids) if node_id in graph)
        found = []
        for node_id in chosen:
            attrs = graph.nodes[node_id]
            if label is None or attrs["label"] == label.value:
                found.append(_node(node_id, attrs, fields))
        return sorted(found, key=lambda node: node.id)

    def edges(
        self,
        types: Iterable[RelType] | None = None,
        *,
        sources: Iterable[str] | None = None,
        targets: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Edge]:
        graph = self._ensure_loaded()
        wanted = None if types is None else {t.value for t in types}
        pairs: Iterable[tuple[Any, Any, dict[str, Any]]]
        if sources is not None:
            pairs = (e for s in set(sources) if s in graph for e in graph.out_edges(s, data=True))
        elif targets is not None:
            pairs = (e for t in set(targets) if t in graph for e in graph.in_edges(t, data=True))
        else:
            pairs = graph.edges(data=True)
        target_set = None if targets is None or sources is None else set(targets)
        found = [
            _edge(s, t, attrs, fields)
            for s, t, attrs in pairs
            if (wanted is None or attrs["type"] in wanted) and (target_set is None or t in target_set)
        ]
        return sorted(found, key=lambda edge: (edge.source, edge.type.value, edge.target))

    def concepts_with_key(self, key: str, label: Label | None = None) -> list[Node]:
        graph = self._ensure_loaded()
        return sorted(
            (
                _node(node_id, attrs, None)
                for node_id, attrs in graph.nodes(data=True)
                if attrs["label"] != Label.PAPER.value
                and (label is None or attrs["label"] == label.value)
                and key in (attrs.get("keys") or ())
            ),
            key=lambda node: node.id,
        )

    def count(self, label: Label) -> int:
        graph = self._ensure_loaded()
        return sum(1 for _, value in graph.nodes(data="label") if value == label.value)

    def cypher(
        self, query: str, params: Mapping[str, object] | None = None, *, write: bool = False
    ) -> list[dict[str, object]]:
        """Run a read-only Cypher subset through grand-cypher (see :mod:`kg.graphs.nxcypher`)."""
        if write:
            raise QueryError("the NetworkX store does not run writing Cypher; use kg build, or a Neo4j store")
        from kg.graphs.nxcypher import run_cypher

        return run_cypher(self._ensure_loaded(), query, params)

    def __enter__(self) -> NetworkXStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._graph = None
        self._signature = None

    def networkx(self) -> nx.DiGraph:
        """The loaded graph itself (read-only use: rendering, Cypher)."""
        return self._ensure_loaded()


def _lock_timeout() -> float:
    raw = os.environ.get("KG_LOCK_TIMEOUT", "").strip()
    if not raw:
        return _LOCK_TIMEOUT
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise StoreError(f"KG_LOCK_TIMEOUT must be a number of seconds, not {raw!r}") from None


def _node(node_id: str, attrs: dict[str, Any], fields: Sequence[str] | None) -> Node:
    props = {k: v for k, v in attrs.items() if k != "label" and (fields is None or k in fields)}
    return Node(Label(attrs["label"]), node_id, props)


def _edge(source: str, target: str, attrs: dict[str, Any], fields: Sequence[str] | None) -> Edge:
    props = {k: v for k, v in attrs.items() if k != "type" and (fields is None or k in fields)}
    return Edge(RelType(attrs["type"]), source, target, props)


def _check(graph: nx.DiGraph, update: Graph) -> None:
    labels = {node.id: node.label for node in update.nodes}
    for node in update.nodes:
        reserved = _RESERVED_NODE.intersection(node.properties)
        if reserved:
            raise SchemaError(f"node {node.id!r}: reserved property name(s) {sorted(reserved)}")
        stored = graph.nodes[node.id]["label"] if node.id in graph else node.label.value
        if stored != node.label.value or labels[node.id] is not node.label:
            raise SchemaError(f"node id {node.id!r} is both {stored} and {node.label.value}")
    for edge in update.edges:
        reserved = _RESERVED_EDGE.intersection(edge.properties)
        if reserved:
            raise SchemaError(f"edge {edge.key}: reserved property name(s) {sorted(reserved)}")
        for end in (edge.source, edge.target):
            if end not in labels and end not in graph:
                raise SchemaError(f"edge {edge.key}: node {end!r} does not exist")


def _apply(graph: nx.DiGraph, update: Graph) -> None:
    _check(graph, update)
    paper_types = {t.value for t in PAPER_OWNED_TYPES}
    for node in update.nodes:
        if node.label is Label.PAPER and node.id in graph:
            stale = [(s, t) for s, t, kind in graph.out_edges(node.id, data="type") if kind in paper_types]
            graph.remove_edges_from(stale)
        if node.id in graph:
            graph.nodes[node.id].clear()
        graph.add_node(node.id, label=node.label.value, **node.properties)
    for edge in update.edges:
        if graph.has_edge(edge.source, edge.target):
            graph.edges[edge.source, edge.target].clear()
        graph.add_edge(edge.source, edge.target, type=edge.type.value, **edge.properties)


def _serialise(graph: nx.DiGraph) -> bytes:
    nodes = [{"id": node_id, **attrs} for node_id, attrs in sorted(graph.nodes(data=True))]
    edges = [
        {"source": s, "target": t, **attrs}
        for s, t, attrs in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
    ]
    data = {**FORMAT, "graph": {"directed": True, "multigraph": False, "graph": {}, "nodes": nodes, "edges": edges}}
    return (json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n").encode("utf-8")
