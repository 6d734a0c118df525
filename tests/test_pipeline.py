"""The main job on the bundled page: abstracts -> concepts -> store -> "papers sharing X"."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from kg import queries
from kg.errors import InputError, NotFoundError
from kg.graphs.nxstore import NetworkXStore
from kg.model import Label, RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor

COCO = r"\b(?:MS[- ]?)?COCO\b"
GPT2 = r"\bGPT-?2\b"
LLAMA2 = r"\bLlama-?2\b"
LLAMA3 = r"(?i)\bllama ?3"
SAE = r"(?i)sparse autoencoders?|\bSAEs?\b"


def titles(hits: list[queries.PaperHit]) -> set[str]:
    return {hit.title for hit in hits}


def test_coco_finds_exactly_the_coco_papers_not_refcoco(page_store: NetworkXStore,
                                                        papers_matching: Callable[[str], set[str]]) -> None:
    hits = queries.shared_concept(page_store, Label.DATASET, "COCO")
    assert titles(hits) == papers_matching(COCO) == {
        "YOLOE: Real-Time Seeing Anything",
        "DOEI: Dual Optimization of Embedding Information for Attention-Enhanced Class Activation Maps",
        "Explainable Semantic Space by Grounding Language to Vision with Cross-Modal Contrastive Learning",
    }
    assert titles(queries.shared_concept(page_store, Label.DATASET, "MS-COCO")) == titles(hits)
    refcoco = queries.shared_concept(page_store, Label.DATASET, "RefCOCO")
    assert titles(refcoco) == {"Reasoning to Attend: Try to Understand How <SEG> Token Works"}
    assert not titles(refcoco) & titles(hits)


def test_every_hit_carries_the_sentence_that_proves_it(page_store: NetworkXStore) -> None:
    for hit in queries.shared_concept(page_store, Label.DATASET, "COCO"):
        assert "COCO" in hit.evidence
        paper = page_store.nodes(Label.PAPER, ids=[hit.id])[0]
        assert hit.evidence in f"{paper.properties['title']}\n\n{paper.properties['abstract']}"


def test_gpt2_finds_the_four_gpt2_papers(page_store: NetworkXStore, papers_matching: Callable[[str], set[str]]) -> None:
    hits = queries.shared_concept(page_store, Label.MODEL, "GPT-2")
    assert titles(hits) == papers_matching(GPT2)
    assert len(hits) == 4
    assert {hit.concept for hit in hits} == {"GPT-2", "GPT-2 Small"}
    assert titles(queries.shared_concept(page_store, Label.MODEL, "gpt2")) == titles(hits)


def test_llama2_is_not_llama3(page_store: NetworkXStore, papers_matching: Callable[[str], set[str]]) -> None:
    llama2 = titles(queries.shared_concept(page_store, Label.MODEL, "Llama-2"))
    assert llama2 == papers_matching(LLAMA2)
    assert len(llama2) == 5
    for spelling in ("Llama2", "Llama 2", "LLaMA-2"):
        assert titles(queries.shared_concept(page_store, Label.MODEL, spelling)) == llama2
    llama3 = titles(queries.shared_concept(page_store, Label.MODEL, "Llama 3"))
    assert llama3 == papers_matching(LLAMA3)
    assert not llama2 & llama3


def test_family_finds_its_variants(page_store: NetworkXStore) -> None:
    llama3 = queries.shared_concept(page_store, Label.MODEL, "Llama 3")
    assert {name for hit in llama3 for name in hit.matched} == {"LLaMA3-8B", "LLaMA3-70B", "Llama 3.1 8B"}
    family = queries.shared_concept(page_store, Label.MODEL, "Llama")
    assert titles(llama3) | titles(queries.shared_concept(page_store, Label.MODEL, "Llama 2")) < titles(family)
    yolov8 = queries.shared_concept(page_store, Label.MODEL, "YOLOv8")
    assert [(hit.concept, hit.title) for hit in yolov8] == [("YOLOv8-L", "YOLOE: Real-Time Seeing Anything")]
    variant_edges = {(e.source, e.target) for e in page_store.edges([RelType.VARIANT_OF])}
    assert {("model:gpt2small", "model:gpt2"), ("model:yolov8l", "model:yolov8"), ("model:llama38b", "model:llama3"),
            ("model:gpt2", "model:gpt")} <= variant_edges


def test_sparse_autoencoders_and_saes_are_one_concept(page_store: NetworkXStore,
                                                     papers_matching: Callable[[str], set[str]]) -> None:
    long_form = queries.shared_concept(page_store, Label.METHOD, "sparse autoencoders")
    short_form = queries.shared_concept(page_store, Label.METHOD, "SAEs")
    assert long_form == short_form
    assert titles(long_form) == papers_matching(SAE)
    assert len({hit.concept_id for hit in long_form}) == 1


def test_acronyms_are_remembered_across_the_corpus(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "title": "Circuits", "abstract": "We study Indirect Object Identification (IOI) "
                    "and propose Zorblax, a new method for circuit discovery."}) + "\n"
        + json.dumps({"id": "b", "title": "More circuits", "abstract": "Our IOI experiments reuse Zorblax heads."}) + "\n"
    )
    store = NetworkXStore.open(tmp_path / "g.json", create=True)
    build([corpus], store, extractor=extractor)
    ioi = queries.shared_concept(store, Label.TASK, "IOI")
    assert [(h.id, h.concept) for h in ioi] == [("a", "indirect object identification"),
                                                ("b", "indirect object identification")]
    zorblax = queries.shared_concept(store, Label.METHOD, "Zorblax")
    assert [(h.id, h.role) for h in zorblax] == [("a", "PROPOSES"), ("b", "MENTIONS")]


def test_roles_follow_the_text(page_store: NetworkXStore) -> None:
    paper, links = queries.show_paper(page_store, "YOLOE: Real-Time Seeing Anything")
    roles = {(link.name, link.role) for link in links}
    assert {("YOLOE", "PROPOSES"), ("LVIS", "EVALUATES_ON"), ("COCO", "EVALUATES_ON"), ("AP", "EVALUATES_ON")} <= roles
    assert paper.properties["title"] == "YOLOE: Real-Time Seeing Anything"


def test_shared_with_paper_ranks_by_rare_shared_concepts(page_store: NetworkXStore) -> None:
    asked = "Interpreting Attention Layer Outputs with Sparse Autoencoders"
    related = queries.shared_with_paper(page_store, asked)
    top3 = {r.title: r for r in related[:3]}
    sae_paper = top3["Sparse Autoencoders Enable Scalable and Reliable Circuit Identification in Language Models"]
    assert {"sparse autoencoder", "indirect object identification"} <= set(sae_paper.shared)
    assert "autoencoder" not in sae_paper.shared
    assert "GPT-2" in top3["Circuit Component Reuse Across Tasks in Transformer Language Models"].shared
    assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
    assert asked not in {r.title for r in related}
    total = page_store.count(Label.PAPER)
    for concept_id in sae_paper.shared_ids:
        users = {h.id for h in queries.shared_concept(page_store, page_store.nodes(ids=[concept_id])[0].label,
                                                     str(page_store.nodes(ids=[concept_id])[0].properties["name"]))}
        assert sae_paper.id in users
    expected = sum(math.log((total + 1) / len({h.id for h in queries.shared_concept(
        page_store, n.label, str(n.properties["name"]))})) for n in page_store.nodes(ids=sae_paper.shared_ids))
    assert sae_paper.score == round(expected, 4)


def test_a_name_asked_under_another_type_still_answers(page_store: NetworkXStore) -> None:
    as_method = queries.shared_concept(page_store, Label.METHOD, "Transformer")
    as_model = queries.shared_concept(page_store, Label.MODEL, "transformers")
    assert as_method == as_model
    assert {hit.concept_id for hit in as_method} == {"model:transformer"}


def test_unknown_names_suggest_the_closest(page_store: NetworkXStore) -> None:
    with pytest.raises(NotFoundError) as caught:
        queries.shared_concept(page_store, Label.DATASET, "COCOO")
    assert str(caught.value).startswith("no dataset named 'COCOO'; did you mean: COCO")
    with pytest.raises(NotFoundError, match="no paper with id or title 'Nothing like this'"):
        queries.show_paper(page_store, "Nothing like this")


def test_papers_lists_every_paper_with_canonical_concepts(page_store: NetworkXStore) -> None:
    listed = queries.papers(page_store)
    assert len(listed) == 64
    yoloe = next(p for p in listed if p.title.startswith("YOLOE"))
    assert yoloe.datasets == ["COCO", "LVIS"]
    assert {"YOLOE", "YOLOv8-L", "YOLOE-v8-S"} <= set(yoloe.models)
    assert "AP" in yoloe.metrics


def test_rebuild_changes_nothing_and_a_second_file_adds(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "g.json"
    store = NetworkXStore.open(path, create=True)
    first = build([page_path], store, extractor=extractor)
    before = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    again = build([page_path], NetworkXStore.open(path), extractor=extractor)
    assert (first.papers_written, again.papers_written, again.papers_unchanged) == (64, 0, 64)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "new-1", "title": "Detecting on COCO", "abstract": "We evaluate on MS COCO."}) + "\n")
    build([extra], NetworkXStore.open(path), extractor=extractor)
    reopened = NetworkXStore.open(path)
    assert reopened.count(Label.PAPER) == 65
    assert "new-1" in {hit.id for hit in queries.shared_concept(reopened, Label.DATASET, "COCO")}


def test_an_edited_abstract_replaces_that_papers_edges(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "p.jsonl"
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on LVIS."}) + "\n")
    store = NetworkXStore.open(tmp_path / "g.json", create=True)
    build([corpus], store, extractor=extractor)
    corpus.write_text(json.dumps({"id": "p", "title": "T", "abstract": "We evaluate on ImageNet."}) + "\n")
    build([corpus], store, extractor=extractor)
    assert queries.papers(store)[0].datasets == ["ImageNet"]


def test_bad_input_leaves_the_store_exactly_as_it_was(tmp_path: Path, page_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "g.json"
    build([page_path], NetworkXStore.open(path, create=True), extractor=extractor)
    before = path.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "fine", "abstract": "We use COCO."}\n{not json}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        build([page_path, bad], NetworkXStore.open(path), extractor=extractor)
    assert path.read_bytes() == before
