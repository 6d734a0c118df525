"""The explorer's view controls in a real headless Chromium, on a page of 720 dated ACL Anthology abstracts and the
64 undated papers of the bundled page: colour by community, the year slider, the co-occurrence map view, labels
of the top concepts at every zoom, the PNG export, and communities collapsed on large pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.explorer.html import PALETTE, TOP_LABELS, render_html, render_page
from kg.explorer.pagedata import PageData, page_data
from kg.graphs.embedded import EmbeddedStore
from kg.model import CONCEPT_LABELS
from tests.explorer.test_html_browser import browser, open_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
CONCEPTS = {label.value for label in CONCEPT_LABELS}


@pytest.fixture(scope="module")
def dated(years_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PageData]:
    out = tmp_path_factory.mktemp("dated") / "graph.html"
    render_html(years_store, out)
    return out, page_data(years_store)


def _shown(data: PageData, visible: set[str]) -> dict[str, int]:
    return {"nodes": len(visible), "edges": sum(1 for e in data.edges if e.source in visible and e.target in visible)}


def test_colour_by_community_and_back(dated: tuple[Path, PageData], open_page: Any) -> None:
    path, data = dated
    seen = open_page(path)
    bert = next(n for n in data.nodes if n.id == "model:bert")
    paper = next(n for n in data.nodes if n.type == "Paper" and n.community >= 0)
    assert seen.js("() => kgColour('model:bert')") == "#3a7be8"
    seen.page.select_option("#colour-by", "community")
    assert seen.js("() => kgColour('model:bert')") == PALETTE[bert.community % len(PALETTE)]
    assert seen.js("id => kgColour(id)", paper.id) == PALETTE[paper.community % len(PALETTE)]
    seen.page.select_option("#colour-by", "type")
    assert seen.js("() => kgColour('model:bert')") == "#3a7be8"


def test_year_slider_keeps_papers_up_to_a_year_and_the_concepts_they_bring(dated: tuple[Path, PageData],
                                                                            open_page: Any) -> None:
    path, data = dated
    seen = open_page(path)
    assert seen.page.locator("#year-value").text_content() == "2024 and 64 undated"
    seen.page.fill("#year", "2019")
    seen.page.dispatch_event("#year", "input")
    papers = {n.id for n in data.nodes if n.type == "Paper" and n.year is not None and n.year <= 2019}
    brought = {e.target for e in data.edges if e.source in papers} & {n.id for n in data.nodes if n.type in CONCEPTS}
    others = {n.id for n in data.nodes if n.type != "Paper" and n.type not in CONCEPTS}
    assert seen.js("() => kgShown()") == _shown(data, papers | brought | others)
    assert seen.page.locator("#year-value").text_content() == "2019"
    seen.page.fill("#year", "2024")
    seen.page.dispatch_event("#year", "input")
    assert seen.js("() => kgShown()") == {"nodes": len(data.nodes), "edges": len(data.edges)}


def test_the_map_view_draws_concepts_by_association_strength(dated: tuple[Path, PageData], open_page: Any) -> None:
    path, data = dated
    seen = open_page(path)
    seen.page.get_by_role("button", name="Co-occurrence map").click()
    assert seen.js("() => document.body.dataset.view") == "map"
    assert seen.js("() => kgShown()") == {"nodes": len(data.map.positions), "edges": len(data.map.links)}
    drawn = seen.js("() => kgNetwork.getPositions(['model:bert'])['model:bert']")
    assert (drawn["x"], drawn["y"]) == pytest.approx(data.map.positions["model:bert"], abs=1)  # vis rounds
    seen.page.fill("#min-papers", "10")
    kept = {n.id for n in data.nodes if n.id in data.map.positions and n.papers >= 10}
    links = sum(1 for a, b, _, _ in data.map.links if a in kept and b in kept)
    assert seen.js("() => kgShown()") == {"nodes": len(kept), "edges": links}
    seen.page.get_by_role("button", name="Papers and concepts").click()
    assert seen.js("() => document.body.dataset.view") == "papers"


def test_top_concepts_keep_their_labels_at_every_zoom(dated: tuple[Path, PageData], open_page: Any) -> None:
    path, data = dated
    seen = open_page(path)
    ranked = sorted((n for n in data.nodes if n.type in CONCEPTS), key=lambda n: (-n.papers, n.name.casefold(), n.id))
    top, rest = ranked[0], ranked[TOP_LABELS]
    for scale in (0.1, 0.4, 2.0):
        seen.js("s => kgNetwork.moveTo({scale: s})", scale)
        seen.page.wait_for_timeout(200)  # the next frames redraw at the new scale
        shown = seen.js("([a, b]) => [a, b].map(id => kgApp.nodes.get(id).font.size * kgNetwork.getScale())",
                        [top.id, rest.id])
        assert shown[0] >= 14
        if scale != 0.4:  # vis-network draws a label from 7 px on: the others only when zoomed in
            assert (shown[1] >= 7) == (scale >= 2.0)


def test_save_png_downloads_the_view(dated: tuple[Path, PageData], open_page: Any, tmp_path: Path) -> None:
    path, _ = dated
    seen = open_page(path)
    with seen.page.expect_download() as download:
        seen.page.get_by_role("button", name="Save PNG").click()
    download.value.save_as(tmp_path / "view.png")
    png = (tmp_path / "view.png").read_bytes()
    assert download.value.suggested_filename == "kg-view.png" and png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert [width, height] == seen.js("() => [document.querySelector('#network canvas').width, "
                                      "document.querySelector('#network canvas').height]")
    assert seen.js("() => document.querySelectorAll('a').length") == 0


def test_a_large_page_opens_with_communities_collapsed(dated: tuple[Path, PageData], open_page: Any,
                                                       tmp_path: Path) -> None:
    _, data = dated
    out = tmp_path / "collapsed.html"
    out.write_text(render_page(data, collapse_above=500), encoding="utf-8")
    seen = open_page(out)
    communities = {n.community for n in data.nodes if n.community >= 0}
    loose = sum(1 for n in data.nodes if n.community < 0)
    assert seen.js("() => kgCollapsed()") is True
    assert seen.js("() => kgNetwork.body.nodeIndices.length") == len(communities) + loose
    biggest = max(communities, key=lambda c: sum(1 for n in data.nodes if n.community == c))
    size = sum(1 for n in data.nodes if n.community == biggest)
    seen.js("id => kgNetwork.openCluster(id)", f"community:{biggest}")
    assert seen.js("() => kgNetwork.body.nodeIndices.length") == len(communities) + loose - 1 + size
    seen.page.get_by_role("button", name="Expand communities").click()
    assert seen.js("() => kgNetwork.body.nodeIndices.length") == len(data.nodes)
    seen.page.get_by_role("button", name="Collapse communities").click()
    assert seen.js("() => kgNetwork.body.nodeIndices.length") == len(communities) + loose
