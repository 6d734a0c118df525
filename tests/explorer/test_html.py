"""The HTML page without a browser: what it holds, how filters cut it, and how its text is escaped.

Expectations are derived from the bundled page's store (``store.read()``), not written down by hand.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import NotFoundError
from kg.explorer.html import render_html
from kg.explorer.layout import FULL_LIMIT, layout
from kg.explorer.pagedata import PageData, PageFilter, page_data
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Edge, Graph, Label, Node, RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from kg.queries import find_paper

TEMPLATE = Path(__file__).resolve().parents[2] / "kg" / "explorer" / "templates" / "explorer.html"
HTML_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "srcdoc")
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_CONCEPT = "<svg onload=alert(6)>"


def _read(store: EmbeddedStore) -> tuple[dict[str, Node], list[Edge]]:
    graph = store.read()
    return {n.id: n for n in graph.nodes}, list(graph.edges)


def _users(edges: list[Edge]) -> dict[str, set[str]]:
    users: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.type in PAPER_CONCEPT_TYPES:
            users[edge.target].add(edge.source)
    return users


def _ids(data: PageData) -> set[str]:
    return {node.id for node in data.nodes}


def _edge_keys(data: PageData) -> set[tuple[str, str, str]]:
    return {(e.role, e.source, e.target) for e in data.edges}


def _induced(edges: list[Edge], ids: set[str]) -> set[tuple[str, str, str]]:
    return {e.key for e in edges if e.source in ids and e.target in ids}


def _with_others(nodes: dict[str, Node], edges: list[Edge], ids: set[str]) -> set[str]:
    """``ids`` and the nodes that are neither papers nor concepts (code repositories) their papers link to."""
    others = {e.target for e in edges if e.source in ids and nodes[e.target].label not in (Label.PAPER, *CONCEPT_LABELS)}
    return ids | others


def _data_element(page: str) -> object:
    raw = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert raw is not None
    return json.loads(raw.group(1))


def build_hostile_store(folder: Path, extractor: Extractor) -> EmbeddedStore:
    """A store built by the real pipeline from papers whose text is HTML and script, plus a hostile concept name."""
    rows = [
        {"id": "hostile-img", "title": HOSTILE_TITLE,
         "abstract": "We evaluate our detector on COCO and LVIS with strong results. The <b>bold</b> claim holds."},
        {"id": "hostile-script", "title": 'Evil<script>alert(2)</script>Net: a href="javascript:alert(3)" detector',
         "abstract": "We propose EvilNet. Experiments on COCO </script><script>alert(4)</script> show "
                     '<a href="javascript:alert(5)">gains</a> over YOLOv8 baselines in every setting.'},
    ]
    corpus = folder / "hostile.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    store = EmbeddedStore.open(folder / "kg-graph.kg", create=True)
    build([corpus], store, extractor=extractor)
    concept = Node(Label.METHOD, "method:svgonload", {"name": HOSTILE_CONCEPT, "keys": ["svgonload"]})
    store.write(Graph.of([concept], [Edge(RelType.USES, "hostile-img", concept.id,
                                          {"evidence": "We use <svg onload=alert(6)>.", "count": 1})]))
    return store


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> EmbeddedStore:
    return build_hostile_store(tmp_path_factory.mktemp("hostile"), extractor)


# -- the template and the page ----------------------------------------------------------


def test_template_and_page_have_no_html_sinks(page_store: EmbeddedStore, tmp_path: Path) -> None:
    template = TEMPLATE.read_text(encoding="utf-8")
    assert [sink for sink in HTML_SINKS if sink in template] == []
    out = tmp_path / "page.html"
    render_html(page_store, out)
    page = out.read_text(encoding="utf-8")
    # vis-network included: nothing on the page writes HTML from strings, and pyvis's popup path is absent.
    assert [sink for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write") if sink in page] == []
    assert "tooltip_link" not in page and "popup" not in template


def test_page_is_offline_and_its_scripts_are_pinned_by_hash(page_store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    render_html(page_store, out)
    page = out.read_text(encoding="utf-8")
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:)[a-z]+:""", page, re.I) == []
    assert "<link" not in page and "@import" not in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in html.unescape(policy.group(1)).split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts}
    assert len(scripts) == 3 and set(directives["script-src"].split()) == hashes


