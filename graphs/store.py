"""The interface every graph store implements, NetworkX file and Neo4j server alike.

A store writes and reads the graph model of :mod:`kg.model` and answers a few
primitive lookups; the named questions of :mod:`kg.queries` are built on those
primitives once, so every store gives the same answers. The contract test
suite (``tests/test_store_contract.py``) runs against every store.

Write semantics
---------------
``write(graph)`` upserts: a node is identified by its id, an edge by
``(type, source, target)``; properties given replace the stored ones. Writing a
``Paper`` node also replaces that paper's outgoing paper-to-concept edges with
the ones in ``graph`` (a paper is the unit of update), so re-writing a paper
whose abstract changed leaves no stale edges. A paper's own edges are those
of :data:`kg.model.PAPER_OWNED_TYPES`: its concepts, its citations, its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from kg.model import Edge, Graph, Label, Node, RelType

__all__ = ["GraphStore"]


@runtime_checkable
class GraphStore(Protocol):
    """A place that holds one graph. See the module docstring for write semantics."""

    location: str
    """Where the store lives (a path or a URI without credentials), for messages."""

    def write(self, graph: Graph, *, remove: Iterable[str] = ()) -> None:
        """Remove the nodes ``remove`` with all their edges, then upsert ``graph``.

        Raises ``StoreError`` when the store cannot be written.
        """
        ...

    def read(self) -> Graph:
        """Return the whole stored graph."""
        ...

    def nodes(
        self,
        label: Label | None = None,
        *,
        ids: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Node]:
        """Nodes with ``label`` (any label if ``None``) and, if given, one of ``ids``.

        ``fields`` limits the properties returned (all by default). Sorted by id.
        """
        ...

    def edges(
        self,
        types: Iterable[RelType] | None = None,
        *,
        sources: Iterable[str] | None = None,
        targets: Iterable[str] | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[Edge]:
        """Edges of ``types`` (all if ``None``), from ``sources`` and to ``targets`` when given.

        Sorted by ``(source, type, target)``.
        """
        ...

    def concepts_with_key(self, key: str, label: Label | None = None) -> list[Node]:
        """Concept nodes whose ``keys`` property holds the normalised name ``key``."""
        ...

    def count(self, label: Label) -> int:
        """The number of nodes with ``label``."""
        ...

    def cypher(
        self, query: str, params: Mapping[str, object] | None = None, *, write: bool = False
    ) -> list[dict[str, object]]:
        """Run a user's Cypher; rows as plain data (a node as its properties with ``id``).

        Raises ``QueryError`` for a query the store cannot run, naming the reason.
        """
        ...

    def close(self) -> None:
        """Release the store's resources (files, locks, connections)."""
        ...

    def __enter__(self) -> GraphStore:
        """The store itself; leaving the ``with`` block closes it."""
        ...

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        ...
