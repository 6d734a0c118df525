"""The HTML page in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

One browser serves the whole module. Every page is opened from a ``file:`` URL
with every request recorded; a test fails if any request goes elsewhere, if a
dialog opens or if the page throws. Expectations come from the store the page
was rendered from.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.explorer.html import render_html
from kg.explorer.pagedata import PageData, PageFilter, page_data
from kg.graphs.embedded import EmbeddedStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label
from kg.pipeline.extract import Extractor
from kg.queries import find_paper, shared_concept, show_paper
from tests.explorer.test_html import HOSTILE_TITLE, build_hostile_store

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _unavailable() -> str | None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        return f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium with a fresh profile; skipped without one, except under CI=true."""
    reason = _unavailable()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1400, "height": 900})
        yield context
        context.close()


@dataclass
class Opened:
    """An open page and what it did: every request URL, dialogs, script errors."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def node_on_screen(self, node_id: str) -> tuple[float, float]:
        """Zoom to a node and return its centre in page coordinates, checking that it is the node drawn there."""
        self.js("id => kgNetwork.moveTo({position: kgNetwork.getPositions([id])[id], scale: 2.5})", node_id)
        dom = self.js("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node_id)
        assert self.js("p => kgNetwork.getNodeAt(p)", dom) == node_id
        box = self.page.locator("#network canvas").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def panel(self) -> list[tuple[str, str, str]]:
        """The side panel's list: (node id, link text, evidence line) per item."""
        return [tuple(row) for row in self.js(  # type: ignore[misc]
            """() => Array.from(document.querySelectorAll('#panel-list li')).map(li => [li.dataset.id,
                 li.querySelector('button').textContent, (li.querySelector('.evidence') || {}).textContent || ''])""")]


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """Open a rendered file and wait for the network's first drawing; check offline-ness and quiet afterwards."""
    opened: list[Opened] = []

    def _open(path: Path) -> Opened:
        page = browser.new_page()
        seen = Opened(page)
        page.on("request", lambda request: seen.requests.append(request.url))
        page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)
        page.goto(path.as_uri())
        deadline = time.monotonic() + 20
        # Polled from here: the page's Content-Security-Policy forbids the eval behind wait_for_function.
        while page.evaluate("window.kgReady") is not True:
            assert time.monotonic() < deadline, f"{path.name} did not draw within 20 s"
            page.wait_for_timeout(20)
        opened.append(seen)
        return seen

    yield _open
    for seen in opened:
        seen.page.close()
        assert [url for url in seen.requests if not url.startswith("file:")] == []
        assert (seen.dialogs, seen.errors) == ([], [])


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> EmbeddedStore:
    return build_hostile_store(tmp_path_factory.mktemp("hostile"), extractor)


@pytest.fixture(scope="module")
def bundled(page_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PageData]:
    out = tmp_path_factory.mktemp("page") / "graph.html"
    render_html(page_store, out)
    return out, page_data(page_store)


