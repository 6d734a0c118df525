"""The explorer at 20,000 nodes in Chromium: time to the first frame, and how fast a hover answers.

    python benchmarks/bench_explorer.py [--nodes 20000] [--repeat 5]

The graph has the shape of a real build (``bench_stores.synthetic_graph``: four
fifths papers, one fifth concepts with Zipf-like popularity, four
paper-to-concept edges per paper), written to an embedded store in a temporary
directory and rendered whole (``--max-nodes`` = its size), so the page opens
with its communities collapsed (more than 2,000 nodes). Measured, as medians of
``--repeat`` runs in Debian's headless ``/usr/bin/chromium`` driven by Playwright:

* **first frame**: navigation start to the network's first ``afterDrawing``;
* **hover**: a ``mousemove`` dispatched on the canvas over a node, to the end of
  the next animation frame (vis-network finds the node under the pointer in the
  event handler and redraws in that frame), collapsed and with every community
  expanded; the node found is checked;
* **expand**: the "Expand communities" button to the next frame (all nodes drawn).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_render import ARGS, CHROMIUM, synthetic_store  # noqa: E402

from kg.explorer.html import PageFilter, render_html  # noqa: E402

HOVER = """async (id) => {
  const net = window.kgNetwork, canvas = document.querySelector("#network canvas");
  net.moveTo({position: net.getPositions([id])[id], scale: 1.5});
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)));
  const dom = net.canvasToDOM(net.getPositions([id])[id]), box = canvas.getBoundingClientRect();
  const found = net.getNodeAt(dom);
  const start = performance.now();
  canvas.dispatchEvent(new MouseEvent("mousemove", {clientX: box.left + dom.x, clientY: box.top + dom.y, bubbles: true}));
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - start, found];
}"""
EXPAND = """async () => {
  const start = performance.now();
  document.getElementById("collapse").click();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - start, window.kgNetwork.body.nodeIndices.length];
}"""


def _open(context: Any, path: Path) -> tuple[Any, float]:
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="commit")
    while (drawn := page.evaluate("window.kgDrawnAt")) is None:
        page.wait_for_timeout(20)
    return page, drawn / 1000


def _hover(page: Any, node: str) -> float:
    seconds, found = page.evaluate(HOVER, node)
    assert found is not None, f"no node under the pointer at {node!r}"
    return float(seconds) / 1000


def measure(context: Any, path: Path, nodes: int, repeat: int) -> dict[str, float]:
    """Medians over ``repeat`` fresh loads of the page."""
    runs: dict[str, list[float]] = {"first frame": [], "hover, collapsed": [], "expand": [], "hover, expanded": []}
    for _ in range(repeat):
        page, drawn = _open(context, path)
        runs["first frame"].append(drawn)
        if page.evaluate("() => kgCollapsed()"):
            cluster = page.evaluate("() => kgNetwork.body.nodeIndices.find(id => kgNetwork.isCluster(id))")
            runs["hover, collapsed"].append(_hover(page, cluster))
            seconds, shown = page.evaluate(EXPAND)
            assert shown == nodes, f"expanded to {shown} nodes, expected {nodes}"
            runs["expand"].append(float(seconds) / 1000)
        concept = page.evaluate("() => kgApp.data.top[0]")
        runs["hover, expanded"].append(_hover(page, concept))
        page.close()
    return {name: statistics.median(values) for name, values in runs.items() if values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        store = synthetic_store(args.nodes, folder)
        out = folder / "explorer.html"
        started = time.perf_counter()
        summary = render_html(store, out, PageFilter(max_nodes=args.nodes))
        render = time.perf_counter() - started
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1400, "height": 900})
        found = measure(context, out, summary.nodes, args.repeat)
        context.close()
        print(f"{summary}; render {render:.1f} s; page {out.stat().st_size / 1e6:.1f} MB")
    print(f"medians of {args.repeat} loads in headless Chromium ({CHROMIUM})")
    for name, seconds in found.items():
        print(f"| {name} | {seconds * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
