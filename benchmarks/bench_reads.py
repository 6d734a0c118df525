"""Reads at 100k papers: whole-process read commands on the embedded store, against the JSON file store.

    python benchmarks/bench_reads.py STORE.kg [STORE.kg ...] --old-kg /path/to/old/bin/kg

For each built store (``kg build ... --store STORE.kg``) it prints, in the same run:

* the bytes of the database file beside the bytes of the same graph as node-link
  JSON (``kg export --format json``, the format the JSON file store kept its graph in);
* the seconds to write that graph into a new database (the index build), in the process;
* the engine's time for the top-10 aggregate alone, inside one process;
* the median of ``--repeat`` whole-process runs of each read command on the
  database file, and, with ``--old-kg``, of the same command of an older kg
  that reads the JSON file (its store format; ``--old-repeat`` runs), with the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds

from kg.graphs.embedded import EmbeddedStore
from kg.graphs.nodelink import read_node_link

TOP_DATASETS = ("MATCH (d:Dataset)<-[:EVALUATES_ON|USES]-(p:Paper) "
                "RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC, dataset LIMIT 10")


def commands(store: EmbeddedStore) -> dict[str, list[str]]:
    """The read commands timed, with arguments taken from the store itself."""
    top = store.cypher(TOP_DATASETS)[0]["dataset"]
    paper = store.cypher("MATCH (p:Paper)-[:EVALUATES_ON]->(:Dataset) RETURN p.id AS id ORDER BY id LIMIT 1")[0]["id"]
    return {
        "stats": ["stats"],
        "concepts --type dataset --top 10": ["concepts", "--type", "dataset", "--top", "10"],
        f"shared --dataset {top!r}": ["shared", "--dataset", top, "--limit", "20"],
        "show PAPER": ["show", paper],
        "shared --paper PAPER": ["shared", "--paper", paper, "--limit", "10"],
        "query top-10 datasets": ["query", TOP_DATASETS],
    }


def run(kg: str, argv: list[str], store: Path) -> None:
    done = subprocess.run([kg, *argv, "--store", str(store)], capture_output=True, text=True,
                          env={**os.environ, "NEO4J_URI": ""})
    if done.returncode != 0:
        raise SystemExit(f"{kg} {' '.join(argv)} failed: {done.stderr.strip()[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--old-kg", help="the kg command of a version whose store is a node-link JSON file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-repeat", type=int, default=1, help="runs of each older command (they are slow)")
    args = parser.parse_args()
    kg = shutil.which("kg") or str(Path(sys.executable).parent / "kg")
    for path in args.stores:
        with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
            exported = Path(tmp) / "graph.json"
            subprocess.run([kg, "export", "--format", "json", "--out", str(exported), "--store", str(path)],
                           check=True, capture_output=True)
            imported = Path(tmp) / "imported.kg"
            started = time.perf_counter()
            graph = read_node_link(exported)
            parse_seconds = time.perf_counter() - started

            def fresh() -> None:
                for leftover in (imported, Path(f"{imported}.lock")):
                    leftover.unlink(missing_ok=True)

            load_seconds = median_seconds(lambda: EmbeddedStore.open(imported, create=True).write(graph),
                                          args.repeat, before=fresh)
            store = EmbeddedStore.open(path)
            nodes = store.cypher("MATCH (n) RETURN count(n) AS n")[0]["n"]
            rels = store.cypher("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
            engine_top = median_seconds(lambda: store.cypher(TOP_DATASETS), max(args.repeat, 5))
            timed = commands(store)
            store.close()
            print(f"\n{path.name}: {nodes:,} nodes, {rels:,} relationships")
            print(f"  bytes on disk: database {path.stat().st_size / 1e6:,.1f} MB, node-link JSON "
                  f"{exported.stat().st_size / 1e6:,.1f} MB (ratio {path.stat().st_size / exported.stat().st_size:.2f})")
            print(f"  index build (the graph written into a new database, median of {args.repeat}): {load_seconds:.1f} s"
                  f" (reading the JSON export back into memory took {parse_seconds:.1f} s more)")
            print(f"  top-10 datasets aggregate in the engine (median of {max(args.repeat, 5)}): {engine_top:.3f} s")
            print(f"  {'command':40} {'database s':>10} {'JSON file s':>12} {'ratio':>7}")
            for name, argv in timed.items():
                new = median_seconds(lambda: run(kg, argv, path), args.repeat)
                try:
                    old = median_seconds(lambda: run(args.old_kg, argv, exported), args.old_repeat) if args.old_kg else None
                except SystemExit as exc:  # the older kg may not answer every command
                    print(f"  (older kg: {str(exc)[:200]})")
                    old = None
                shown = f"{old:12.2f} {old / new:6.1f}x" if old is not None else f"{'-':>12} {'-':>7}"
                print(f"  {name[:40]:40} {new:10.2f} {shown}", flush=True)
            print(json.dumps({"store": str(path), "nodes": nodes, "relationships": rels}))


if __name__ == "__main__":
    main()
