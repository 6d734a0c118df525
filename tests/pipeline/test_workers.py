"""Worker processes and Dask workers extract; the store is the same for any number of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import KGError
from kg.graphs.embedded import EmbeddedStore
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from kg.pipeline.workers import default_workers, extract_batches, extract_records
from tests.conftest import CITESEER
from tests.pipeline.test_stream import exported


def test_any_number_of_workers_builds_the_same_store(tmp_path: Path, extractor: Extractor) -> None:
    one = tmp_path / "one.kg"
    build([CITESEER], EmbeddedStore.open(one, create=True), extractor=extractor, batch_size=1_000_000)
    expected = exported(one, tmp_path)
    for workers in (1, 2, 3):
        path = tmp_path / f"w{workers}.kg"
        build([CITESEER], EmbeddedStore.open(path, create=True), extractor=Extractor(), workers=workers,
              batch_size=150)
        assert exported(path, tmp_path) == expected, workers


def test_workers_send_back_mention_records_in_order(page_papers: list, extractor: Extractor) -> None:
    batches = [page_papers[i:i + 9] for i in range(0, 64, 9)]
    got = list(extract_batches(batches, Extractor(), workers=2))
    assert [[e.paper.id for e in batch] for batch in got] == [[p.id for p in batch] for batch in batches]
    assert [e for batch in got for e in batch] == list(extractor.extract(page_papers))
    records = extract_records((None, "rules"), page_papers[:2])
    assert all(isinstance(mention.text, str) for mentions, _, _ in records for mention in mentions)
    assert default_workers() >= 1


def test_a_dask_cluster_builds_the_same_store(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.kg"
    build([page_path], EmbeddedStore.open(local, create=True), extractor=extractor)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = tmp_path / "dask.kg"
        build([page_path], EmbeddedStore.open(remote, create=True), extractor=Extractor(), batch_size=10,
              scheduler=cluster.scheduler_address)
    assert exported(remote, tmp_path) == exported(local, tmp_path)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path, page_path: Path) -> None:
    pytest.importorskip("distributed")
    with pytest.raises(KGError, match="cannot reach the Dask scheduler"):
        build([page_path], EmbeddedStore.open(tmp_path / "g.kg", create=True), scheduler="tcp://127.0.0.1:9")
