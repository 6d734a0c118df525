"""Streaming builds: any batch size gives the same store as one batch; memory holds a batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.graphs.embedded import EmbeddedStore
from kg.graphs.exchange import export_graph
from kg.paper import PaperRecord
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from kg.pipeline.stream import Spool, Unique, batched
from tests.conftest import CITESEER


def exported(path: Path, tmp_path: Path) -> str:
    """The store as sorted node-link JSON (what ``kg export --format json`` writes)."""
    out = tmp_path / f"{path.stem}.json"
    export_graph(EmbeddedStore.open(path).read(), "json", out)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("corpus", ["page", "citeseer"])
def test_small_batches_build_the_same_store_as_one_batch(
    corpus: str, page_path: Path, tmp_path: Path, extractor: Extractor
) -> None:
    source = page_path if corpus == "page" else CITESEER
    whole, small = tmp_path / "whole.kg", tmp_path / "small.kg"
    one = build([source], EmbeddedStore.open(whole, create=True), extractor=extractor, batch_size=100_000)
    many = build([source], EmbeddedStore.open(small, create=True), extractor=extractor, batch_size=7)
    assert exported(whole, tmp_path) == exported(small, tmp_path)
    assert (one.papers_written, one.concepts_written, one.edges_written, one.mentions) == (
        many.papers_written, many.concepts_written, many.edges_written, many.mentions)
    assert one.citations == many.citations


def test_progress_names_every_stage_with_totals_at_the_end(page_path: Path, tmp_path: Path,
                                                         extractor: Extractor) -> None:
    seen: dict[str, tuple[int, int | None]] = {}
    build([page_path], EmbeddedStore.open(tmp_path / "g.kg", create=True), extractor=extractor, batch_size=10,
          progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    assert seen == {"read": (64, 64), "extract": (64, 64), "resolve": (64, 64), "write": (64, 64)}


def test_an_unwritable_store_fails_before_anything_is_read(tmp_path: Path, extractor: Extractor) -> None:
    from kg.errors import StoreError

    def never() -> list[PaperRecord]:
        raise AssertionError("read before the store was checked")

    with pytest.raises(StoreError, match="does not exist"):
        build([], EmbeddedStore.open(tmp_path / "missing" / "g.kg", create=True), extractor=extractor)
    from kg.pipeline.build import build_papers
    with pytest.raises(StoreError):
        build_papers(iter(never, None), EmbeddedStore.open(tmp_path / "missing" / "g.kg", create=True))


def test_batches_unique_papers_and_the_spool_round_trip(page_papers: list[PaperRecord], extractor: Extractor) -> None:
    assert [len(b) for b in batched(page_papers, 30)] == [30, 30, 4]
    unique = Unique([*page_papers, page_papers[0]])
    assert len(list(unique)) == 64 and (unique.read, unique.duplicates) == (65, 1)
    extractions = list(extractor.extract(page_papers[:5]))
    with Spool() as spool:
        spool.add(extractions[:2])
        spool.add(extractions[2:])
        assert [batch for batch in spool] == [extractions[:2], extractions[2:]]
