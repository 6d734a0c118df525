"""The NetworkX store's file read back, whatever it holds: a kg graph, or one clear ``StoreError``.

The file is the store's header around NetworkX node-link JSON (see
:mod:`kg.graphs.nxstore`). Anything else, random bytes, another JSON document,
nesting deeper than the stack, a node without a known label or an edge without
a known type, is refused here with the file named, so no reader of the store
meets a malformed graph later.

>>> parse_store(b"\\x89PNG\\r\\n\\x1a\\n\\x00", "g.json")
Traceback (most recent call last):
...
kg.errors.StoreError: g.json: not a kg store (not UTF-8 JSON)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import StoreError
from kg.model import Label, RelType

__all__ = ["FORMAT", "parse_store"]

FORMAT = {"format": "kg-graph", "version": 1}
_LABELS = frozenset(label.value for label in Label)
_TYPES = frozenset(kind.value for kind in RelType)


def _json(data: bytes, path: str | Path) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}: not a kg store (bad JSON at line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not a kg store (not UTF-8 JSON)") from None
    except RecursionError:
        raise StoreError(f"{path}: not a kg store (JSON nested too deeply)") from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise StoreError(f"{path}: not a kg store ({exc.args[0].split(':')[0]})") from None


def parse_store(data: bytes, path: str | Path) -> nx.DiGraph:
    """The graph in the store file's bytes ``data`` (read from ``path``, named in messages).

    Raises ``StoreError`` for anything that is not a store of this version with labelled nodes,
    typed edges and string ids.
    """
    document = _json(data, path)
    if not isinstance(document, dict) or document.get("format") != FORMAT["format"]:
        raise StoreError(f"{path}: not a kg store (no '\"format\": \"kg-graph\"' header)")
    if document.get("version") != FORMAT["version"]:
        raise StoreError(f"{path}: store version {str(document.get('version'))[:20]!r} is not supported")
    try:
        graph = nx.node_link_graph(document["graph"], directed=True, multigraph=False, edges="edges")
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, nx.NetworkXError) as exc:
        raise StoreError(f"{path}: damaged store ({type(exc).__name__}: {str(exc)[:80]})") from None
    for node_id, label in graph.nodes(data="label"):
        if not isinstance(node_id, str) or not isinstance(label, str) or label not in _LABELS:
            raise StoreError(f"{path}: damaged store (node {str(node_id)[:40]!r} has no known label)")
        if label != Label.PAPER.value and not node_id.startswith(f"{label.lower()}:"):
            raise StoreError(f"{path}: damaged store (node {node_id[:40]!r} is a {label} without the "
                             f"{label.lower()}: id prefix)")
    for source, target, kind in graph.edges(data="type"):
        if not isinstance(kind, str) or kind not in _TYPES:
            raise StoreError(f"{path}: damaged store (edge {str(source)[:40]!r} -> {str(target)[:40]!r} "
                             "has no known type)")
    return graph
