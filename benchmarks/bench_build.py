"""Whole-process ``kg build`` at scale: abstracts/s per worker count, peak RSS, the tokenizer ratio,
and a projection to a million abstracts with its formula.

    python benchmarks/bench_build.py CORPUS.jsonl[.xz] --n 20000 --workers 1 2 --repeat 3

The first ``--n`` papers of the corpus (real abstracts; the shared corpora are
xz-compressed JSON lines) are copied to a temporary JSON Lines file. Each run is a
fresh ``kg build`` process into a new store (``--quiet``), timed as a whole and
measured for peak RSS (``wait4``: the largest of the process and its workers); in the
same run, a bare ``spacy.blank("en")`` tokenizer pass over the same texts gives
the ratio. Medians of ``--repeat`` runs. These machines are shared: read the
ratios, which come from one run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from kg.corpus.readers import iter_corpus


def _corpus(source: Path, n: int, out: Path) -> list[str]:
    texts = []
    with open(out, "w", encoding="utf-8") as sink:
        for paper in itertools.islice(iter_corpus(source), n):
            sink.write(json.dumps({"id": paper.id, "title": paper.title, "abstract": paper.abstract}) + "\n")
            texts.append(paper.text)
    return texts


def _tokenizer_seconds(texts: list[str]) -> float:
    nlp = spacy.blank("en")
    start = time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts, batch_size=1000):  # type: ignore[union-attr]
        pass
    return time.perf_counter() - start


def _build(corpus: Path, workers: int, folder: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB, the largest of the process and its workers) of one ``kg build``."""
    store = folder / f"w{workers}.kg"
    store.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store),
                                "--quiet", "--workers", str(workers)], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"kg build failed ({process.returncode})")
    return seconds, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts = _corpus(args.corpus, args.n, folder / "corpus.jsonl")
        n = len(texts)
        tokenizer = statistics.median(_tokenizer_seconds(texts) for _ in range(args.repeat))
        print(f"{n} abstracts; bare tokenizer: {n / tokenizer:,.0f} abstracts/s (median of {args.repeat})")
        rates = {}
        for workers in args.workers:
            runs = [_build(folder / "corpus.jsonl", workers, folder) for _ in range(args.repeat)]
            seconds = statistics.median(s for s, _ in runs)
            rates[workers] = n / seconds
            print(f"workers={workers}: {n / seconds:,.0f} abstracts/s whole process ({seconds:.1f} s), "
                  f"peak RSS {max(r for _, r in runs) / 1024:,.0f} MB, tokenizer ratio {tokenizer / seconds:.2f}x")
        base = min(args.workers)
        for workers in args.workers:
            if workers != base:
                print(f"speed-up workers={workers} vs {base}: {rates[workers] / rates[base]:.2f}x")
        best = max(rates.values())
        print(f"1M abstracts projected: 1,000,000 / {best:,.0f} abstracts/s = {1_000_000 / best / 60:,.0f} min "
              f"(linear in n: start-up and the final concept write are amortised; {os.cpu_count()} cores here)")


if __name__ == "__main__":
    main()
