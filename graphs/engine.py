"""One open embedded database (LadybugDB): its schema, its statements, and Neo4j-dialect Cypher on it.

An :class:`Engine` is read-only (what reads use) or read-write (a temporary copy
that :class:`~kg.graphs.embedded.EmbeddedStore` renames over the record when the
write is done). Engine errors become :class:`QueryError` (a query it cannot run)
or :class:`StoreError` (a file that is not a kg store).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import QueryError, StoreError
from kg.graphs.dialect import HIDDEN_PREFIX, translate
from kg.graphs.embedded_bulk import Staging
from kg.graphs.embedded_write import apply_write, ensure_columns
from kg.graphs.engine_values import plain
from kg.graphs.schema import (
    EDGE_COLUMNS,
    LOOKUP,
    NODE_COLUMNS,
    RELATIONSHIP_ENDS,
    SCHEMA_VERSION,
    create_statements,
    quote,
)
from kg.model import Graph, Label

__all__ = ["Engine"]

_MARK = f"kg-graph {SCHEMA_VERSION}"
_DEFAULT_MAX_DEPTH = 30
_READ_ONLY = "read-only"
_SPELLING = {"BOOL": "BOOLEAN", "BOOL[]": "BOOLEAN[]"}
"""Types as the engine reports them, spelt as the schema declares them."""


STAGE_FROM = 20_000
"""Rows (nodes and relationships) from which the first write into a new database is bulk-loaded:
below it, statements are faster (the bundled page's 64 papers, 628 rows: 0.75 s against 1.6 s);
above it, ``COPY`` is (a synthetic 100k-paper graph, 527k rows: 26 s against 136 s)."""


class Engine:
    """An open database. Use :meth:`read_only`, :meth:`read_write` or :meth:`empty`."""

    def __init__(self, database: Any, where: str):
        import ladybug

        self._database = database
        self._connection = ladybug.Connection(database)
        self.where = where
        self._columns: dict[str, dict[str, str]] = {}
        self._staging: Staging | None = None

    @classmethod
    def read_only(cls, path: Path) -> Engine:
        """The database at ``path``, for reading."""
        engine = cls(_database(path, read_only=True), str(path))
        engine._check_mark()
        return engine

    @classmethod
    def read_write(cls, path: Path, *, new: bool) -> Engine:
        """The database at ``path`` (a fresh one when ``new``), for writing."""
        engine = cls(_database(path, read_only=False), str(path))
        if new:
            for statement in create_statements({**NODE_COLUMNS, LOOKUP: "STRING[]"}, EDGE_COLUMNS):
                engine.rows(statement)
            engine.rows(f"COMMENT ON TABLE `Paper` IS '{_MARK}'")
            engine._staging = Staging(path)
        else:
            engine._check_mark()
        return engine

    @classmethod
    def empty(cls) -> Engine:
        """An empty graph in memory (what a store not written yet reads as)."""
        import ladybug

        engine = cls(ladybug.Database(":memory:"), "(empty store)")
        for statement in create_statements({**NODE_COLUMNS, LOOKUP: "STRING[]"}, EDGE_COLUMNS):
            engine.rows(statement)
        return engine

    @staticmethod
    def check_file(path: Path) -> None:
        """Raise ``StoreError`` unless ``path`` holds a kg store (a node-link JSON file is named as one)."""
        try:
            with open(path, "rb") as handle:
                head = handle.read(64).lstrip()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the store: {exc.strerror}") from None
        if head.startswith(b"{"):
            raise StoreError(f"{path} is a JSON file, not a kg store; if it is a graph exported by kg (node-link "
                             f"JSON), load it with `kg import {path} --format json --store kg-graph.kg`")
        Engine.read_only(path).close()

    def _check_mark(self) -> None:
        try:
            marks = self.rows("CALL show_tables() WHERE name = 'Paper' RETURN comment")
        except QueryError:
            marks = []
        if marks != [[_MARK]]:
            raise StoreError(f"{self.where} is not a kg store of this version (expected {_MARK!r})")

    # -- statements -------------------------------------------------------------------

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """Run a statement in the engine's own dialect; every row as a list."""
        return self._execute(query, params)[1]

    def _execute(self, query: str, params: Mapping[str, Any] | None) -> tuple[list[str], list[list[Any]]]:
        try:
            result = self._connection.execute(query, dict(params or {}))
            if isinstance(result, list):  # several statements: the last one's rows
                result = result[-1]
            found: list[list[Any]] = []
            while result.has_next():
                found.append(list(result.get_next()))
            return list(result.get_column_names()), found
        except UnicodeDecodeError:
            raise QueryError("the embedded engine returned text that is not UTF-8 for this query; rewrite the "
                             "string expression (or use a Neo4j store)") from None
        except RuntimeError as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "error"
            if _READ_ONLY in message.lower() and "write" in message.lower():
                raise QueryError("this query writes to the graph; pass --write to run it") from None
            raise QueryError(f"the embedded engine cannot run this query: {message}") from None

    def columns(self, kind: str) -> dict[str, str]:
        """The property columns of every ``node`` or ``edge`` table, name to type (``id`` left out)."""
        if kind not in self._columns:
            table = Label.PAPER.value if kind == "node" else next(iter(RELATIONSHIP_ENDS)).value
            rows = self.rows(f"CALL table_info({_literal(table)}) RETURN name, type")
            self._columns[kind] = {name: _SPELLING.get(kind_, kind_) for name, kind_ in rows if name != "id"}
        return self._columns[kind]

    def add_column(self, kind: str, name: str, column: str) -> None:
        """Add the property column ``name`` to every node (or relationship) table."""
        tables = [label.value for label in Label] if kind == "node" else [t.value for t in RELATIONSHIP_ENDS]
        for table in tables:
            self.rows(f"ALTER TABLE {quote(table)} ADD {quote(name)} {column}")
        self.columns(kind)[name] = column

    def cypher(self, query: str, params: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """Run a query in Neo4j's dialect; rows as plain data, as the Neo4j store gives them."""
        self._load_staged()
        depth = max(_DEFAULT_MAX_DEPTH, self.relationship_count())
        translated = translate(query, params, max_depth=depth)
        if depth > _DEFAULT_MAX_DEPTH:
            self.rows(f"CALL var_length_extend_max_depth={int(depth)}")
        names, rows = self._execute(translated.query, translated.params)
        keep = [i for i, name in enumerate(names) if not name.startswith(HIDDEN_PREFIX)]
        return [{names[i]: plain(row[i]) for i in keep} for row in rows]

    def relationship_count(self) -> int:
        """How many relationships the graph holds (no trail is longer)."""
        return int(self.rows("MATCH ()-[r]->() RETURN count(r)")[0][0])

    def write(self, graph: Graph, remove: Iterable[str] = ()) -> None:
        """One write of the store interface (see :mod:`kg.graphs.embedded_write`); while a new
        database has had nothing but such writes, and from the first one of at least
        :data:`STAGE_FROM` rows, they are staged for a bulk load (:mod:`kg.graphs.embedded_bulk`)."""
        removed = list(remove)
        large = self._staging is not None and (self._staging.writes > 0
                                               or len(graph.nodes) + len(graph.edges) >= STAGE_FROM)
        if large and not removed and self._staging is not None:
            ensure_columns(self, "node", [n.properties for n in graph.nodes])
            ensure_columns(self, "edge", [e.properties for e in graph.edges])
            self._staging.add(graph, {"node": self.columns("node"), "edge": self.columns("edge")})
            return
        self._load_staged()
        apply_write(self, graph, removed)

    def _load_staged(self) -> None:
        if self._staging is not None:
            staging, self._staging = self._staging, None
            staging.load(self)

    def clear(self) -> None:
        """Delete every node and relationship."""
        self._load_staged()
        for label in Label:
            self.rows(f"MATCH (n:{quote(label.value)}) DETACH DELETE n")

    def close(self, *, quiet: bool = False) -> None:
        """Checkpoint (for a writer) and release the database; ``quiet`` after a failure, when
        there is nothing left to save."""
        try:
            if quiet and self._staging is not None:
                self._staging.discard()
            else:
                self._load_staged()
            self._connection.close()
            self._database.close()
        except RuntimeError as exc:
            if not quiet:
                raise QueryError(f"the embedded engine cannot run this query: {exc}") from None


def _database(path: Path, *, read_only: bool) -> Any:
    import ladybug

    try:
        return ladybug.Database(str(path), read_only=read_only)
    except RuntimeError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        if "not a valid" in message:
            raise StoreError(f"{path}: not a kg store (not a kg database file)") from None
        raise StoreError(f"{path} is not a readable kg store ({message})") from None


def _literal(name: str) -> str:
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"
