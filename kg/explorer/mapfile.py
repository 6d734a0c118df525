"""The co-occurrence map as a file for Gephi: GEXF or GraphML, written by networkx's writers.

Nodes carry ``label`` (the concept's name), ``type``, ``papers``, ``links`` (total
link weight) and ``community``; edges carry ``weight`` (the association
strength) and ``papers`` (the papers using both). :func:`read_map` reads such a
file back into the same :class:`~kg.queries.results.ConceptMap`.

Examples
--------
>>> import pathlib, tempfile
>>> from kg.queries.results import ConceptMap, MapLink, MapNode
>>> cmap = ConceptMap([MapNode("model:bert", "BERT", "Model", 3, 2, 0), MapNode("task:qa", "QA & <more>", "Task", 2, 2, 0)],
...                   [MapLink("model:bert", "task:qa", 2, 1.0)], 1)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "map.gexf"
>>> write_map(cmap, path)
>>> read_map(path) == cmap
True
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.files import atomic_write
from kg.queries.results import ConceptMap, MapLink, MapNode

__all__ = ["MAP_FORMATS", "map_graph", "read_map", "write_map"]

MAP_FORMATS = (".gexf", ".graphml")
"""The file extensions :func:`write_map` writes."""


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in MAP_FORMATS:
        raise InputError(f"cannot tell the map format from {suffix or 'no extension'!r}; use {' or '.join(MAP_FORMATS)}",
                         path=path)
    return suffix


def map_graph(cmap: ConceptMap) -> Any:
    """The map as a :class:`networkx.Graph`."""
    import networkx as nx

    graph = nx.Graph()
    for node in cmap.nodes:
        graph.add_node(node.id, label=node.name, type=node.type, papers=node.papers, links=node.links,
                       community=node.community)
    for link in cmap.links:
        graph.add_edge(link.source, link.target, weight=link.strength, papers=link.papers)
    return graph


def write_map(cmap: ConceptMap, path: str | Path) -> None:
    """Write ``cmap`` to ``path`` (``.gexf`` or ``.graphml``), atomically.

    Raises ``InputError`` for another extension, ``StoreError`` when the file cannot be written.
    """
    import networkx as nx

    path = Path(path)
    writer = nx.write_gexf if _format(path) == ".gexf" else nx.write_graphml
    buffer = io.BytesIO()
    writer(map_graph(cmap), buffer)
    atomic_write(path, buffer.getvalue())


def read_map(path: str | Path) -> ConceptMap:
    """Read a map that :func:`write_map` wrote.

    Raises ``InputError`` for another extension or a file that is not such a map.
    """
    import networkx as nx

    path = Path(path)
    reader = nx.read_gexf if _format(path) == ".gexf" else nx.read_graphml
    try:
        graph = reader(path)
        nodes = [MapNode(str(n), str(a["label"]), str(a["type"]), int(a["papers"]), int(a["links"]),
                         int(a["community"])) for n, a in graph.nodes(data=True)]
        links = [MapLink(min(str(u), str(v)), max(str(u), str(v)), int(a["papers"]), float(a["weight"]))
                 for u, v, a in graph.edges(data=True)]
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(f"not a concept map: {exc}", path=path) from None
    links.sort(key=lambda link: (link.source, link.target))
    return ConceptMap(nodes, links, len({n.community for n in nodes}))
