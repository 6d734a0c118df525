"""Exporting the graph for other tools, and reading those files back.

========  ==========================================================================
format    what is written
========  ==========================================================================
json      NetworkX node-link JSON (see :mod:`kg.graphs.nodelink`)
graphml   GraphML for Gephi, yEd, igraph, NetworkX: typed attributes
gexf      GEXF 1.2 for Gephi: typed attributes
csv       a directory of node and relationship files for ``neo4j-admin database import``
          (see :mod:`kg.graphs.neo4jcsv`)
cypher    a ``cypher-shell`` script whose values travel only as ``:param`` (see :mod:`kg.graphs.neo4jcsv`)
========  ==========================================================================

In GraphML and GEXF a node's ``label`` is what Gephi shows (a concept's name, a
paper's title) and its ``kind`` is the graph label (``Paper``, ``Dataset`` ...);
an edge's ``relationship`` is its type. Lists (authors, aliases, sentences) are
stored as JSON text in attributes ending in ``_json`` (``authors_json``), so
reading the file back restores them; evidence stays plain text.

Examples
--------
>>> import tempfile, pathlib
>>> from kg.model import Graph, Label, Node
>>> graph = Graph.of([Node(Label.PAPER, "p1", {"title": "T", "authors": ["A", "B"], "year": 2024})])
>>> out = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> export_graph(graph, "graphml", out)
'1 nodes, 0 relationships'
>>> read_export(out, "graphml") == graph
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

from kg.errors import InputError, KGError, SchemaError
from kg.files import atomic_write
from kg.graphs import neo4jcsv
from kg.graphs.nodelink import read_node_link, write_node_link
from kg.model import Edge, Graph, Label, Node, RelType

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "export_graph", "read_export"]

_JSON = "_json"


def _display(node: Node) -> str:
    value = node.properties.get("name") or node.properties.get("title") or node.id
    return str(value)


def _flat(props: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{k}{_JSON}" if isinstance(v, list) else k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
            for k, v in props.items()}


def _unflat(attrs: Mapping[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    return {k[: -len(_JSON)] if k.endswith(_JSON) else k: _flat_list(v) if k.endswith(_JSON) else v
            for k, v in attrs.items() if k not in drop}


def _flat_list(text: Any) -> list[Any]:
    """A ``*_json`` attribute: JSON text of a flat list of strings and numbers (raises ``ValueError`` otherwise)."""
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(item, (str, int, float)) for item in value):
        raise ValueError(f"a *_json attribute must hold a flat list, not {str(text)[:40]!r}")
    return value


def _to_networkx(graph: Graph) -> nx.DiGraph:
    """A DiGraph with only GraphML/GEXF-friendly attribute values (lists as JSON text)."""
    import networkx as nx  # networkx takes 0.15 s to import: only when a graph is exported

    out = nx.DiGraph()
    for node in sorted(graph.nodes, key=lambda n: n.id):
        out.add_node(node.id, kind=node.label.value, label=_display(node), **_flat(node.properties))
    for edge in sorted(graph.edges, key=lambda e: e.key):
        out.add_edge(edge.source, edge.target, relationship=edge.type.value, **_flat(edge.properties))
    return out


def _from_networkx(graph: nx.DiGraph) -> Graph:
    nodes = [Node(Label(attrs["kind"]), str(node_id), _unflat(attrs, ("kind", "label")))
             for node_id, attrs in graph.nodes(data=True)]
    edges = [Edge(RelType(attrs["relationship"]), str(s), str(t), _unflat(attrs, ("relationship", "id")))
             for s, t, attrs in graph.edges(data=True)]
    return Graph.of(nodes, edges)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_xml(graph: Graph, fmt: str) -> None:
    """Refuse a graph XML 1.0 cannot carry: a control character (other than tab and line breaks), a lone
    surrogate or U+FFFE/U+FFFF in an id, a property name or a text value (XML has no escape for them)."""
    for kind, key, props in [*(("node", n.id, n.properties) for n in graph.nodes),
                             *(("edge", f"{e.source} -> {e.target}", e.properties) for e in graph.edges)]:
        texts = [("id", key), *((f"property name {name!r}", name) for name in props),
                 *((f"property {name!r}", item) for name, value in props.items()
                   for item in (value if isinstance(value, list) else [value]) if isinstance(item, str))]
        for what, text in texts:
            found = _NOT_XML.search(text)
            if found:
                raise KGError(f"cannot export {kind} {_NOT_XML.sub('?', key)[:60]!r} as {fmt}: its {what} holds "
                              f"U+{ord(found.group()):04X}, which XML cannot carry; export json or csv instead")


def _write_graphml(graph: Graph, out: Path) -> None:
    import networkx as nx

    _check_xml(graph, "GraphML")
    lines = nx.generate_graphml(_to_networkx(graph), named_key_ids=True)
    atomic_write(out, ("\n".join(lines) + "\n").encode("utf-8"))


def _write_gexf(graph: Graph, out: Path) -> None:
    import networkx as nx

    _check_xml(graph, "GEXF")
    lines = nx.generate_gexf(_to_networkx(graph), version="1.2draft")
    atomic_write(out, ("\n".join(lines) + "\n").encode("utf-8"))


def _write_json(graph: Graph, out: Path) -> None:
    write_node_link(graph, out)


EXPORT_FORMATS: Mapping[str, Callable[[Graph, Path], None]] = {
    "json": _write_json,
    "graphml": _write_graphml,
    "gexf": _write_gexf,
    "csv": neo4jcsv.write_csv,
    "cypher": neo4jcsv.write_cypher,
}
"""The export formats and their writers."""


def export_graph(graph: Graph, fmt: str, out: str | Path) -> str:
    """Write ``graph`` to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`); return a summary.

    Raises ``KGError`` for an unknown format and ``StoreError`` when ``out`` cannot be written.
    """
    writer = EXPORT_FORMATS.get(fmt)
    if writer is None:
        raise KGError(f"unknown export format {fmt!r}; known formats: {', '.join(EXPORT_FORMATS)}")
    writer(graph, Path(out))
    return f"{len(graph.nodes)} nodes, {len(graph.edges)} relationships"


def _read_networkx(path: Path, reader: Callable[[Path], nx.Graph]) -> Graph:
    import networkx as nx

    try:
        graph = reader(path)
    except ParseError as exc:
        line, column = exc.position
        raise InputError(f"not well-formed XML at column {column + 1} ({str(exc).split(':')[0]})", path=path,
                         line=line) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            nx.NetworkXError) as exc:
        raise InputError(f"not a readable export ({type(exc).__name__}: {str(exc)[:100]})", path=path) from None
    if not isinstance(graph, nx.DiGraph):
        graph = nx.DiGraph(graph)
    try:
        return _from_networkx(graph)
    except (KeyError, ValueError, TypeError, AttributeError, RecursionError, SchemaError) as exc:
        raise InputError(f"not a kg export: a node or edge without a valid kind, relationship or value "
                         f"({type(exc).__name__}: {str(exc)[:100]})", path=path) from None


def _read_json(path: Path) -> Graph:
    return read_node_link(path)


def _read_graphml(path: Path) -> Graph:
    import networkx as nx

    return _read_networkx(path, lambda p: nx.read_graphml(p))


def _read_gexf(path: Path) -> Graph:
    import networkx as nx

    return _read_networkx(path, lambda p: nx.read_gexf(p, version="1.2draft"))


IMPORT_FORMATS: Mapping[str, Callable[[Path], Graph]] = {
    "json": _read_json,
    "graphml": _read_graphml,
    "gexf": _read_gexf,
    "csv": neo4jcsv.read_csv,
}
"""The formats :func:`read_export` reads back."""


def read_export(path: str | Path, fmt: str) -> Graph:
    """Read a file written by :func:`export_graph` back into the graph model.

    Raises ``InputError`` naming the file when it cannot be read.
    """
    reader = IMPORT_FORMATS.get(fmt)
    if reader is None:
        raise KGError(f"cannot read {fmt!r} exports; readable formats: {', '.join(IMPORT_FORMATS)}")
    return reader(Path(path))
