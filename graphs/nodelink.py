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

    Raises ``InputError`` naming the file for anything else: bytes that are not UTF-8
    JSON, JSON nested too deeply, another document, a node without a known label or
    a concept id without its label's prefix, an edge without a known type.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(f"not a kg graph file (bad JSON at line {exc.lineno})", path=path) from None
    except UnicodeDecodeError:
        raise InputError("not a kg graph file (not UTF-8 JSON)", path=path) from None
    except RecursionError:
        raise InputError("not a kg graph file (JSON nested too deeply)", path=path) from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise InputError(f"not a kg graph file ({exc.args[0].split(':')[0]})", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the graph file: {exc.strerror}", path=path) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT["format"]:
        raise InputError("not a kg graph file (no '\"format\": \"kg-graph\"' header)", path=path)
    if data.get("version") != FORMAT["version"]:
        raise InputError(f"graph file version {str(data.get('version'))[:20]!r} is not supported", path=path)
    try:
        body = data["graph"]
        nodes = [_node(item) for item in body["nodes"]]
        edges = [_edge(item) for item in body.get("edges", body.get("links", []))]
        return Graph.of(nodes, edges)
    except _Damaged as exc:
        raise InputError(f"damaged graph file ({exc})", path=path) from None
    except (KeyError, TypeError, ValueError, AttributeError, SchemaError) as exc:
        raise InputError(f"damaged graph file ({type(exc).__name__}: {str(exc)[:80]})", path=path) from None


class _Damaged(Exception):
    """A node or edge the file cannot hold."""


_LABELS = {label.value: label for label in Label}
_TYPES = {kind.value: kind for kind in RelType}


def _node(item: dict[str, Any]) -> Node:
    node_id, label = item.get("id"), _LABELS.get(item.get("label"))  # type: ignore[arg-type]
    if not isinstance(node_id, str) or label is None:
        raise _Damaged(f"node {str(node_id)[:40]!r} has no known label")
    if label is not Label.PAPER and not node_id.startswith(f"{label.value.lower()}:"):
        raise _Damaged(f"node {node_id[:40]!r} is a {label.value} without the {label.value.lower()}: id prefix")
    props = {key: value for key, value in item.items() if key not in ("id", "label")}
    return Node(label, node_id, props)


def _edge(item: dict[str, Any]) -> Edge:
    kind = _TYPES.get(item.get("type"))  # type: ignore[arg-type]
    if kind is None:
        raise _Damaged(f"edge {str(item.get('source'))[:40]!r} -> {str(item.get('target'))[:40]!r} "
                       "has no known type")
    props = {key: value for key, value in item.items() if key not in ("source", "target", "type", "key")}
    return Edge(kind, str(item["source"]), str(item["target"]), props)