def test_render_is_deterministic_and_atomic(page_store: EmbeddedStore, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    render_html(page_store, first)
    second.write_text("old")
    render_html(page_store, second)
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.html"]


# -- what the page holds ----------------------------------------------------------------


def test_whole_graph_is_drawn_with_counts_from_the_store(page_store: EmbeddedStore) -> None:
    nodes, edges = _read(page_store)
    data = page_data(page_store)
    assert _ids(data) == set(nodes) and len(data.nodes) == len(nodes)
    assert _edge_keys(data) == {e.key for e in edges} and len(data.edges) == len(edges)
    assert (data.note, data.total_nodes) == ("", len(nodes))
    users = _users(edges)
    assert {n.id: n.papers for n in data.nodes if n.type != "Paper"} == {
        cid: len(users.get(cid, ())) for cid, node in nodes.items() if node.label is not Label.PAPER}
    coco = next(n for n in data.nodes if n.name == "COCO")
    evidence = {(e.source, e.target): e.evidence for e in data.edges}
    assert {(e.source, e.target): e.properties.get("evidence", "") for e in edges
            if e.target == coco.id} == {k: v for k, v in evidence.items() if k[1] == coco.id}


def test_type_and_min_papers_keep_those_concepts_and_their_papers(page_store: EmbeddedStore) -> None:
    nodes, edges = _read(page_store)
    users = _users(edges)
    datasets = {cid for cid, n in nodes.items() if n.label is Label.DATASET and len(users.get(cid, ())) >= 2}
    papers = {p for cid in datasets for p in users[cid]}
    data = page_data(page_store, PageFilter(types=(Label.DATASET,), min_papers=2))
    drawn = _with_others(nodes, edges, datasets | papers)
    assert _ids(data) == drawn
    assert _edge_keys(data) == _induced(edges, drawn)
    shown = len(drawn)
    assert data.note == (f"showing {shown} of {len(nodes)} nodes: Dataset concepts with at least 2 papers, "
                         "and their papers")


def test_top_keeps_the_concepts_with_most_papers(page_store: EmbeddedStore) -> None:
    nodes, edges = _read(page_store)
    users = _users(edges)
    ranked = sorted((n for n in nodes.values() if n.label in CONCEPT_LABELS),
                    key=lambda n: (-len(users.get(n.id, ())), str(n.properties["name"]).casefold(), n.id))
    top = {n.id for n in ranked[:5]}
    assert len(users[ranked[4].id]) > len(users[ranked[5].id])  # no tie at the boundary in this data
    papers = {p for cid in top for p in users[cid]}
    data = page_data(page_store, PageFilter(top=5))
    assert _ids(data) == _with_others(nodes, edges, top | papers)
    assert _edge_keys(data) == _induced(edges, _ids(data))


def test_paper_filter_draws_its_neighbourhood(page_store: EmbeddedStore) -> None:
    nodes, edges = _read(page_store)
    users = _users(edges)
    paper = find_paper(page_store, "YOLOE")
    own = {e.target for e in edges if e.source == paper.id and e.type in PAPER_CONCEPT_TYPES}
    sharing = {p for cid in own for p in users[cid]}
    data = page_data(page_store, PageFilter(paper="YOLOE"))
    assert paper.id in sharing and _ids(data) == _with_others(nodes, edges, own | sharing)
    assert _edge_keys(data) == _induced(edges, _ids(data))
    assert data.note.endswith(f"the concepts of paper '{paper.properties['title']}', and the papers sharing them")


def test_max_nodes_cuts_to_the_most_used_concepts_and_says_so(page_store: EmbeddedStore) -> None:
    nodes, edges = _read(page_store)
    users = _users(edges)
    ranked = sorted((n for n in nodes.values() if n.label in CONCEPT_LABELS),
                    key=lambda n: (-len(users.get(n.id, ())), str(n.properties["name"]).casefold(), n.id))
    data = page_data(page_store, PageFilter(max_nodes=100))
    concepts = [n.id for n in data.nodes if n.type in {label.value for label in CONCEPT_LABELS}]
    keep = len(concepts)
    assert concepts == [n.id for n in ranked[:keep]]
    papers = set().union(*(users[c] for c in concepts))
    assert {n.id for n in data.nodes if n.type == "Paper"} == papers
    assert _ids(data) == _with_others(nodes, edges, set(concepts) | papers)
    one_more = {ranked[keep].id} | set(concepts) | papers | users[ranked[keep].id]
    assert len(data.nodes) <= 100 < len(_with_others(nodes, edges, one_more))
    assert data.note == (f"showing {len(data.nodes)} of {len(nodes)} nodes: cut to --max-nodes 100: "
                         f"the top {keep} concepts by papers and all their papers ({len(papers)})")


def test_filters_that_leave_nothing_are_clear_errors(page_store: EmbeddedStore, tmp_path: Path) -> None:
    _, edges = _read(page_store)
    most = max(len(who) for cid, who in _users(edges).items() if cid.startswith("metric:"))
    with pytest.raises(NotFoundError) as caught:
        render_html(page_store, tmp_path / "x.html", PageFilter(types=(Label.METRIC,), min_papers=most + 1))
    assert str(caught.value) == f"nothing to draw: there are no Metric concepts with at least {most + 1} papers"
    assert not (tmp_path / "x.html").exists()
    with pytest.raises(NotFoundError, match="no paper with id or title 'no such paper'"):
        page_data(page_store, PageFilter(paper="no such paper"))


def test_cli_render_options(page_store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    store = page_store.location
    result = CliRunner().invoke(main, ["render", "--out", str(out), "--store", store, "--type", "Dataset",
                                       "--type", "model", "--min-papers", "2"])
    assert result.exit_code == 0, result.output
    expected = page_data(page_store, PageFilter(types=(Label.DATASET, Label.MODEL), min_papers=2))
    assert result.stdout == f"{len(expected.nodes)} nodes, {len(expected.edges)} edges ({expected.note}) -> {out}\n"
    assert _data_element(out.read_text())["note"] == expected.note  # type: ignore[index]
    result = CliRunner().invoke(main, ["render", "--out", str(out), "--store", store, "--top", "3", "--max-nodes", "0"])
    assert result.exit_code == 2 and "--max-nodes" in result.stderr
    result = CliRunner().invoke(main, ["render", "--out", str(tmp_path / "none.html"), "--store", store,
                                       "--paper", "YOLOE", "--type", "task", "--min-papers", "50"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing to draw: paper ") and "has no Task concepts" in result.stderr


@pytest.mark.neo4j
def test_page_data_is_the_same_from_neo4j(page_store: EmbeddedStore, neo4j_store: Neo4jStore, extractor: Extractor,
                                          page_path: Path) -> None:
    build([page_path], neo4j_store, extractor=extractor)
    for wanted in (None, PageFilter(paper="YOLOE"), PageFilter(types=(Label.MODEL,), max_nodes=40)):
        assert page_data(neo4j_store, wanted) == page_data(page_store, wanted)


# -- escaping ---------------------------------------------------------------------------


def test_text_from_papers_is_data_never_markup(hostile_store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    render_html(hostile_store, out)
    page = out.read_text(encoding="utf-8")
    nodes, edges = _read(hostile_store)
    texts = [str(n.properties.get("title") or n.properties.get("name")) for n in nodes.values()]
    texts += [str(e.properties.get("evidence", "")) for e in edges]
    assert HOSTILE_TITLE in texts and HOSTILE_CONCEPT in texts and any("</script>" in t for t in texts)
    assert [t for t in texts if "<" in t and t in page] == []
    assert page.count("</script") == 4  # the ends of the data element and the three scripts, and no other
    data = _data_element(page)
    shown = {n["title"] for n in data["nodes"] if "title" in n}  # type: ignore[index]
    assert HOSTILE_TITLE in shown
    assert {link[1] for link in data["links"]} == {str(e.properties.get("evidence", "")) for e in edges}  # type: ignore[index]


# -- layout -----------------------------------------------------------------------------


def test_layout_places_every_node_apart_and_the_same_way_twice() -> None:
    concepts = [f"model:m{i}" for i in range(300)]
    papers = {f"p{i:04d}": sorted({concepts[(i * 7) % 300], concepts[i % 17], concepts[(i * i) % 300]})
              for i in range(2_000)}
    papers["p-alone"] = []
    pos = layout(concepts, papers, [(concepts[5], concepts[0])])
    assert len(concepts) + len(papers) > FULL_LIMIT
    assert set(pos) == set(concepts) | set(papers)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len({(round(x, 1), round(y, 1)) for x, y in pos.values()}) == len(pos)
    assert layout(concepts, papers, [(concepts[5], concepts[0])]) == pos
