"""Rendering the HTML page at 500, 5,000 and 20,000 nodes, beside plain pyvis, in the same run.

    python benchmarks/bench_render.py [--sizes 500 5000 20000] [--repeat 3] [--timeout 60]

Each graph has the shape of a real build (``bench_stores.synthetic_graph``):
four fifths papers, one fifth concepts (five types) with Zipf-like
popularity, four paper-to-concept edges per paper with evidence, and a family
link for one concept in ten; it is written to a NetworkX store in a temporary
directory. For each size the script times, as medians of ``--repeat`` runs:

* **ours, Python**: ``render_html`` of the whole graph (``--max-nodes`` = its size);
* **ours, Chromium**: navigation start to the network's first ``afterDrawing``;
* **pyvis, Python**: ``Network(cdn_resources="in_line").from_nx(G)`` + ``write_html``
  of the store's NetworkX graph (pyvis's default ``local`` mode fetches
  vis-network from a CDN, so it could not draw offline at all);
* **pyvis, Chromium**: the same measure on pyvis's page. It links Bootstrap from
  a CDN: those requests are aborted so the page cannot hang on them (the count
  is printed). A page not drawn within ``--timeout`` seconds is reported as such,
  and not tried again.

Chromium is Debian's ``/usr/bin/chromium``, headless, driven by Playwright.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from pyvis.network import Network

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_stores import synthetic_graph  # noqa: E402
from timing import median_seconds  # noqa: E402

from kg.explorer.html import PageFilter, render_html  # noqa: E402
from kg.graphs.embedded import EmbeddedStore  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# pyvis keeps its network in a global ``network``: note its first drawing the same way our page does.
HOOK = """(() => { let held; Object.defineProperty(window, "network", { configurable: true, get() { return held; },
  set(value) { held = value; if (value && value.once) {
    value.once("afterDrawing", () => { window.kgDrawnAt = performance.now(); }); } } }); })();"""


def synthetic_store(nodes: int, folder: Path) -> EmbeddedStore:
    """A NetworkX store of about ``nodes`` nodes: four fifths papers, the rest concepts of five types."""
    store = EmbeddedStore.open(folder / f"g{nodes}.kg", create=True)
    store.write(synthetic_graph(nodes * 4 // 5, nodes // 25, 4))
    return store


def time_to_drawn(context: Any, path: Path, timeout: float) -> tuple[float | None, int, int | None]:
    """Seconds from navigation start to the first drawing (``None`` if not within ``timeout``),
    the number of requests to non-file URLs (aborted), and the number of nodes the network holds."""
    page = context.new_page()
    remote: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            remote.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.add_init_script(HOOK)
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        # Polled from here: the page's Content-Security-Policy forbids the eval behind wait_for_function.
        while (drawn := page.evaluate("window.kgDrawnAt")) is None:
            if time.monotonic() > deadline:
                return None, len(remote), None
            page.wait_for_timeout(50)
        held = page.evaluate("(window.kgNetwork || window.network).body.nodeIndices.length")
        return drawn / 1000, len(remote), held
    except PlaywrightTimeout:
        return None, len(remote), None
    finally:
        page.close()


def drawn_median(context: Any, path: Path, repeat: int, timeout: float, nodes: int) -> tuple[float | None, int]:
    """Median time-to-drawn over ``repeat`` loads; stops at the first load that does not draw."""
    times = []
    remote = 0
    for _ in range(repeat):
        drawn, remote, held = time_to_drawn(context, path, timeout)
        if drawn is None:
            return None, remote
        assert held == nodes, f"{path.name}: the network holds {held} nodes, expected {nodes}"
        times.append(drawn)
    return statistics.median(times), remote


def pyvis_page(store: EmbeddedStore, out: Path) -> None:
    """Plain pyvis: ``from_nx`` of the store's graph, then ``write_html``."""
    net = Network(cdn_resources="in_line")
    net.from_nx(store.networkx().copy())
    net.write_html(str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a page to draw")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        os.chdir(folder)
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1400, "height": 900})
        for size in args.sizes:
            store = synthetic_store(size, folder)
            nodes, edges = sum(1 for _ in store.networkx().nodes), store.networkx().number_of_edges()
            ours, theirs = folder / f"ours{size}.html", folder / f"pyvis{size}.html"
            ours_py = median_seconds(lambda: render_html(store, ours, PageFilter(max_nodes=size)), args.repeat)
            ours_drawn, ours_remote = drawn_median(context, ours, args.repeat, args.timeout, nodes)
            pyvis_py = median_seconds(lambda: pyvis_page(store, theirs), args.repeat)
            pyvis_drawn, pyvis_remote = drawn_median(context, theirs, args.repeat, args.timeout, nodes)
            rows.append((size, nodes, edges, ours_py, ours_drawn, ours_remote, ours.stat().st_size,
                         pyvis_py, pyvis_drawn, pyvis_remote, theirs.stat().st_size))
            print(f"{size:,} nodes done", file=sys.stderr, flush=True)
        context.close()
    _report(rows, args.timeout, args.repeat)


def _report(rows: list[tuple[Any, ...]], timeout: float, repeat: int) -> None:
    def drawn(seconds: float | None) -> str:
        return f"{seconds:.2f}" if seconds is not None else f"not drawn in {timeout:.0f} s"

    print(f"medians of {repeat} runs; Chromium: navigation start to the first afterDrawing")
    print("| nodes | edges | ours: render (s) | ours: drawn in Chromium (s) | ours: page MB | "
          "pyvis from_nx + write_html (s) | pyvis: drawn in Chromium (s) | pyvis: page MB | "
          "remote requests (ours / pyvis) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, nodes, edges, o_py, o_dr, o_rem, o_mb, p_py, p_dr, p_rem, p_mb in rows:
        print(f"| {nodes:,} | {edges:,} | {o_py:.2f} | {drawn(o_dr)} | {o_mb / 1e6:.1f} | {p_py:.2f} | "
              f"{drawn(p_dr)} | {p_mb / 1e6:.1f} | {o_rem} / {p_rem} |")


if __name__ == "__main__":
    main()
