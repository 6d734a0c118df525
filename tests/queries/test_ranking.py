"""Concepts ranked by papers: counts checked against the edges themselves."""

from __future__ import annotations

from collections import defaultdict

from kg import queries
from kg.graphs.embedded import EmbeddedStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label, RelType


def test_paper_counts_are_the_distinct_papers_on_the_edges(page_store: EmbeddedStore) -> None:
    users: dict[str, set[str]] = defaultdict(set)
    for edge in page_store.edges(PAPER_CONCEPT_TYPES):
        users[edge.target].add(edge.source)
    ranked = queries.concepts(page_store)
    assert len(ranked) == sum(page_store.count(label) for label in CONCEPT_LABELS)
    assert {c.id: c.papers for c in ranked} == {c.id: len(users.get(c.id, ())) for c in ranked}
    keys = [(-c.papers, -c.papers_with_variants, c.name.casefold(), c.id) for c in ranked]
    assert keys == sorted(keys)


def test_a_family_counts_the_papers_of_its_variants(page_store: EmbeddedStore) -> None:
    llama = next(c for c in queries.concepts(page_store, Label.MODEL) if c.id == "model:llama")
    assert llama.papers_with_variants == len(queries.shared_concept(page_store, Label.MODEL, "Llama"))
    assert llama.papers_with_variants > llama.papers
    parents = {e.source: e.target for e in page_store.edges([RelType.VARIANT_OF])}
    assert {c.id: c.family for c in queries.concepts(page_store)} == {
        c.id: parents.get(c.id) for c in queries.concepts(page_store)}


def test_type_and_top_keep_a_prefix_of_the_ranking(page_store: EmbeddedStore) -> None:
    datasets = queries.concepts(page_store, Label.DATASET)
    assert {c.type for c in datasets} == {"Dataset"} and len(datasets) == page_store.count(Label.DATASET)
    assert queries.concepts(page_store, Label.DATASET, top=3) == datasets[:3]
    assert datasets[0].name == "COCO" and datasets[0].papers == 3
