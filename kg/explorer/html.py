"""The concept graph as one self-contained, offline, interactive HTML page.

Built with pyvis: a :class:`pyvis.network.Network` holds the nodes, edges and
vis-network options, and its copy of vis-network 9.1.2 draws them. The page is
rendered from our own template (``kg/explorer/templates/explorer.html``) instead of
pyvis's, because pyvis's template always links Bootstrap from a CDN and shows
hover text through ``innerHTML`` when a title contains ``href``. Our page

* inlines vis-network and its CSS: no request leaves it, and a
  Content-Security-Policy forbids any remote load;
* carries every string from a paper as JSON data (``<``, ``>``, ``&`` escaped)
  and puts it on screen only as text (``textContent``; vis-network shows string
  titles with ``innerText``), never as HTML;
* places nodes in Python beforehand (:mod:`kg.explorer.layout`) with physics off,
  so 5,000 nodes draw in about a second.

What is drawn comes from :func:`kg.explorer.pagedata.page_data`, so the page works
from any store and can be cut to a part of the graph (:class:`PageFilter`).

Examples
--------
>>> import tempfile, pathlib
>>> from kg.graphs.embedded import EmbeddedStore
>>> store = EmbeddedStore(pathlib.Path(tempfile.mkdtemp()) / "g.kg")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "g.html"
>>> str(render_html(store, out))
'0 nodes, 0 edges'
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pyvis.network import Network

from kg.explorer.pagedata import PageData, PageFilter, page_data
from kg.files import atomic_write
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label, RelType

__all__ = ["COLLAPSE", "LARGE", "PALETTE", "STYLE", "TOP_LABELS", "PageFilter", "RenderSummary", "render_html",
           "render_page"]

STYLE: dict[str, dict[str, str]] = {
    Label.PAPER.value: {"color": "#9aa5b1", "shape": "dot"},
    Label.DATASET.value: {"color": "#e8833a", "shape": "square"},
    Label.MODEL.value: {"color": "#3a7be8", "shape": "diamond"},
    Label.METHOD.value: {"color": "#2ca25f", "shape": "triangle"},
    Label.TASK.value: {"color": "#b55fc9", "shape": "star"},
    Label.METRIC.value: {"color": "#d4b106", "shape": "triangleDown"},
}
"""Colour and shape of each node label, shared by the nodes and the legend."""

_OTHER_STYLE = {"color": "#52606d", "shape": "hexagon"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]
"""Community colours (the 17th community takes the first again); nodes in no community stay grey."""
TOP_LABELS = 30
"""The most used concepts whose labels show at every zoom; the others show when zoomed in."""
COLLAPSE = 2_000
"""Pages with more nodes open with each community collapsed into one node (click one to open it)."""
LARGE = 1_500
"""From this many nodes on, the page hides edges while panning or zooming and turns off hover highlighting."""

_PYVIS = Path(str(resources.files("pyvis"))) / "lib" / "vis-9.1.2"
_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class RenderSummary:
    """What a render drew: nodes and edges in the page, nodes in the store, and the page's note."""

    nodes: int
    edges: int
    total_nodes: int
    note: str

    def __str__(self) -> str:
        text = f"{self.nodes:,} nodes, {self.edges:,} edges"
        return f"{text} ({self.note})" if self.note else text


def _style(label: str) -> dict[str, str]:
    return STYLE.get(label, _OTHER_STYLE)


def _vis_node(node: Any, large: bool) -> dict[str, Any]:
    style = _style(node.type)
    vis: dict[str, Any] = {"id": node.id, "x": node.x, "y": node.y, "color": style["color"], "shape": style["shape"],
                           "community": node.community}
    if node.type == Label.PAPER.value:
        vis.update(title=node.name, size=4 if large else 7)
    else:
        root = math.sqrt(node.papers)
        vis.update(label=node.name, size=round(9 + 4 * root, 1), font={"size": round(min(9 + 3 * root, 40), 1)},
                   title=f"{node.name}\n{node.type} \u00b7 {node.papers:,} papers")
    return vis


def _vis_edge(index: int, role: str, count: int, large: bool) -> dict[str, Any]:
    vis: dict[str, Any] = {"id": index, "width": round(min(1 + math.log2(max(count, 1)), 5) * (0.5 if large else 1), 2)}
    if role not in {t.value for t in PAPER_CONCEPT_TYPES}:
        vis.update(arrows="to", dashes=role == RelType.VARIANT_OF.value, color={"color": "#7b8794"})
    return vis


def _options(large: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                             "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 7, "maxVisible": 30}}},
        "edges": {"smooth": False, "selectionWidth": 1.5,
                  "color": {"color": "#c3ccd6", "highlight": "#1f2933", "hover": "#52606d", "inherit": False}},
        "interaction": {"hover": not large, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "keyboard": False},
    }


def _network(data: PageData) -> Network:
    """A pyvis network of the page data. Its lists are filled directly: ``add_node``/``add_edge`` are O(n) each."""
    large = len(data.nodes) >= LARGE
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [_vis_node(node, large) for node in data.nodes]
    net.node_ids = [node.id for node in data.nodes]
    net.node_map = dict(zip(net.node_ids, net.nodes))
    net.edges = [dict(_vis_edge(i, e.role, e.count, large), **{"from": e.source, "to": e.target})
                 for i, e in enumerate(data.edges)]
    net.options = _options(large)
    return net


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators.

    >>> _script_json({"t": "</script><img src=x>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _map_payload(data: PageData) -> dict[str, Any]:
    return {"nodes": [[concept, x, y] for concept, (x, y) in data.map.positions.items()],
            "links": [list(link) for link in data.map.links]}


def render_page(data: PageData, collapse_above: int = COLLAPSE) -> str:
    """The HTML page that draws ``data``; with more than ``collapse_above`` nodes it opens with communities collapsed."""
    net = _network(data)
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    payload = {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "details": [[n.type, n.name, n.papers, n.year, n.community] for n in data.nodes],
        "links": [[e.role, e.evidence, e.count] for e in data.edges],
        "options": json.loads(options),
        "style": {t: _style(t) for t in data.types},
        "roles": [role.value for role in PAPER_CONCEPT_TYPES],
        "concepts": [label.value for label in CONCEPT_LABELS],
        "note": data.note,
        "total": data.total_nodes,
        "map": _map_payload(data),
        "top": [n.id for n in sorted((n for n in data.nodes if n.type in {label.value for label in CONCEPT_LABELS}),
                                     key=lambda n: (-n.papers, n.name.casefold(), n.id))[:TOP_LABELS]],
        "collapse": collapse_above,
        "palette": PALETTE,
    }
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True)
    env.filters["csp_hash"] = _csp_hash
    return env.get_template("explorer.html").render(
        controls_js=Markup((_TEMPLATES / "controls.js").read_text(encoding="utf-8")),
        vis_js=Markup((_PYVIS / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((_PYVIS / "vis-network.css").read_text(encoding="utf-8")),
        graph_json=Markup(_script_json(payload)),
    )


def render_html(store: GraphStore, out: str | Path, page_filter: PageFilter | None = None) -> RenderSummary:
    """Write the page for ``store`` (the part ``page_filter`` keeps) to ``out``, atomically.

    Raises ``NotFoundError`` when the filter leaves nothing to draw, ``StoreError``
    when ``out`` cannot be written (a previous file there stays intact).
    """
    data = page_data(store, page_filter)
    atomic_write(out, render_page(data).encode("utf-8"))
    return RenderSummary(len(data.nodes), len(data.edges), data.total_nodes, data.note)
