"""The Neo4j store: the same graph model in a real Neo4j server, over Bolt.

Nodes are ``(:Label {id, ...properties})``, relationships ``[:TYPE {...}]``,
exactly the model of :mod:`kg.model`. The first write creates one uniqueness
constraint on ``id`` per label (``IF NOT EXISTS``). Writes are batched
``UNWIND $rows ... MERGE`` queries, nodes before relationships, every value a
parameter (see :mod:`kg.graphs.neo4jcypher`).

Atomicity: a graph of up to :data:`SINGLE_TRANSACTION_ROWS` rows is written in
one transaction, so it is stored whole or not at all. A larger graph is written
in batches of :data:`BATCH_ROWS` rows, each its own transaction retried by the
driver on transient errors; if a batch still fails, :class:`StoreError` says how
many batches were written. Writes are idempotent, and a written paper's
properties (with its content hash) are set only after its relationships (a
stub, which has no content hash, is written whole in one batch), so
re-running the same build completes it. ``tests/test_faults.py`` kills builds
in both modes to check this.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import GraphDatabase

from kg.errors import QueryError, SchemaError, StoreError
from kg.graphs import neo4jcypher as cypher
from kg.graphs import neo4jplan as plan
from kg.graphs.neo4jguard import check_uri, driver_errors, plain, redact_uri, refused_clause
from kg.graphs.schema import route
from kg.model import Edge, Graph, Label, Node, RelType

__all__ = ["PARALLEL_WRITERS", "SINGLE_TRANSACTION_ROWS", "Neo4jSettings", "Neo4jStore", "plain"]

SINGLE_TRANSACTION_ROWS = 20_000
PARALLEL_WRITERS = 2
"""Transactions creating the relationships of new papers run this many at a time
(measured on 2 cores: 1.4x the relationships per second of one writer)."""



@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect; ``from_env`` reads the conventional ``NEO4J_*`` variables."""

    uri: str
    user: str = "neo4j"
    password: str = ""
    database: str | None = None

    @classmethod
    def from_env(
        cls, uri: str | None = None, user: str | None = None, database: str | None = None
    ) -> Neo4jSettings:
        """Settings from arguments, else ``NEO4J_URI``, ``NEO4J_USERNAME`` (or ``NEO4J_USER``),
        ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``."""
        return cls(
            uri=uri or os.environ.get("NEO4J_URI") or "bolt://localhost:7687",
            user=user or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or "neo4j",
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=database or os.environ.get("NEO4J_DATABASE") or None,
        )


