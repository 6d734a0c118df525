"""Throughput of the three extractors (rules, trained recogniser, both) on one core.

The corpus is the one of ``bench_extraction.py``: abstracts made by recombining
the sentences of real ones (the bundled page, plus SciERC and CiteSeer when the
shared data folder is present). Every pass runs in this one process with BLAS
and OpenMP limited to one thread.

    python benchmarks/bench_statistical.py --n 5000 --repeat 3

Prints the median of ``--repeat`` runs of each pass (abstracts per second), and
the bare ``spacy.blank("en")`` tokenizer pass of the same run for scale.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_name] = "1"

import spacy  # noqa: E402
from bench_extraction import corpus_from_command_line  # noqa: E402
from timing import median_seconds  # noqa: E402

from kg.extractors import EXTRACTORS  # noqa: E402
from kg.extractors.pipeline import make_pipeline  # noqa: E402
from kg.pipeline.extract import Extractor  # noqa: E402


def main() -> None:
    args, papers = corpus_from_command_line(__doc__.splitlines()[0], 5_000)
    texts = [p.text for p in papers]

    blank = spacy.blank("en")
    figures = {"bare spacy.blank('en') tokenizer": median_seconds(lambda: list(blank.pipe(texts, batch_size=256)), args.repeat)}
    for name in EXTRACTORS:
        extractor = Extractor(make_pipeline(extractor=name))
        list(extractor.extract(papers[:200]))  # warm up: load, allocate
        figures[f"--extractor {name}"] = median_seconds(lambda: list(extractor.extract(papers)), args.repeat)
    print(f"{'pass':36} {'seconds':>8} {'abstracts/s':>12}")
    for name, seconds in figures.items():
        print(f"{name:36} {seconds:8.2f} {len(papers) / seconds:12,.0f}")


if __name__ == "__main__":
    main()
