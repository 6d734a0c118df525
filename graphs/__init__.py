"""Graph stores (an embedded NetworkX file, a Neo4j server) and the HTML page.

:func:`open_store` picks the store: Neo4j when settings for it are given, else
the NetworkX file.
"""

from __future__ import annotations

from pathlib import Path

from kg.graphs.nxstore import NetworkXStore
from kg.graphs.store import GraphStore

__all__ = ["GraphStore", "NetworkXStore", "open_store"]


def open_store(path: str | Path, *, neo4j_uri: str | None = None, neo4j_database: str | None = None,
               create: bool = False) -> GraphStore:
    """Open the Neo4j store at ``neo4j_uri`` (credentials from ``NEO4J_USERNAME`` and
    ``NEO4J_PASSWORD``) if given, else the NetworkX store at ``path``.

    Raises ``StoreError`` when the store cannot be opened.
    """
    if neo4j_uri:
        from kg.graphs.neo4jstore import Neo4jSettings, Neo4jStore

        return Neo4jStore.connect(Neo4jSettings.from_env(neo4j_uri, database=neo4j_database))
    return NetworkXStore.open(path, create=create)
