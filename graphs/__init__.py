"""Graph stores: an embedded database file and a Neo4j server, behind one interface.

:func:`open_store` picks the store: Neo4j when settings for it are given, else
the embedded file (:mod:`kg.graphs.embedded`). The stores import only the ground floor (:mod:`kg.model`,
:mod:`kg.errors`, :mod:`kg.files`); this module imports them only when a store is
opened, so that reading it stays cheap.
"""

from __future__ import annotations

from pathlib import Path

from kg.graphs.store import GraphStore

__all__ = ["GraphStore", "open_store"]


def open_store(path: str | Path, *, neo4j_uri: str | None = None, neo4j_database: str | None = None,
               create: bool = False, isolated: bool = False) -> GraphStore:
    """Open the Neo4j store at ``neo4j_uri`` (credentials from ``NEO4J_USERNAME`` and
    ``NEO4J_PASSWORD``) if given, else the embedded store at ``path``.

    ``isolated`` runs the embedded store's Cypher in a child process (see
    :meth:`~kg.graphs.embedded.EmbeddedStore.open`); a server needs no such guard.

    Raises ``StoreError`` when the store cannot be opened.
    """
    if neo4j_uri:
        from kg.graphs.neo4jstore import Neo4jSettings, Neo4jStore

        return Neo4jStore.connect(Neo4jSettings.from_env(neo4j_uri, database=neo4j_database))
    from kg.graphs.embedded import EmbeddedStore

    return EmbeddedStore.open(path, create=create, isolated=isolated)
