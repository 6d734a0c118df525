"""Extraction throughput and full build time, next to a bare spaCy tokenizer pass in the same run.

The corpus is made from real abstracts: the bundled listing page, plus, when
the shared data folder is present, SciERC and CiteSeer texts. New abstracts are
made by recombining real sentences (fixed seed), so no two are identical and
tokenizer caches do not flatter the figures.

    python benchmarks/bench_extraction.py --n 20000 --repeat 3

Prints medians of ``--repeat`` runs (abstracts per second) and the ratio of
each pass to the bare tokenizer measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import spacy
from timing import median_seconds

from kg.corpus.readers import read_corpus
from kg.extractors.pipeline import make_pipeline
from kg.extractors.vocabulary import default_stoplist, default_vocabulary
from kg.graphs.embedded import EmbeddedStore
from kg.paper import PaperRecord
from kg.pipeline.build import build_papers
from kg.pipeline.extract import Extractor
from kg.pipeline.resolve import Resolver
from kg.pipeline.sentences import sentence_bounds

ROOT = Path(__file__).resolve().parent.parent


def real_abstracts(shared: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs from the bundled page and, if present, SciERC and CiteSeer."""
    pairs = [(p.title, p.abstract) for p in read_corpus(ROOT / "examples" / "papers-page" / "papers.txt")]
    for split in ("train", "dev"):
        path = shared / "scierc" / f"{split}.jsonl"
        if path.exists():
            for line in path.read_text().splitlines():
                doc = json.loads(line)
                words = [w for sentence in doc["sentences"] for w in sentence]
                pairs.append((doc["doc_key"], " ".join(words)))
    citeseer = shared / "corpora" / "citeseer-orig" / "papers.jsonl"
    if citeseer.exists():
        for line in citeseer.read_text().splitlines():
            row = json.loads(line)
            pairs.append((row["id"], row["abstract"]))
    return pairs


def make_corpus(pairs: list[tuple[str, str]], n: int, seed: int = 13) -> list[PaperRecord]:
    """``n`` papers whose abstracts recombine real sentences (about as long as the originals)."""
    rng = random.Random(seed)
    sentences = [a[s:e] for _, a in pairs for s, e in sentence_bounds(a)]
    lengths = [len(sentence_bounds(a)) for _, a in pairs]
    papers = []
    for i in range(n):
        title = pairs[i % len(pairs)][0]
        picked = rng.sample(sentences, k=max(1, rng.choice(lengths)))
        papers.append(PaperRecord.create(id=f"bench-{i}", title=f"{title} ({i})", abstract=" ".join(picked)))
    return papers


def corpus_from_command_line(description: str, n: int) -> tuple[argparse.Namespace, list[PaperRecord]]:
    """Parse ``--n`` (default ``n``), ``--repeat`` and ``--shared``, make the corpus and print its size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=n, help="abstracts in the corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data", help="shared data folder")
    args = parser.parse_args()
    pairs = real_abstracts(args.shared)
    papers = make_corpus(pairs, args.n)
    words = sum(len(p.text.split()) for p in papers) / len(papers)
    print(f"corpus: {len(papers):,} abstracts from {len(pairs):,} real ones, {words:.0f} words each on average")
    return args, papers


def main() -> None:
    args, papers = corpus_from_command_line(__doc__.splitlines()[0], 20_000)
    texts = [p.text for p in papers]

    blank = spacy.blank("en")
    nlp = make_pipeline()
    extractor = Extractor(nlp)
    vocabulary, stoplist = default_vocabulary(), default_stoplist()

    def resolve_all() -> None:
        extractions = list(extractor.extract(papers))
        resolver = Resolver(vocabulary, stoplist)
        resolver.learn(extractions)
        for extraction in extractions:
            resolver.resolve(extraction)

    figures = {
        "bare spacy.blank('en') tokenizer": median_seconds(lambda: [d for d in blank.pipe(texts, batch_size=256)], args.repeat),
        "rule extraction, 1 process": median_seconds(lambda: list(extractor.extract(papers)), args.repeat),
        "rule extraction + corpus resolution": median_seconds(resolve_all, args.repeat),
        "rule extraction, 2 processes": median_seconds(lambda: list(extractor.extract(papers, n_process=2)), args.repeat),
    }

    def full_build() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            build_papers(papers, EmbeddedStore.open(Path(tmp) / "g.kg", create=True), extractor=extractor)

    figures["full build into a new NetworkX store"] = median_seconds(full_build, args.repeat)
    base = figures["bare spacy.blank('en') tokenizer"]
    print(f"{'pass':40} {'seconds':>8} {'abstracts/s':>12} {'vs bare':>8}")
    for name, seconds in figures.items():
        print(f"{name:40} {seconds:8.2f} {len(papers) / seconds:12,.0f} {base / seconds:8.0%}")


if __name__ == "__main__":
    main()
