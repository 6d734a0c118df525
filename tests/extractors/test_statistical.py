"""The trained recogniser: shipped in the package, voting with the rules, reproducible with `kg train`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language
from spacy.tokens import DocBin, Span, SpanGroup

from kg import queries
from kg.cli import main
from kg.extractors import COMPONENTS
from kg.extractors.pipeline import make_pipeline
from kg.extractors.statistical import MODEL_GROUP, default_model_path
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from kg.quality.gold import read_gold, scirex_documents
from kg.quality.train import TRAIN_LABELS, build_corpora, training_doc

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


@pytest.fixture(scope="module")
def model_nlp() -> Language:
    return make_pipeline(extractor="model")


@pytest.fixture(scope="module")
def both_nlp() -> Language:
    return make_pipeline(extractor="both")


def found(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(span.text, span.label_, span.id_) for span in doc.spans["kg"]]


def test_the_model_is_shipped_small_and_loads_without_download() -> None:
    path = default_model_path()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert (path / "config.cfg").exists() and (path / "ner" / "model").exists()
    assert size <= 25 * 1024 * 1024
    assert spacy.load(path).pipe_names == ["ner"]


def test_each_extractor_builds_its_own_pipeline(model_nlp: Language, both_nlp: Language) -> None:
    assert make_pipeline(extractor="rules").pipe_names == list(COMPONENTS)
    assert model_nlp.pipe_names == ["kg_ner", "kg_model_spans", "kg_mentions"]
    assert both_nlp.pipe_names == [*COMPONENTS[:-1], "kg_ner", "kg_model_spans", "kg_mentions"]


def test_model_spans_carry_the_model_rule(model_nlp: Language) -> None:
    doc = model_nlp("We evaluate our parser on the Penn Treebank and report F1 scores.")
    assert [span.id_ for span in doc.spans[MODEL_GROUP]] == ["model"] * len(doc.spans[MODEL_GROUP])
    assert [(e.text, e.label_) for e in doc.ents] == [(s.text, s.label_) for s in doc.spans[MODEL_GROUP]]


def _merge_with(nlp: Language, text: str, model_spans: list[tuple[int, int, str]]) -> list[tuple[str, str, str]]:
    """Run the rules on ``text``, add the given recogniser spans (token offsets), then merge."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline[:-1]:
        doc = component(doc)
    doc.spans[MODEL_GROUP] = SpanGroup(doc, name=MODEL_GROUP,
                                       spans=[Span(doc, s, e, label=label, span_id="model") for s, e, label in model_spans])
    doc = nlp.get_pipe("kg_mentions")(doc)
    return [(span.text, span.label_, span.id_) for span in doc.spans["kg"]]


def test_votes_a_vocabulary_or_acronym_name_beats_an_overlapping_model_span(nlp: Language) -> None:
    text = "We study BERT pretraining on the MS COCO dataset with a lattice parser for statistical machine translation."
    # tokens: We study BERT pretraining on the MS COCO dataset with a lattice parser for statistical machine translation .
    merged = _merge_with(nlp, text, [(2, 4, "METHOD"), (6, 9, "DATASET"), (11, 13, "METHOD"), (14, 17, "TASK")])
    assert merged == [
        ("BERT", "MODEL", "vocabulary"),          # "BERT pretraining" overlaps the names BERT and pretraining
        ("pretraining", "METHOD", "vocabulary"),
        ("MS COCO", "DATASET", "vocabulary"),     # "MS COCO dataset" keeps the name: one COCO concept
        ("lattice parser", "METHOD", "model"),    # no rule found it: the model's span
        ("machine translation", "TASK", "vocabulary"),
    ]


def test_model_finds_what_the_rules_do_not_know(model_nlp: Language, nlp: Language) -> None:
    # a sentence of the NSR abstract on the bundled page
    text = ("The core representation of NSR is a Grounded Symbol System (GSS) with combinatorial syntax and "
            "semantics, which entirely emerges from training data.")
    assert found(model_nlp, text) == [("NSR", "METHOD", "model"), ("GSS", "METHOD", "model")]
    assert found(nlp, text) == []