def test_bundled_page_draws_every_node_and_edge_offline(bundled: tuple[Path, PageData], open_page: Any,
                                                        page_store: EmbeddedStore) -> None:
    path, data = bundled
    seen = open_page(path)
    graph = page_store.read()
    drawn = seen.js("() => [kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [len(data.nodes), len(data.edges)] == [len(graph.nodes), len(graph.edges)]
    assert seen.requests == [path.as_uri()]
    assert seen.page.locator("#counts").text_content() == f"{len(graph.nodes)} nodes, {len(graph.edges)} edges shown"
    legend = seen.js("() => Array.from(document.querySelectorAll('#filters label')).map(l => l.textContent)")
    per_type = {label: len(graph.by_label(label)) for label in Label if graph.by_label(label)}
    assert sorted(text[1:] for text in legend) == sorted(f"{label.value} ({n})" for label, n in per_type.items())


def test_search_finds_lvis_and_opens_it(bundled: tuple[Path, PageData], open_page: Any,
                                        page_store: EmbeddedStore) -> None:
    path, data = bundled
    seen = open_page(path)
    seen.page.fill("#search", "LVIS")
    matches = {n.id for n in data.nodes if "lvis" in n.name.lower()}
    lvis = next(n for n in data.nodes if n.type == "Dataset" and n.name == "LVIS")
    assert set(seen.js("() => Array.from(document.querySelectorAll('#results li')).map(li => li.dataset.id)")) == matches
    assert seen.page.locator(f'#results li[data-id="{lvis.id}"]').text_content() == "LVIS (Dataset)"
    seen.page.locator(f'#results li[data-id="{lvis.id}"]').click()
    assert seen.page.locator("#panel-title").text_content() == "LVIS"
    hits = shared_concept(page_store, Label.DATASET, "LVIS")
    assert [row[0] for row in seen.panel()] == [h.id for h in hits]
    assert seen.js("() => kgNetwork.getSelectedNodes()") == [lvis.id]


def test_clicking_coco_lists_its_papers_with_evidence(bundled: tuple[Path, PageData], open_page: Any,
                                                      page_store: EmbeddedStore) -> None:
    path, data = bundled
    seen = open_page(path)
    coco = next(n for n in data.nodes if n.type == "Dataset" and n.name == "COCO")
    seen.page.mouse.click(*seen.node_on_screen(coco.id))
    assert seen.page.locator("#panel-title").text_content() == "COCO"
    hits = shared_concept(page_store, Label.DATASET, "COCO")
    assert seen.panel() == [(h.id, h.title, f"{h.role.lower().replace('_', ' ')}: {h.evidence}") for h in hits]
    assert seen.page.locator("#panel-heading").text_content() == f"Papers sharing this ({len(hits)})"
    seen.page.get_by_role("button", name="Show only this and the papers sharing it").click()
    ids = {coco.id} | {h.id for h in hits}
    edges = [e for e in data.edges if e.source in ids and e.target in ids]
    assert seen.js("() => kgShown()") == {"nodes": len(ids), "edges": len(edges)}
    seen.page.get_by_role("button", name="Show all").click()
    assert seen.js("() => kgShown()") == {"nodes": len(data.nodes), "edges": len(data.edges)}


def test_clicking_a_paper_lists_its_concepts(bundled: tuple[Path, PageData], open_page: Any,
                                             page_store: EmbeddedStore) -> None:
    path, _ = bundled
    seen = open_page(path)
    paper = find_paper(page_store, "YOLOE")
    seen.page.mouse.click(*seen.node_on_screen(paper.id))
    assert seen.page.locator("#panel-title").text_content() == paper.properties["title"]
    _, links = show_paper(page_store, paper.id)
    rows = seen.panel()
    assert [(r[0], r[1]) for r in rows[:len(links)]] == [(c.id, f"{c.name} ({c.type})") for c in links]
    assert [r[2] for r in rows[:len(links)]] == [f"{c.role.lower().replace('_', ' ')}: {c.evidence}" for c in links]


def test_type_and_min_papers_filters_in_the_page(bundled: tuple[Path, PageData], open_page: Any) -> None:
    path, data = bundled
    seen = open_page(path)
    seen.page.locator('#filters input[data-type="Paper"]').uncheck()
    concepts = {label.value for label in CONCEPT_LABELS}
    left = {n.id for n in data.nodes if n.type != "Paper"}
    assert seen.js("() => kgShown()") == {
        "nodes": len(left), "edges": sum(1 for e in data.edges if e.source in left and e.target in left)}
    seen.page.locator('#filters input[data-type="Paper"]').check()
    seen.page.fill("#min-papers", "2")
    kept = {n.id for n in data.nodes if n.type not in concepts or n.papers >= 2}
    drawn = seen.js("() => [kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    assert drawn == [len(kept), sum(1 for e in data.edges if e.source in kept and e.target in kept)]


def test_a_cut_page_says_so(page_store: EmbeddedStore, open_page: Any, tmp_path: Path) -> None:
    out = tmp_path / "cut.html"
    summary = render_html(page_store, out, PageFilter(max_nodes=100))
    seen = open_page(out)
    assert seen.page.locator("#note").is_visible()
    assert seen.page.locator("#note").text_content() == summary.note
    assert summary.note.startswith(f"showing {summary.nodes} of {summary.total_nodes} nodes: cut to --max-nodes 100")
    assert seen.js("() => kgNetwork.body.nodeIndices.length") == summary.nodes <= 100


def test_hostile_text_renders_as_text(hostile_store: EmbeddedStore, open_page: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    render_html(hostile_store, out)
    seen = open_page(out)
    graph = hostile_store.read()
    paper = next(n for n in graph.by_label(Label.PAPER) if n.properties["title"] == HOSTILE_TITLE)
    x, y = seen.node_on_screen(paper.id)
    seen.page.mouse.move(x, y)
    tooltip = seen.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert (tooltip.inner_text(), seen.js("() => document.querySelector('div.vis-tooltip').childElementCount")) == (
        HOSTILE_TITLE, 0)
    seen.page.mouse.click(x, y)
    assert seen.page.locator("#panel-title").text_content() == HOSTILE_TITLE
    evidence = {str(e.properties.get("evidence")) for e in graph.edges
                if e.source == paper.id and e.type in PAPER_CONCEPT_TYPES}
    assert {row[2].split(": ", 1)[1] for row in seen.panel()} == evidence
    other = next(n for n in graph.by_label(Label.PAPER) if n.id != paper.id)
    seen.js("id => kgSelect(id, true)", other.id)
    assert seen.page.locator("#panel-title").text_content() == other.properties["title"]
    assert any("</script>" in row[2] for row in seen.panel())
    seen.page.fill("#search", "<")
    names = {str(n.properties.get("title") or n.properties.get("name")) for n in graph.nodes}
    shown = set(seen.js("() => Array.from(document.querySelectorAll('#results li')).map(li => li.textContent)"))
    assert shown == {f"{n.properties.get('title') or n.properties.get('name')} ({n.label.value})"
                     for n in graph.nodes if "<" in str(n.properties.get("title") or n.properties.get("name"))}
    assert len(shown) >= 3 and names
    injected = seen.js("""() => [document.querySelectorAll('img, svg, a, iframe, object, embed').length,
        document.scripts.length, document.querySelectorAll('[onerror], [onload], [href]').length]""")
    assert injected == [0, 4, 0]
