"""NetworkX node-link JSON: the graph as one JSON file that ``networkx.node_link_graph`` reads.

The file is the node-link data of a directed graph inside a small header::

    {"format": "kg-graph", "version": 1, "graph": {"directed": true, "nodes": [...], "edges": [...]}}

Nodes carry their label in ``label`` and edges their type in ``type``, next to
their properties; both are written sorted, so the same graph always gives the
same bytes. :func:`write_node_link` and :func:`read_node_link` are inverses.

Examples
--------
>>> import pathlib, tempfile
>>> from kg.model import Graph, Label, Node
>>> graph = Graph.of([Node(Label.PAPER, "p1", {"title": "T"})])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> write_node_link(graph, path)
>>> read_node_link(path) == graph
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.errors import InputError, SchemaError
from kg.files import atomic_write
from kg.model import Edge, Graph, Label, Node, RelType

__all__ = ["FORMAT", "read_node_link", "write_node_link"]

FORMAT = {"format": "kg-graph", "version": 1}


def write_node_link(graph: Graph, path: str | Path) -> None:
    """Write ``graph`` to ``path`` atomically (see the module docstring)."""
    nodes = [{"id": node.id, "label": node.label.value, **node.properties}
             for node in sorted(graph.nodes, key=lambda n: n.id)]
    edges = [{"source": edge.source, "target": edge.target, "type": edge.type.value, **edge.properties}
             for edge in sorted(graph.edges, key=lambda e: (e.source, e.target, e.type.value))]
    data = {**FORMAT, "graph": {"directed": True, "multigraph": False, "graph": {}, "nodes": nodes, "edges": edges}}
    atomic_write(path, (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))


def read_node_link(path: str | Path) -> Graph:
    """The graph in a node-link JSON file written by :func:`write_node_link` (or by kg 0.1's store).

    Raises ``InputError`` naming the file for anything else.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(f"not a kg graph file (bad JSON at line {exc.lineno})", path=path) from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(f"cannot read the graph file: {getattr(exc, 'strerror', None) or exc}", path=path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT["format"]:
        raise InputError("not a kg graph file (no '\"format\": \"kg-graph\"' header)", path=path)
    if data.get("version") != FORMAT["version"]:
        raise InputError(f"graph file version {data.get('version')!r} is not supported", path=path)
    try:
        body = data["graph"]
        nodes = [_node(item) for item in body["nodes"]]
        edges = [_edge(item) for item in body.get("edges", body.get("links", []))]
    except (KeyError, TypeError, ValueError, SchemaError) as exc:
        raise InputError(f"damaged graph file ({exc})", path=path) from None
    return Graph.of(nodes, edges)


def _node(item: dict[str, Any]) -> Node:
    props = {key: value for key, value in item.items() if key not in ("id", "label")}
    return Node(Label(item["label"]), str(item["id"]), props)


def _edge(item: dict[str, Any]) -> Edge:
    props = {key: value for key, value in item.items() if key not in ("source", "target", "type", "key")}
    return Edge(RelType(item["type"]), str(item["source"]), str(item["target"]), props)
