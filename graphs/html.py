"""The concept graph as one self-contained, offline, interactive HTML page.

Built with pyvis: a :class:`pyvis.network.Network` holds the nodes, edges and
vis-network options; the page is rendered from our own template
(``graphs/templates/explorer.html``) instead of pyvis's, because pyvis's
template always links Bootstrap from a CDN and shows hover text through
``innerHTML`` when a title contains ``href``. Our page

* inlines vis-network (the copy pyvis ships) and its CSS: no request leaves it,
  and a Content-Security-Policy forbids any remote load;
* carries every string from a paper as JSON data (``<`` escaped) and puts it on
  screen only as text (``textContent``, vis-network titles as strings), never as HTML;
* places nodes in Python beforehand, so the browser draws without simulating.

Examples
--------
>>> import tempfile, pathlib
>>> from graphs.nxstore import NetworkXStore
>>> store = NetworkXStore(pathlib.Path(tempfile.mkdtemp()) / "g.json")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "g.html"
>>> render_html(store, out)
'0 nodes, 0 edges'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
import networkx as nx
from pyvis.network import Network

from graphs.store import GraphStore
from kg.files import atomic_write
from kg.model import PAPER_CONCEPT_TYPES, Label, RelType, int_prop, str_prop

__all__ = ["STYLE", "PageData", "page_data", "render_html"]

STYLE: dict[str, dict[str, str]] = {
    Label.PAPER.value: {"color": "#9aa5b1", "shape": "dot"},
    Label.DATASET.value: {"color": "#e8833a", "shape": "square"},
    Label.MODEL.value: {"color": "#3a7be8", "shape": "diamond"},
    Label.METHOD.value: {"color": "#2ca25f", "shape": "triangle"},
    Label.TASK.value: {"color": "#b55fc9", "shape": "star"},
    Label.METRIC.value: {"color": "#d4b106", "shape": "triangleDown"},
}
"""Colour and shape of each node label, shared by the nodes and the legend."""

_PYVIS = Path(str(resources.files("pyvis"))) / "lib" / "vis-9.1.2"
_SCALE = 1000.0


@dataclass(frozen=True)
class PageData:
    """What the page shows: vis-network nodes and edges, plus details for the side panel."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    note: str


def _layout(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    if not nodes:
        return {}
    k = 1.5 / math.sqrt(max(len(nodes), 1))
    positions = nx.spring_layout(graph, k=k, iterations=60, seed=7)
    return {n: (float(x) * _SCALE, float(y) * _SCALE) for n, (x, y) in positions.items()}


def page_data(store: GraphStore) -> PageData:
    """Collect the nodes, edges and details the page needs from ``store``."""
    papers = {n.id: n for n in store.nodes(Label.PAPER, fields=["title", "year"])}
    concepts = {n.id: n for n in store.nodes(fields=["name"]) if n.label is not Label.PAPER}
    edges = store.edges(PAPER_CONCEPT_TYPES, fields=["evidence", "count"])
    variants = store.edges([RelType.VARIANT_OF], fields=[])
    counts: dict[str, int] = {}
    for edge in edges:
        counts[edge.target] = counts.get(edge.target, 0) + 1
    ids = sorted(papers) + sorted(concepts)
    positions = _layout(ids, [(e.source, e.target) for e in (*edges, *variants)])
    nodes = []
    for node_id in ids:
        x, y = positions[node_id]
        if node_id in papers:
            title = str(papers[node_id].properties.get("title", ""))
            nodes.append({"id": node_id, "type": Label.PAPER.value, "name": title, "papers": 0,
                          "x": round(x, 1), "y": round(y, 1)})
        else:
            node = concepts[node_id]
            nodes.append({"id": node_id, "type": node.label.value, "name": str(node.properties.get("name")),
                          "papers": counts.get(node_id, 0), "x": round(x, 1), "y": round(y, 1)})
    links = [
        {"from": e.source, "to": e.target, "role": e.type.value, "evidence": str_prop(e.properties, "evidence"),
         "count": int_prop(e.properties, "count", 1)}
        for e in edges
    ] + [{"from": e.source, "to": e.target, "role": e.type.value, "evidence": "", "count": 1} for e in variants]
    return PageData(nodes, links, "")


def _network(data: PageData) -> Network:
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for node in data.nodes:
        style = STYLE[node["type"]]
        is_paper = node["type"] == Label.PAPER.value
        net.add_node(
            node["id"],
            label=" " if is_paper else node["name"],
            title=node["name"] if is_paper else f"{node['name']} ({node['type']}, {node['papers']} papers)",
            color=style["color"],
            shape=style["shape"],
            size=8 if is_paper else 10 + 4 * math.sqrt(node["papers"]),
            x=node["x"],
            y=node["y"],
            physics=False,
        )
    for edge in data.edges:
        net.add_edge(edge["from"], edge["to"], width=min(1 + edge["count"], 6), title=edge["role"],
                     dashes=edge["role"] == RelType.VARIANT_OF.value)
    net.toggle_physics(False)
    return net


def _script_json(value: Any) -> str:
    """JSON safe to put inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def render_html(store: GraphStore, out: str | Path) -> str:
    """Write the page for ``store`` to ``out``; return a one-line summary.

    Raises ``StoreError`` when ``out`` cannot be written.
    """
    data = page_data(store)
    net = _network(data)
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
    ).get_template("explorer.html")
    html = template.render(
        vis_js=Markup((_PYVIS / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((_PYVIS / "vis-network.css").read_text(encoding="utf-8")),
        graph_json=Markup(_script_json({
            "nodes": vis_nodes, "edges": vis_edges, "details": data.nodes, "links": data.edges,
            "options": json.loads(options) if isinstance(options, str) else options,
            "style": STYLE, "note": data.note,
        })),
    )
    atomic_write(out, html.encode("utf-8"))
    return f"{len(data.nodes)} nodes, {len(data.edges)} edges"
