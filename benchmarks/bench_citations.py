"""Building the full CiteSeer corpus (3,186 papers, 4,539 references) and scoring co-citation.

    python benchmarks/bench_citations.py --repeat 3

Prints the median build time into a new NetworkX store, the peak memory of a build (measured in
a fresh process), and the median time of ``related --by cocitation``, ``--by coupling`` and
``--by all`` for the most cited paper.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds

from kg import queries as citation_queries
from kg.graphs.embedded import EmbeddedStore
from kg.model import RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent
CITESEER = ROOT / "tests" / "fixtures" / "citeseer" / "papers.jsonl.gz"


def peak_memory_mb() -> float:
    """Peak resident memory of one build, in a fresh Python process."""
    code = (
        "import resource, tempfile, pathlib\n"
        "from kg.graphs.embedded import EmbeddedStore\nfrom kg.pipeline.build import build\n"
        f"build([{str(CITESEER)!r}], EmbeddedStore.open(pathlib.Path(tempfile.mkdtemp()) / 'g.json', create=True))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    extractor = Extractor()
    list(extractor.extract([]))
    tmp = Path(tempfile.mkdtemp())

    def full_build() -> None:
        path = tmp / f"g{time.monotonic_ns()}.json"
        build([CITESEER], EmbeddedStore.open(path, create=True), extractor=extractor)

    seconds = median_seconds(full_build, args.repeat)
    store = EmbeddedStore.open(next(tmp.glob("g*.json")))
    counts: dict[str, int] = {}
    for edge in store.edges([RelType.CITES], fields=[]):
        counts[edge.target] = counts.get(edge.target, 0) + 1
    paper = max(counts, key=lambda p: (counts[p], p))
    print(f"CiteSeer build into a new NetworkX store: {seconds:.2f} s (median of {args.repeat}), "
          f"peak memory {peak_memory_mb():.0f} MB (fresh process)")
    print(f"scoring for {paper} (cited {counts[paper]} times), median of {args.repeat}:")
    for by in ("cocitation", "coupling", "all"):
        took = median_seconds(lambda: citation_queries.related(store, paper, by), args.repeat)
        print(f"  related --by {by:10} {took * 1000:8.1f} ms")
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak)")


if __name__ == "__main__":
    main()
