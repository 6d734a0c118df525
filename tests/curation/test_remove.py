"""Retraction: kg remove takes a paper and everything only it supported, on both stores."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import main
from kg.curation.remove import remove_papers
from kg.errors import NotFoundError
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label, RelType
from kg.paper import PaperRecord
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from tests.conftest import FIXTURES

YOLOE = "YOLOE: Real-Time Seeing Anything"


def copy_store(store: EmbeddedStore, tmp_path: Path) -> EmbeddedStore:
    shutil.copy(store.path, tmp_path / "copy.kg")
    return EmbeddedStore.open(tmp_path / "copy.kg")


def concept_counts(store: EmbeddedStore) -> dict[str, int]:
    return {c.id: c.papers_with_variants for c in queries.concepts(store)}


def test_removing_a_paper_equals_never_having_built_it(page_store: EmbeddedStore, page_papers: list[PaperRecord],
                                                       tmp_path: Path, extractor: Extractor) -> None:
    store = copy_store(page_store, tmp_path)
    yoloe = next(p for p in page_papers if p.title == YOLOE)
    report = remove_papers(store, [YOLOE])
    assert (report.removed, report.kept_as_stubs) == ([yoloe.id], [])
    assert {"dataset:lvis", "model:yoloe", "model:yoloev8s", "repository:github.com/thu-mig/yoloe"} <= set(report.pruned)
    assert "dataset:coco" not in report.pruned
    without = tmp_path / "without.jsonl"
    without.write_text("".join(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract}) + "\n"
                               for p in page_papers if p.id != yoloe.id))
    fresh = EmbeddedStore.open(tmp_path / "fresh.kg", create=True)
    build([without], fresh, extractor=extractor)
    assert concept_counts(store) == concept_counts(fresh)
    assert {e.key for e in store.edges()} == {e.key for e in fresh.edges()}
    assert [h.title for h in queries.shared_concept(store, Label.DATASET, "COCO")] == [
        h.title for h in queries.shared_concept(fresh, Label.DATASET, "COCO")]


def test_a_cited_paper_stays_as_a_stub(tmp_path: Path, extractor: Extractor) -> None:
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([FIXTURES / "citeseer" / "papers.jsonl.gz"], store, extractor=extractor)
    rows = [json.loads(line) for line in gzip.decompress((FIXTURES / "citeseer" / "papers.jsonl.gz").read_bytes()).splitlines()]
    cited_by: dict[str, set[str]] = {}
    for row in rows:
        for ref in row["references"]:
            if ref != row["id"]:
                cited_by.setdefault(ref, set()).add(row["id"])
    cited = max((r for r in rows if r["id"] in cited_by), key=lambda r: (len(cited_by[r["id"]]), r["id"]))
    report = remove_papers(store, [cited["id"]])
    assert report.kept_as_stubs == [cited["id"]]
    node = store.nodes(ids=[cited["id"]])[0]
    assert node.properties == {"stub": True}
    assert {e.source for e in store.edges([RelType.CITES], targets=[cited["id"]])} == cited_by[cited["id"]]
    assert store.edges(sources=[cited["id"]]) == []


def test_an_edited_abstract_prunes_what_only_it_used(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "p.jsonl"
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on LVIS with YOLOv8-L."}) + "\n")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor)
    assert {"dataset:lvis", "model:yolov8l", "model:yolov8", "model:yolo"} <= {n.id for n in store.nodes()}
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on ImageNet."}) + "\n")
    build([corpus], store, extractor=extractor)
    assert sorted(n.id for n in store.nodes() if n.label is not Label.PAPER) == ["dataset:imagenet"]


def test_remove_answers_the_same_on_neo4j(neo4j_store, page_store: EmbeddedStore, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.write(page_store.read())
    store = copy_store(page_store, tmp_path)
    assert remove_papers(neo4j_store, [YOLOE]) == remove_papers(store, [YOLOE])
    assert neo4j_store.read() == store.read()


def test_remove_command(page_store: EmbeddedStore, tmp_path: Path) -> None:
    store = copy_store(page_store, tmp_path)
    before = store.path.read_bytes()
    missing = CliRunner().invoke(main, ["remove", "no such paper title", "--store", str(store.path)])
    assert missing.exit_code == 1 and "no paper with id or title" in missing.stderr
    assert store.path.read_bytes() == before
    done = CliRunner().invoke(main, ["remove", YOLOE, "--json", "--store", str(store.path)])
    assert done.exit_code == 0 and len(json.loads(done.stdout)["removed"]) == 1
    with pytest.raises(NotFoundError):
        queries.find_paper(EmbeddedStore.open(store.path), YOLOE)
