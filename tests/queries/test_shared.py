"""Who shares what, on the bundled page: the papers of a concept and its variants, and the papers sharing most with a paper."""

from __future__ import annotations

import math
from collections.abc import Callable

from kg import queries
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label, RelType

COCO = r"\b(?:MS[- ]?)?COCO\b"
GPT2 = r"\bGPT-?2\b"
LLAMA2 = r"\bLlama-?2\b"
LLAMA3 = r"(?i)\bllama ?3"
SAE = r"(?i)sparse autoencoders?|\bSAEs?\b"


def titles(hits: list[queries.PaperHit]) -> set[str]:
    return {hit.title for hit in hits}


def test_coco_finds_exactly_the_coco_papers_not_refcoco(page_store: EmbeddedStore,
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


def test_every_hit_carries_the_sentence_that_proves_it(page_store: EmbeddedStore) -> None:
    for hit in queries.shared_concept(page_store, Label.DATASET, "COCO"):
        assert "COCO" in hit.evidence
        paper = page_store.nodes(Label.PAPER, ids=[hit.id])[0]
        assert hit.evidence in f"{paper.properties['title']}\n\n{paper.properties['abstract']}"


def test_gpt2_finds_the_four_gpt2_papers(page_store: EmbeddedStore, papers_matching: Callable[[str], set[str]]) -> None:
    hits = queries.shared_concept(page_store, Label.MODEL, "GPT-2")
    assert titles(hits) == papers_matching(GPT2)
    assert len(hits) == 4
    assert {hit.concept for hit in hits} == {"GPT-2", "GPT-2 Small"}
    assert titles(queries.shared_concept(page_store, Label.MODEL, "gpt2")) == titles(hits)


def test_llama2_is_not_llama3(page_store: EmbeddedStore, papers_matching: Callable[[str], set[str]]) -> None:
    llama2 = titles(queries.shared_concept(page_store, Label.MODEL, "Llama-2"))
    assert llama2 == papers_matching(LLAMA2)
    assert len(llama2) == 5
    for spelling in ("Llama2", "Llama 2", "LLaMA-2"):
        assert titles(queries.shared_concept(page_store, Label.MODEL, spelling)) == llama2
    llama3 = titles(queries.shared_concept(page_store, Label.MODEL, "Llama 3"))
    assert llama3 == papers_matching(LLAMA3)
    assert not llama2 & llama3


def test_family_finds_its_variants(page_store: EmbeddedStore) -> None:
    llama3 = queries.shared_concept(page_store, Label.MODEL, "Llama 3")
    assert {name for hit in llama3 for name in hit.matched} == {"LLaMA3-8B", "LLaMA3-70B", "Llama 3.1 8B"}
    family = queries.shared_concept(page_store, Label.MODEL, "Llama")
    assert titles(llama3) | titles(queries.shared_concept(page_store, Label.MODEL, "Llama 2")) < titles(family)
    yolov8 = queries.shared_concept(page_store, Label.MODEL, "YOLOv8")
    assert [(hit.concept, hit.title) for hit in yolov8] == [("YOLOv8-L", "YOLOE: Real-Time Seeing Anything")]
    variant_edges = {(e.source, e.target) for e in page_store.edges([RelType.VARIANT_OF])}
    assert {("model:gpt2small", "model:gpt2"), ("model:yolov8l", "model:yolov8"), ("model:llama38b", "model:llama3"),
            ("model:gpt2", "model:gpt")} <= variant_edges


def test_sparse_autoencoders_and_saes_are_one_concept(page_store: EmbeddedStore,
                                                     papers_matching: Callable[[str], set[str]]) -> None:
    long_form = queries.shared_concept(page_store, Label.METHOD, "sparse autoencoders")
    short_form = queries.shared_concept(page_store, Label.METHOD, "SAEs")
    assert long_form == short_form
    assert titles(long_form) == papers_matching(SAE)
    assert len({hit.concept_id for hit in long_form}) == 1


def test_shared_with_paper_ranks_by_rare_shared_concepts(page_store: EmbeddedStore) -> None:
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


def test_a_name_asked_under_another_type_still_answers(page_store: EmbeddedStore) -> None:
    as_method = queries.shared_concept(page_store, Label.METHOD, "Transformer")
    as_model = queries.shared_concept(page_store, Label.MODEL, "transformers")
    assert as_method == as_model
    assert {hit.concept_id for hit in as_method} == {"method:transformer"}  # an architecture: a method
