"""Adding 1,000 papers to a 100,000-paper NetworkX store, against rebuilding all 101,000, in the same run.

    python benchmarks/bench_incremental.py --base 100000 --add 1000 --repeat 3

The papers are made from real abstracts as in ``bench_extraction.py`` (recombined
sentences of the bundled page, SciERC and CiteSeer; fixed seed). The base store is
built once; each incremental run starts from a fresh copy of its file and does what
``kg build NEW`` does: open the store (parse the JSON file), skip nothing, extract the
new papers, resolve them against the stored concepts, and save the whole file
atomically. Each rebuild extracts all papers into a new store. The same extractor
serves every run, so loading the pipeline is counted in neither.

Prints the median of ``--repeat`` runs of each (``--rebuild-repeat`` for the rebuild,
which takes minutes) and the ratio of the two.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_extraction import ROOT, make_corpus, real_abstracts
from timing import median_seconds

from kg.graphs.embedded import EmbeddedStore
from kg.pipeline.build import build_papers
from kg.pipeline.extract import Extractor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=100_000, help="papers in the store")
    parser.add_argument("--add", type=int, default=1_000, help="papers added to it")
    parser.add_argument("--repeat", type=int, default=3, help="incremental runs (median reported)")
    parser.add_argument("--rebuild-repeat", type=int, default=3, help="full rebuilds (median reported)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data", help="shared data folder")
    args = parser.parse_args()

    pairs = real_abstracts(args.shared)
    corpus = make_corpus(pairs, args.base + args.add)
    old, new = corpus[: args.base], corpus[args.base:]
    print(f"corpus: {len(corpus):,} abstracts from {len(pairs):,} real ones; "
          f"{len(old):,} in the store, {len(new):,} added", flush=True)
    extractor = Extractor()
    with tempfile.TemporaryDirectory() as tmp:
        base, copy, fresh = Path(tmp) / "base.json", Path(tmp) / "incremental.json", Path(tmp) / "rebuild.json"
        started = time.perf_counter()
        build_papers(old, EmbeddedStore.open(base, create=True), extractor=extractor)
        print(f"base store: {args.base:,} papers built in {time.perf_counter() - started:.1f} s, "
              f"{base.stat().st_size / 1e6:,.0f} MB", flush=True)

        opening: list[float] = []

        def add() -> None:  # what `kg build NEW --store COPY` does, without loading the pipeline
            started = time.perf_counter()
            store = EmbeddedStore.open(copy)
            opening.append(time.perf_counter() - started)
            assert build_papers(new, store, extractor=extractor).papers_written == len(new)

        def rebuild() -> None:
            assert build_papers(corpus, EmbeddedStore.open(fresh, create=True), extractor=extractor).papers_written \
                == len(corpus)

        incremental = median_seconds(add, args.repeat, before=lambda: shutil.copyfile(base, copy))
        print(f"incremental add of {len(new):,}: {incremental:.2f} s "
              f"(opening the store {statistics.median(opening):.2f} s of it)", flush=True)
        full = median_seconds(rebuild, args.rebuild_repeat, before=lambda: fresh.unlink(missing_ok=True))
        print(f"full rebuild of {len(corpus):,}: {full:.2f} s", flush=True)

    print()
    print(f"{'pass':44} {'runs':>4} {'median s':>9} {'papers/s':>9}")
    print(f"{f'incremental add of {len(new):,} to {len(old):,}':44} {args.repeat:>4} {incremental:9.2f} "
          f"{len(new) / incremental:9,.0f}")
    print(f"{f'full rebuild of {len(corpus):,}':44} {args.rebuild_repeat:>4} {full:9.2f} {len(corpus) / full:9,.0f}")
    print(f"incremental add / full rebuild: {incremental / full:.1%} of the time ({full / incremental:.0f}x faster)")


if __name__ == "__main__":
    main()
