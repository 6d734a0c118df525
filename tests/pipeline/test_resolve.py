"""Resolution across the corpus: acronyms and proposed names remembered from one paper resolve in the others."""

from __future__ import annotations

import json
from pathlib import Path

from kg import queries
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label, RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor


def test_acronyms_are_remembered_across_the_corpus(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "two.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "title": "Circuits", "abstract": "We study Indirect Object Identification (IOI) "
                    "and propose Zorblax, a new method for circuit discovery."}) + "\n"
        + json.dumps({"id": "b", "title": "More circuits", "abstract": "Our IOI experiments reuse Zorblax heads."}) + "\n"
    )
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor)
    ioi = queries.shared_concept(store, Label.TASK, "IOI")
    assert [(h.id, h.concept) for h in ioi] == [("a", "indirect object identification"),
                                                ("b", "indirect object identification")]
    zorblax = queries.shared_concept(store, Label.METHOD, "Zorblax")
    assert [(h.id, h.role) for h in zorblax] == [("a", "PROPOSES"), ("b", "MENTIONS")]


def _resolve(tmp_path: Path, extractor: Extractor, *abstracts: str) -> EmbeddedStore:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"p{i}", "title": f"Paper {i}", "abstract": text}) + "\n"
                              for i, text in enumerate(abstracts)))
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor)
    return store


def test_a_paper_s_own_acronym_wins_over_the_vocabulary(tmp_path: Path, extractor: Extractor) -> None:
    store = _resolve(tmp_path, extractor,
                     "We train with Sharpness-Aware Minimization (SAM) and show that SAM improves accuracy on CIFAR-10.")
    targets = {e.target for e in store.edges(sources=["p0"])}
    assert "method:sharpnessawareminimization" in targets
    assert not any(t.startswith("model:segmentanything") for t in targets)


def test_variants_link_to_their_family_and_datasets_never_do(tmp_path: Path, extractor: Extractor) -> None:
    store = _resolve(tmp_path, extractor, "We fine-tune GPT-2 Small and evaluate on COCO-Stuff and COCO.")
    variant = {(e.source, e.target) for e in store.edges([RelType.VARIANT_OF])}
    assert ("model:gpt2small", "model:gpt2") in variant
    datasets = {n.id for n in store.nodes(Label.DATASET)}
    assert {"dataset:coco", "dataset:cocostuff"} <= datasets
    assert not any(source.startswith("dataset:") for source, _ in variant)


def test_stoplisted_phrases_never_become_concepts(tmp_path: Path, extractor: Extractor) -> None:
    store = _resolve(tmp_path, extractor,
                     "We propose large language models (LLMs) for the task and compare them with other methods.")
    names = {str(n.properties["name"]).casefold() for label in (Label.MODEL, Label.METHOD)
             for n in store.nodes(label, fields=["name"])}
    assert "large language model" not in names and "llm" not in names


def test_a_corpus_concept_is_named_by_its_commonest_spelling(tmp_path: Path, extractor: Extractor) -> None:
    store = _resolve(tmp_path, extractor,
                     "We propose Zorblax-Net, a detector. Zorblax-Net beats baselines.",
                     "We adopt ZorblaxNet for detection; ZorblaxNet and Zorblax-Net agree.",
                     "We use Zorblax-Net.")
    concept = queries.find_concepts(store, Label.METHOD, "zorblax net")
    assert len(concept) == 1 and concept[0].properties["name"] == "Zorblax-Net"
