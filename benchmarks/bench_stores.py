"""Loading a synthetic 100k-paper graph (about 400k relationships) into each store, in the same run.

    python benchmarks/bench_stores.py --papers 100000 --neo4j-uri bolt://127.0.0.1:7687

The graph has the shape of a real build: papers with a title and a short
abstract, 5,000 concepts of each type with Zipf-like popularity, four
paper-to-concept relationships per paper carrying evidence properties, and a
family link for one concept in ten. Neo4j credentials come from
``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``; the database is emptied first, so point
it at a scratch server (``scripts/neo4j-server start``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
from pathlib import Path

from timing import median_seconds

from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jSettings, Neo4jStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Edge, Graph, Label, Node, RelType


def synthetic_graph(papers: int, concepts: int, per_paper: int, seed: int = 5) -> Graph:
    """A graph shaped like a build of ``papers`` abstracts."""
    rng = random.Random(seed)
    nodes: list[Node] = []
    by_label: dict[Label, list[str]] = {}
    for label in CONCEPT_LABELS:
        ids = [f"{label.value.lower()}:c{i}" for i in range(concepts)]
        by_label[label] = ids
        nodes.extend(Node(label, cid, {"name": f"{label.value} {i}", "keys": [f"c{i}"], "aliases": [],
                                       "origin": "corpus"}) for i, cid in enumerate(ids))
    edges: list[Edge] = []
    for label, ids in by_label.items():
        edges.extend(Edge(RelType.VARIANT_OF, ids[i], ids[i // 10], {}) for i in range(10, len(ids), 10))
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(concepts)))
    for n in range(papers):
        pid = f"paper:{n:08x}"
        nodes.append(Node(Label.PAPER, pid, {"title": f"Paper {n}", "abstract": "We study things. " * 8,
                                             "content_hash": f"{n:040x}"}))
        targets: set[str] = set()
        while len(targets) < per_paper:
            label = rng.choice(CONCEPT_LABELS)
            targets.add(rng.choices(by_label[label], cum_weights=weights)[0])
        for target in sorted(targets):
            sentence = f"We evaluate on {target} in paper {n}."
            mention = {"text": target, "start": 15, "end": 15 + len(target), "sentence": 0, "rule": "vocabulary",
                       "confidence": 0.95}
            edges.append(Edge(rng.choice(PAPER_CONCEPT_TYPES), pid, target, {
                "evidence": sentence, "sentences": [sentence], "confidence": 0.95, "count": 1,
                "mentions": json.dumps([mention])}))
    return Graph.of(nodes, edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--concepts", type=int, default=5_000, help="concepts of each type")
    parser.add_argument("--per-paper", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--neo4j-uri", default="bolt://127.0.0.1:7687")
    args = parser.parse_args()

    graph = synthetic_graph(args.papers, args.concepts, args.per_paper)
    rels = len(graph.edges)
    print(f"graph: {len(graph.nodes):,} nodes, {rels:,} relationships")

    def networkx_write() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            EmbeddedStore.open(Path(tmp) / "g.kg", create=True).write(graph)

    neo4j = Neo4jStore.connect(Neo4jSettings.from_env(args.neo4j_uri))

    def neo4j_write() -> None:
        neo4j.write(graph)

    results = {"NetworkX file store (write + save)": median_seconds(networkx_write, args.repeat),
               "Neo4j 5.26 over Bolt (batched UNWIND)": median_seconds(neo4j_write, args.repeat, before=neo4j.clear)}
    count = neo4j.cypher("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    assert count == rels, f"Neo4j holds {count} relationships, expected {rels}"
    neo4j.clear()
    neo4j.close()
    print(f"{'store':45} {'seconds':>8} {'relationships/s':>16}")
    for name, seconds in results.items():
        print(f"{name:45} {seconds:8.1f} {rels / seconds:16,.0f}")


if __name__ == "__main__":
    main()
