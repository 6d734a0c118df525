"""Concept families along VARIANT_OF, both ways, on the bundled page."""

from __future__ import annotations

from kg.graphs.embedded import EmbeddedStore
from kg.model import RelType
from kg.queries.families import ancestors, descendants, up


def test_descendants_map_every_variant_to_its_parent(page_store: EmbeddedStore) -> None:
    below = descendants(page_store, ["model:llama"])
    parents = {e.source: e.target for e in page_store.edges([RelType.VARIANT_OF])}
    assert {"model:llama3", "model:llama38b", "model:llama2"} <= set(below)
    assert all(parents[child] == parent for child, parent in below.items())
    reached = set(below) | {"model:llama"}
    assert all(parent in reached for parent in below.values())


def test_ancestors_climb_to_the_top_family(page_store: EmbeddedStore) -> None:
    assert ancestors(page_store, ["model:gpt2small"]) == {"model:gpt2small": "model:gpt2", "model:gpt2": "model:gpt"}
    assert ancestors(page_store, ["dataset:coco"]) == {}


def test_up_walks_nearest_first_within_scope() -> None:
    parents = {"a": "b", "b": "c", "c": "a"}
    assert list(up("a", parents, {"a", "b", "c"})) == ["a", "b", "c"]
    assert list(up("a", parents, {"c"})) == ["c"]