def test_both_takes_the_acronym_type_over_the_model_type(model_nlp: Language, nlp: Language,
                                                          both_nlp: Language) -> None:
    text = "We propose Neural-Symbolic Recursive Machine (NSR) to tackle this deficiency."
    # the recogniser types the two forms differently; the acronym rule makes them one concept, one type
    assert found(model_nlp, text) == [("Neural-Symbolic Recursive Machine", "METHOD", "model"), ("NSR", "MODEL", "model")]
    assert found(both_nlp, text) == found(nlp, text) == [
        ("Neural-Symbolic Recursive Machine", "MODEL", "abbreviation"), ("NSR", "MODEL", "abbreviation")]


def test_both_keeps_the_page_answers(tmp_path: Path, page_path: Path, both_nlp: Language,
                                     papers_matching: Callable[[str], set[str]]) -> None:
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([page_path], store, extractor=Extractor(both_nlp))

    def titles(label: Label, name: str) -> set[str]:
        return {hit.title for hit in queries.shared_concept(store, label, name)}

    coco = titles(Label.DATASET, "COCO")
    assert coco == papers_matching(r"\b(?:MS[- ]?)?COCO\b") and len(coco) == 3
    assert not coco & titles(Label.DATASET, "RefCOCO")
    assert len(titles(Label.MODEL, "GPT-2")) == 4
    llama2 = titles(Label.MODEL, "Llama-2")
    assert len(llama2) == 5 and not llama2 & titles(Label.MODEL, "Llama 3")
    assert titles(Label.METHOD, "SAEs") == titles(Label.METHOD, "sparse autoencoders")


# -- training data ------------------------------------------------------------------


def test_scirex_passages_use_exclusive_word_ends() -> None:
    import json

    row = json.loads((GOLD / "scirex.jsonl").read_text())
    passages = list(scirex_documents(row, max_words=150))
    assert passages[0].text.startswith("Full - Resolution Residual Networks for Semantic Segmentation in Street Scenes")
    first = [(passages[0].text[s.start:s.end], s.label) for s in passages[0].spans]
    assert first[:2] == [("Full - Resolution Residual Networks", "Method"), ("Semantic Segmentation", "Task")]
    assert sum(len(p.spans) for p in passages) == len(row["ner"])
    assert all(len(p.text.split()) <= 150 + 60 for p in passages)


def test_training_docs_map_labels_and_drop_the_rest(nlp: Language) -> None:
    gold = read_gold(GOLD / "gsap.jsonl", "gsap")[0]
    doc = training_doc(nlp, gold, TRAIN_LABELS["gsap"])
    ents = {(e.text, e.label_) for e in doc.ents}
    assert {("SearchQA", "DATASET"), ("SQuAD", "DATASET"), ("DeepMind CNN/DailyMail", "DATASET")} <= ents
    assert {label for _, label in ents} <= {"DATASET", "MODEL", "METHOD", "TASK"}


def test_build_corpora_and_kg_train_end_to_end(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    for corpus, name in (("scierc", "scierc"), ("gsap-ner", "gsap"), ("tdmsci", "tdmsci"), ("scirex", "scirex")):
        (shared / corpus).mkdir(parents=True)
        shutil.copy(GOLD / f"{name}.jsonl", shared / corpus / "train.jsonl")
    summary = build_corpora(shared, tmp_path / "corpus", corpora=("scierc", "gsap", "tdmsci", "scirex"))
    written = {k: summary.train_docs.get(k, 0) + summary.valid_docs.get(k, 0) for k in ("scierc", "gsap", "tdmsci")}
    assert written == {"scierc": 2, "gsap": 2, "tdmsci": 2}
    nlp = spacy.blank("en")
    train = list(DocBin().from_disk(tmp_path / "corpus" / "train.spacy").get_docs(nlp.vocab))
    assert {e.label_ for doc in train for e in doc.ents} <= {"DATASET", "MODEL", "METHOD", "TASK", "METRIC"}
    result = CliRunner().invoke(main, ["train", "--shared", str(shared), "--workdir", str(tmp_path / "out"),
                                       "--config", "training/config.cfg", "--max-steps", "2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "model" / "model-best" / "ner" / "model").exists()
    trained = make_pipeline(extractor="model", recognizer=str(tmp_path / "out" / "model" / "model-best"))
    assert trained.pipe_names == ["kg_ner", "kg_model_spans", "kg_mentions"]