class Neo4jStore:
    """A graph in a Neo4j database. Use :meth:`open`; the constructor does no I/O."""

    def __init__(self, settings: Neo4jSettings):
        self.settings = settings
        self.location = redact_uri(settings.uri) + (f" (database {settings.database})" if settings.database else "")
        self._driver: neo4j.Driver | None = None
        self._schema_ready = False

    @classmethod
    def open(cls, uri: str, user: str = "neo4j", password: str = "", database: str | None = None) -> Neo4jStore:
        """Connect and check the server answers, the credentials hold and the database exists.

        Raises ``StoreError`` naming the URI (never the password) when it does not.
        """
        return cls.connect(Neo4jSettings(uri, user, password, database))

    @classmethod
    def connect(cls, settings: Neo4jSettings) -> Neo4jStore:
        """Like :meth:`open`, from :class:`Neo4jSettings`."""
        check_uri(settings.uri)
        store = cls(settings)
        with store._errors():
            store._get_driver().verify_connectivity()
        store._run_read("CALL db.ping()", {})  # answers on every database, the system database too
        return store

    # -- connection and errors -----------------------------------------------------

    def _get_driver(self) -> neo4j.Driver:
        if self._driver is None:
            try:
                self._driver = GraphDatabase.driver(
                    self.settings.uri,
                    auth=(self.settings.user, self.settings.password),
                    connection_timeout=10,
                    notifications_min_severity="OFF",
                )
            except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
                raise StoreError(f"bad Neo4j URI {self.location!r}: {redact_uri(str(exc))}") from None
        return self._driver

    def _errors(self) -> AbstractContextManager[None]:
        return driver_errors(self.location, self.settings.user, self.settings.database)

    def _session(self, access: str) -> neo4j.Session:
        return self._get_driver().session(database=self.settings.database, default_access_mode=access)

    def _run_read(self, query: str, params: Mapping[str, Any]) -> list[neo4j.Record]:
        with self._errors(), self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(lambda tx: list(tx.run(query, dict(params))))

    def _run_write(self, work: Sequence[plan.Work]) -> None:
        def unit(tx: neo4j.ManagedTransaction) -> None:
            for query, params in work:
                tx.run(query, params).consume()

        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            session.execute_write(unit)

    def _ensure_schema(self) -> None:
        if not self._schema_ready:
            with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
                for statement in cypher.CONSTRAINTS:
                    session.run(statement).consume()
            self._schema_ready = True

    # -- writing ----------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise ``StoreError`` now if the database refuses writes (the idempotent schema setup is one)."""
        self._ensure_schema()

    def write(self, graph: Graph, *, remove: Iterable[str] = ()) -> None:
        """Remove the nodes ``remove``, then upsert ``graph`` (see the module docstring for atomicity)."""
        self._ensure_schema()
        removed = plan.removals(remove)
        labels, existing = self._endpoint_labels(graph, set(remove))
        planned = removed + list(plan.plan(graph, labels, existing))
        rows = sum(plan.size(params) for _, (_, params) in planned)
        if rows <= SINGLE_TRANSACTION_ROWS:
            self._run_write([work for _, work in planned])
            return
        done = 0
        for phase, group in itertools.groupby(planned, key=lambda item: item[0]):
            works = [work for _, work in group]
            done += self._run_batches(works, PARALLEL_WRITERS if phase == "create" else 1, done, len(planned))

    def _run_batches(self, works: list[plan.Work], writers: int, done_before: int, total: int) -> int:
        """Run each batch in its own transaction, ``writers`` at a time; return how many ran."""
        done = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=writers) as pool:
            futures = [pool.submit(self._run_write, [work]) for work in works]
            for future in concurrent.futures.as_completed(futures):
                try:
                    future.result()
                    done += 1
                except StoreError as exc:
                    for pending in futures:
                        pending.cancel()
                    raise StoreError(
                        f"{exc}; wrote {done_before + done} of {total} batches. Writes are idempotent: "
                        "re-run the same command to finish"
                    ) from None
        return done

    def _endpoint_labels(self, graph: Graph, removed: set[str]) -> tuple[dict[str, Label], set[str]]:
        """The label of every node the write touches, and which of the written nodes exist already
        (not counting those about to be removed)."""
        labels: dict[str, Label] = {}
        for node in graph.nodes:
            if labels.setdefault(node.id, node.label) is not node.label:
                raise SchemaError(f"node id {node.id!r} is both {labels[node.id].value} and {node.label.value}")
        stored = {k: v for k, v in self._labels_of(labels).items() if k not in removed}
        for node_id, label in stored.items():
            if labels[node_id] is not label:
                raise SchemaError(f"node id {node_id!r} is both {label.value} and {labels[node_id].value}")
        missing = {end for edge in graph.edges for end in (edge.source, edge.target)} - set(labels)
        labels.update({k: v for k, v in self._labels_of(missing).items() if k not in removed})
        for edge in graph.edges:
            for end in (edge.source, edge.target):
                if end not in labels:
                    raise SchemaError(f"edge {edge.key}: node {end!r} does not exist")
        return labels, set(stored)

    def _labels_of(self, ids: Iterable[str]) -> dict[str, Label]:
        found: dict[str, Label] = {}
        for label, wanted in route(ids).items():
            query = cypher.match_nodes(label, by_id=True, fields=True)
            for record in self._run_read(query, {"ids": wanted, "fields": []}):
                found[record["id"]] = label
        return found

    # -- reading ----------------------------------------------------------------------

    def read(self) -> Graph:
        return Graph.of(self.nodes(), self.edges())

    def nodes(
        self,
        label: Label | None = None,
        *,
        ids: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Node]:
        routes: dict[Label, list[str]] = (
            route(ids) if ids is not None else {each: [] for each in Label}
        )
        found = []
        for each, wanted in routes.items():
            if label is not None and each is not label:
                continue
            query = cypher.match_nodes(each, by_id=ids is not None, fields=fields is not None)
            for record in self._run_read(query, {"ids": wanted, "fields": list(fields or [])}):
                found.append(Node(each, record["id"], _props(record["props"], drop="id")))
        return sorted(found, key=lambda node: node.id)

    def edges(
        self,
        types: Iterable[RelType] | None = None,
        *,
        sources: Iterable[str] | None = None,
        targets: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Edge]:
        kinds = list(types) if types is not None else list(RelType)
        if not kinds:
            return []
        fielded = fields is not None
        work: list[tuple[str, dict[str, Any]]] = []
        if sources is None and targets is None:
            query = cypher.match_edges(kinds, anchor=None, outgoing=True, both=False, fields=fielded)
            work.append((query, {"fields": list(fields or [])}))
        else:
            outgoing = sources is not None
            both = sources is not None and targets is not None
            others = sorted(set(targets)) if both and targets is not None else []
            anchors = sources if sources is not None else targets or []
            for label, wanted in route(anchors).items():
                query = cypher.match_edges(kinds, anchor=label, outgoing=outgoing, both=both, fields=fielded)
                work.append((query, {"ids": wanted, "others": others, "fields": list(fields or [])}))
        found = [
            Edge(RelType(record["type"]), record["source"], record["target"], _props(record["props"]))
            for query, params in work
            for record in self._run_read(query, params)
        ]
        return sorted(found, key=lambda edge: (edge.source, edge.type.value, edge.target))

    def concepts_with_key(self, key: str, label: Label | None = None) -> list[Node]:
        labels = [label] if label else [each for each in Label if each is not Label.PAPER]
        found = [
            Node(each, record["id"], _props(record["props"], drop="id"))
            for each in labels
            if each is not Label.PAPER
            for record in self._run_read(cypher.find_by_key(each), {"key": key})
        ]
        return sorted(found, key=lambda node: node.id)

    def count(self, label: Label) -> int:
        return int(self._run_read(cypher.count_nodes(label), {})[0]["count"])

    # -- other ------------------------------------------------------------------------

    def cypher(self, query: str, params: Mapping[str, object] | None = None, *, write: bool = False) -> list[dict[str, object]]:
        """Run a user's Cypher in a read transaction (or a write one with ``write``); rows as plain data.

        Without ``write``, ``LOAD CSV``, procedure calls, admin commands and ``USE`` are refused
        before the query is sent (see :mod:`kg.graphs.neo4jguard`); the server refuses writes.

        Raises ``QueryError`` with the server's message for a bad query, or when a
        read transaction is asked to write.
        """
        refused = None if write else refused_clause(query)
        if refused:
            raise QueryError(f"{refused} runs only with --write; without it kg runs queries read-only")
        access = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        with self._errors(), self._session(access) as session:
            run: Callable[[neo4j.ManagedTransaction], list[neo4j.Record]] = lambda tx: list(
                tx.run(query, dict(params or {}))
            )
            records = session.execute_write(run) if write else session.execute_read(run)
        return [{key: plain(record[key]) for key in record.keys()} for record in records]

    def clear(self) -> None:
        """Delete every node and relationship in the database (in batches, so any size works)."""
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            for statement in cypher.DELETE_ALL:
                session.run(statement).consume()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None


def _props(raw: Any, drop: str | None = None) -> dict[str, Any]:
    pairs = raw.items() if isinstance(raw, dict) else raw
    return {key: value for key, value in pairs if key != drop and not key.startswith("_")}
