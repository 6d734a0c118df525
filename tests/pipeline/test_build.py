"""The main job on the bundled page: abstracts -> concepts -> store -> "papers sharing X"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import queries
from kg.errors import InputError
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor


def test_rebuild_changes_nothing_and_a_second_file_adds(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "g.kg"
    store = EmbeddedStore.open(path, create=True)
    first = build([page_path], store, extractor=extractor)
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    again = build([page_path], EmbeddedStore.open(path), extractor=extractor)
    assert (first.papers_written, again.papers_written, again.papers_unchanged) == (64, 0, 64)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "title": "Detecting on COCO", "abstract": "We evaluate on MS COCO."}) + "\n")
    build([extra], EmbeddedStore.open(path), extractor=extractor)
    reopened = EmbeddedStore.open(path)
    assert reopened.count(Label.PAPER) == 65
    assert "new-1" in {hit.id for hit in queries.shared_concept(reopened, Label.DATASET, "COCO")}


def test_an_edited_abstract_replaces_that_papers_edges(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "p.jsonl"
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on LVIS."}) + "\n")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor)
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on ImageNet."}) + "\n")
    build([corpus], store, extractor=extractor)
    assert queries.papers(store)[0].datasets == ["ImageNet"]


def test_bad_input_leaves_the_store_exactly_as_it_was(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "g.kg"
    build([page_path], EmbeddedStore.open(path, create=True), extractor=extractor)
    before = path.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "fine", "abstract": "We use COCO."}\n{not json}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        build([page_path, bad], EmbeddedStore.open(path), extractor=extractor)
    assert path.read_bytes() == before


def test_a_year_is_given_to_the_papers_that_carry_none(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    dated = tmp_path / "dated.jsonl"
    dated.write_text(json.dumps({"id": "d", "title": "Dated", "abstract": "We evaluate on LVIS.", "year": 2019}) + "\n")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([page_path, dated], store, extractor=extractor, year=2025)
    years = [n.properties.get("year") for n in EmbeddedStore.open(tmp_path / "g.kg").nodes(Label.PAPER)]
    assert sorted(years) == [2019] + [2025] * 64
    undated = EmbeddedStore.open(tmp_path / "u.kg", create=True)
    build([page_path], undated, extractor=extractor)
    assert queries.trends(EmbeddedStore.open(tmp_path / "u.kg")).undated_papers == 64
