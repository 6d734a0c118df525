"""The spaCy components on spacy.blank("en"): what each rule finds in real abstract sentences."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from kg.extractors import COMPONENTS
from kg.extractors.abbreviations import find_definitions
from kg.extractors.gazetteer import Gazetteer
from kg.extractors.mentions import RULE_CONFIDENCE
from kg.extractors.vocabulary import Entry, Vocabulary
from kg.paper import PaperRecord
from kg.pipeline.extract import Extractor


def spans(nlp: Language, text: str, group: str = "kg") -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans[group]]


def abstract(papers: list[PaperRecord], title_start: str) -> str:
    return next(p.abstract for p in papers if p.title.startswith(title_start))


def test_components_are_registered_factories() -> None:
    nlp = spacy.blank("en")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    assert nlp.pipe_names == list(COMPONENTS)
    doc = nlp("We evaluate Llama-2 on MS COCO.")
    assert [(s.text, s.label_) for s in doc.spans["kg"]] == [("Llama-2", "MODEL"), ("MS COCO", "DATASET")]


def test_acronym_definitions_on_real_abstracts(page_papers: list[PaperRecord]) -> None:
    text = abstract(page_papers, "Interpreting Attention Layer Outputs")
    found = {(d.short, d.long, d.label) for d in find_definitions(text)}
    assert ("SAEs", "Sparse autoencoders", "METHOD") in found
    circuit = abstract(page_papers, "Circuit Component Reuse")
    assert ("IOI", "Indirect Object Identification", "TASK") in {(d.short, d.long, d.label) for d in find_definitions(circuit)}


def test_short_form_resolves_to_the_long_form_in_the_document(nlp: Language) -> None:
    doc = nlp("We propose Lazy Region-Prompt Contrast (LRPC) strategy. LRPC is fast.")
    found = [(s.text, s.label_, s.kb_id_) for s in doc.spans["kg"]]
    assert found == [
        ("Lazy Region-Prompt Contrast", "METHOD", ""),
        ("LRPC", "METHOD", "Lazy Region-Prompt Contrast"),
        ("LRPC", "METHOD", "Lazy Region-Prompt Contrast"),
    ]


def test_vocabulary_aliases_and_spellings(nlp: Language) -> None:
    assert spans(nlp, "on PASCAL VOC (+3.6%) and MS COCO (+1.2% mIoU)") == [
        ("PASCAL VOC", "DATASET"), ("MS COCO", "DATASET"), ("mIoU", "METRIC")]
    doc = nlp("trained with GPT2, gpt-2 and Llama2")
    assert [s.kb_id_ for s in doc.spans["kg"]] == ["GPT-2", "GPT-2", "Llama 2"]


def test_hyphen_and_space_spellings_of_one_word_names(nlp: Language) -> None:
    doc = nlp("XL-Net and XLNet beat Super GLUE baselines; SciBERT and Sci-BERT; YOLOv8-L too.")
    assert [(s.text, s.kb_id_) for s in doc.spans["kg"]] == [
        ("XL-Net", "XLNet"), ("XLNet", "XLNet"), ("Super GLUE", "SuperGLUE"), ("SciBERT", "SciBERT"),
        ("Sci-BERT", "SciBERT"), ("YOLOv8-L", "")]  # a variant: linked to YOLOv8 when resolved


def test_refcoco_is_not_coco_and_compounds_are_not_their_head(nlp: Language) -> None:
    assert spans(nlp, "We test on RefCOCO(+/g) and COCO-Stuff, then COCO-style AP.") == [
        ("RefCOCO", "DATASET"), ("COCO-Stuff", "DATASET"), ("COCO", "DATASET"), ("AP", "METRIC")]
    assert spans(nlp, "We test on COCO-Foo and Foo-COCO data.") == []


def test_cased_names_do_not_fire_on_ordinary_words(nlp: Language) -> None:
    assert spans(nlp, "We glue the math together.") == []
    assert spans(nlp, "In order to pivot, we ran it on an NVIDIA TITAN GPU.") == []
    assert spans(nlp, "Results on GLUE and MATH.") == [("GLUE", "DATASET"), ("MATH", "DATASET")]


def test_model_shapes_with_sizes(nlp: Language, page_papers: list[PaperRecord]) -> None:
    text = abstract(page_papers, "YOLOE: Real-Time Seeing Anything")
    models = [t for t, label in spans(nlp, text) if label == "MODEL"]
    assert {"YOLOE-v8-S", "YOLO-Worldv2-S", "YOLOE-v8-L", "YOLOv8-L", "YOLOE"} <= set(models)
    assert spans(nlp, "Our LLaMA3-8B beats GPT-2 Small and Qwen2-7B.") == [
        ("LLaMA3-8B", "MODEL"), ("GPT-2 Small", "MODEL"), ("Qwen2-7B", "MODEL")]


def test_context_rules_find_proposals_and_unknown_datasets(nlp: Language) -> None:
    doc = nlp("Medusa: Fast Decoding\n\nWe present Medusa, an efficient method. We evaluate on the FooQA and BarSet benchmarks.")
    assert [(s.text, s.label_, s.id_) for s in doc.spans["kg"]] == [
        ("Medusa", "METHOD", "proposal"), ("Medusa", "METHOD", "proposal"),
        ("FooQA", "DATASET", "context"), ("BarSet", "DATASET", "context")]
    assert [s.text for s in doc.spans["kg_proposed"]] == ["Medusa", "Medusa"]


def test_every_mention_keeps_sentence_offsets_rule_and_confidence(extractor: Extractor,
                                                                  page_papers: list[PaperRecord]) -> None:
    extractions = list(extractor.extract(page_papers))
    mentions = [(e.paper, m) for e in extractions for m in e.mentions]
    assert len(mentions) > 400
    for paper, mention in mentions:
        assert paper.text[mention.start : mention.end] == mention.text
        assert paper.text[mention.sentence_start : mention.sentence_start + len(mention.sentence)] == mention.sentence
        assert mention.sentence_start <= mention.start and mention.end <= mention.sentence_start + len(mention.sentence)
        assert mention.confidence == RULE_CONFIDENCE[mention.rule]


def test_title_is_its_own_sentence(extractor: Extractor, page_papers: list[PaperRecord]) -> None:
    bam = next(p for p in page_papers if p.title.startswith("BAM!"))
    extraction = next(extractor.extract([bam]))
    assert extraction.paper.text[slice(*extraction.sentences[0])] == bam.title


def test_two_processes_give_the_same_mentions(extractor: Extractor, page_papers: list[PaperRecord]) -> None:
    some = page_papers[:8]
    one = [e.mentions for e in extractor.extract(some)]
    two = [e.mentions for e in extractor.extract(some, n_process=2, batch_size=4)]
    assert one == two


def test_gazetteer_saves_and_loads_its_vocabulary(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    gazetteer = nlp.add_pipe("kg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    gazetteer.initialize(vocabulary=Vocabulary([Entry("FooNet", "MODEL", ("Foo Network",), sources=("curated",))]))
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded("the Foo Network and FooNets")
    assert [(s.text, s.kb_id_) for s in doc.spans["kg_vocab"]] == [
        ("Foo Network", "FooNet"), ("FooNets", "FooNet")]
