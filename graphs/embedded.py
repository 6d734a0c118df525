"""The embedded default store: the graph in one database file of an embedded Cypher engine (LadybugDB).

The file (``kg-graph.kg`` by default) is the record: a single file people can
copy, opened without a server. Reads open it read-only and hand Cypher to the
engine; :meth:`EmbeddedStore.networkx` gives the graph (or the part a query
returns) as a NetworkX ``DiGraph`` for Python, and ``kg export --format json``
writes NetworkX node-link JSON.

Writes are atomic and serialised. A write takes an exclusive lock
(``PATH.lock``), copies the database to a temporary file beside it, applies the
write there (one write, or many in :meth:`EmbeddedStore.batch`), checkpoints,
flushes it to disk and renames it over the database. A reader that opened the
old file keeps reading it whole; the next one opens the new file. A writer
killed midway leaves the old file untouched and a temporary file, which the
next write removes. A write waits up to 60 seconds for the lock
(``KG_LOCK_TIMEOUT`` seconds if that variable is set), then fails with
:class:`StoreError`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError, QueryError, SchemaError, StoreError
from kg.files import fsync_directory, remove_stale_temp_files
from kg.graphs import embedded_reads as reads
from kg.graphs.engine import Engine
from kg.model import Edge, Graph, Label, Node, RelType

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DEFAULT_PATH", "EmbeddedStore"]

DEFAULT_PATH = "kg-graph.kg"
_LOCK_TIMEOUT = 60.0


class EmbeddedStore:
    """A graph in an embedded database file. Use :meth:`open`; the constructor does no I/O."""

    def __init__(self, path: str | Path, *, isolated: bool = False):
        self.path = Path(path)
        self.location = str(self.path)
        self.isolated = isolated
        self._engine: Engine | None = None

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, isolated: bool = False) -> EmbeddedStore:
        """Open the store at ``path``; unless ``create``, it must exist.

        With ``isolated``, :meth:`cypher` runs each query in a child process, so that
        a query the engine crashes on (it has such bugs) fails with a message and
        leaves this process, and the store, as they were.

        Raises ``StoreError`` for a missing (when not ``create``) or unreadable store.
        """
        store = cls(path, isolated=isolated)
        if store.path.is_dir():
            raise StoreError(f"{store.path} is a directory, not a kg store")
        remove_stale_temp_files(store.path)
        if not store.path.exists():
            if not create:
                raise StoreError(f"no store at {store.path}; build one with `kg build INPUT --store {store.path}`")
            return store
        Engine.check_file(store.path)
        return store

    # -- reading ----------------------------------------------------------------------

    def _reader(self) -> Engine:
        if self._engine is None:
            self._engine = Engine.read_only(self.path) if self.path.exists() else Engine.empty()
        return self._engine

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """Run one of the store's own statements (already in the engine's dialect)."""
        return self._reader().rows(query, params)

    def read(self) -> Graph:
        return Graph.of(self.nodes(), self.edges())

    def nodes(self, label: Label | None = None, *, ids: Iterable[str] | None = None,
              fields: Sequence[str] | None = None) -> list[Node]:
        return reads.nodes(self._reader(), label, ids, fields)

    def edges(self, types: Iterable[RelType] | None = None, *, sources: Iterable[str] | None = None,
              targets: Iterable[str] | None = None, fields: Sequence[str] | None = None) -> list[Edge]:
        return reads.edges(self._reader(), types, sources, targets, fields)

    def concepts_with_key(self, key: str, label: Label | None = None) -> list[Node]:
        return reads.concepts_with_key(self._reader(), key, label)

    def count(self, label: Label) -> int:
        return reads.count(self._reader(), label)

    def cypher(self, query: str, params: Mapping[str, object] | None = None, *,
               write: bool = False) -> list[dict[str, object]]:
        """Run Neo4j-dialect Cypher (see :mod:`kg.graphs.dialect`); rows as plain data.

        Raises ``QueryError`` for a query the engine cannot run exactly as Neo4j
        would, naming the construct, and for a writing query without ``write``.
        """
        if self.isolated and hasattr(os, "fork"):
            return _in_child(lambda: EmbeddedStore(self.path).cypher(query, params, write=write))
        if not write:
            return self._reader().cypher(query, params)
        with self._writer() as engine:
            return engine.cypher(query, params)

    def networkx(self, query: str | None = None, params: Mapping[str, object] | None = None) -> nx.DiGraph:
        """The graph as a NetworkX ``DiGraph`` (node attribute ``label``, edge attribute ``type``,
        plus properties): the whole graph, or the nodes and relationships a Cypher query returns."""
        return reads.networkx(self, query, params)

    # -- writing ----------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise ``StoreError`` now if a write could not replace the file (its folder is not
        writable, or is missing), so that a long build fails before its work, not after."""
        folder = self.path.parent
        if not folder.is_dir():
            raise StoreError(f"cannot write {self.path}: the folder {folder} does not exist")
        try:
            fd, probe = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".probe", dir=folder)
            os.close(fd)
            os.unlink(probe)
            if self.path.exists():
                with open(self.path, "rb"):
                    pass
        except OSError as exc:
            lock = self.path.with_name(self.path.name + ".lock")
            what = str(self.path) if lock.exists() else f"store {self.path}"  # the lock is made first
            raise StoreError(f"cannot write {what}: {exc.strerror or exc}") from None

    def write(self, graph: Graph, *, remove: Iterable[str] = ()) -> None:
        """Remove the nodes ``remove`` (with their edges), upsert ``graph``, atomically."""
        with self._writer() as engine:
            engine.write(graph, remove)

    @contextmanager
    def batch(self) -> Iterator[Engine]:
        """Many writes as one: ``with store.batch() as b: b.write(g1); b.write(g2)``. All of them
        land when the block ends, or none (an exception leaves the store as it was)."""
        with self._writer() as engine:
            yield engine

    @contextmanager
    def _writer(self) -> Iterator[Engine]:
        with _lock(self.path):
            remove_stale_temp_files(self.path, locked=True)
            temp = _temp_copy(self.path)
            engine: Engine | None = None
            try:
                engine = Engine.read_write(temp, new=not self.path.exists())
                yield engine
                engine.close()
                _fsync(temp)
                os.replace(temp, self.path)
                fsync_directory(self.path.parent)
            except QueryError as exc:
                if engine is not None:
                    engine.close(quiet=True)
                _remove(temp)
                if _is_io_failure(str(exc)):
                    raise StoreError(f"cannot write {self.path}: {_io_reason(str(exc))}; the previous file is intact") from None
                raise
            except OSError as exc:
                if engine is not None:
                    engine.close(quiet=True)
                _remove(temp)
                reason = "disk full" if exc.errno == errno.ENOSPC else exc.strerror
                raise StoreError(f"cannot write {self.path}: {reason}; the previous file is intact") from None
            except BaseException:
                if engine is not None:
                    engine.close(quiet=True)
                _remove(temp)
                raise
        self.close()

    def clear(self) -> None:
        """Delete every node and relationship."""
        with self._writer() as engine:
            engine.clear()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_child(run: Callable[[], list[dict[str, object]]]) -> list[dict[str, object]]:
    """``run()`` in a forked child; its rows (or its error) come back through a pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        try:
            payload: tuple[str, object] = ("rows", run())
        except KGError as exc:
            payload = (type(exc).__name__, str(exc))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            payload = ("QueryError", f"the embedded engine failed on this query: {exc}")
        with os.fdopen(write_end, "wb") as out:
            pickle.dump(payload, out)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as incoming:
        data = incoming.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) or not data:
        signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        raise QueryError(f"the embedded engine crashed on this query (signal {signal_number}); the store is "
                         "unchanged. Rewrite the query, or run it on a Neo4j store")
    kind, value = pickle.loads(data)
    if kind == "rows":
        return value  # type: ignore[no-any-return]
    raise {"StoreError": StoreError, "SchemaError": SchemaError}.get(kind, QueryError)(str(value))


def _temp_copy(path: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        raise StoreError(f"cannot write {path}: the folder {path.parent} does not exist") from None
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from None
    os.close(fd)
    temp = Path(name)
    try:
        if path.exists():
            shutil.copyfile(path, temp)
            shutil.copymode(path, temp)
        else:
            temp.unlink()  # the engine creates a new database file here
    except OSError as exc:
        temp.unlink(missing_ok=True)
        reason = "disk full" if exc.errno == errno.ENOSPC else exc.strerror
        raise StoreError(f"cannot write {path}: {reason}; the previous file is intact") from None
    return temp


def _remove(temp: Path) -> None:
    for leftover in (temp, temp.with_name(temp.name + ".wal"), temp.with_name(temp.name + ".shadow")):
        leftover.unlink(missing_ok=True)


def _is_io_failure(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in ("io exception", "no space left", "file too large", "buffer manager"))


def _io_reason(message: str) -> str:
    lowered = message.lower()
    if "no space left" in lowered:
        return "disk full"
    if "file too large" in lowered:
        return os.strerror(errno.EFBIG)
    return message.removeprefix("the embedded engine cannot run this query: ")


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = open(lock_path, "a+b")
    except FileNotFoundError:
        raise StoreError(f"cannot write {path}: the folder {path.parent} does not exist") from None
    except OSError as exc:
        raise StoreError(f"cannot write store {path}: {exc.strerror}") from None
    with handle:
        timeout = _lock_timeout()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"store {path} is locked by another kg process (waited {timeout:g} s, "
                                     "see KG_LOCK_TIMEOUT); try again later") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_timeout() -> float:
    raw = os.environ.get("KG_LOCK_TIMEOUT", "").strip()
    if not raw:
        return _LOCK_TIMEOUT
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise StoreError(f"KG_LOCK_TIMEOUT must be a number of seconds, not {raw!r}") from None


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

