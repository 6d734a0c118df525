"""`kg eval`: the gold readers on real excerpts, and the scores against hand-computed cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.quality.evaluate import Predicted, evaluate, restrict
from kg.quality.gold import LABEL_MAPS, Category, GoldDocument, GoldSpan, read_gold, tdmsci_runs

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


def texts(doc: GoldDocument) -> list[tuple[str, str]]:
    return [(doc.text[s.start:s.end], s.label) for s in doc.spans]


def perfect(doc: GoldDocument, fmt: str) -> list[Predicted]:
    """Our labels on exactly the gold spans (the first of our labels of each category)."""
    ours = {gold: sorted(c.ours)[0] for c in LABEL_MAPS[fmt].values() for gold in c.gold}
    return [Predicted(s.start, s.end, ours[s.label]) for s in doc.spans if s.label in ours]


# -- readers ------------------------------------------------------------------------


def test_scierc_inclusive_token_ends_become_character_spans() -> None:
    docs = read_gold(GOLD / "scierc.jsonl", "scierc")
    assert [d.id for d in docs] == ["ICCV_2003_158_abs", "C04-1096"]
    assert docs[0].text.startswith("This paper presents an algorithm for computing optical flow , shape")
    assert texts(docs[0])[:5] == [
        ("algorithm", "Generic"),
        ("computing optical flow , shape , motion , lighting , and albedo", "Task"),
        ("image sequence", "Material"),
        ("rigidly-moving Lambertian object", "Material"),
        ("distant illumination", "OtherScientificTerm"),
    ]
    assert docs[0].group == "ICCV_2003_158_abs"


def test_gsap_paragraphs_keep_exclusive_character_ends_and_their_publication() -> None:
    docs = read_gold(GOLD / "gsap.jsonl", "gsap")
    assert [d.group for d in docs] == ["00011_1704_05179", "00011_1704_05179"]
    found = texts(docs[0])
    assert ("SearchQA", "Dataset") in found
    assert ("DeepMind CNN/DailyMail", "Dataset") in found
    assert ("SQuAD", "Dataset") in found


def test_tdmsci_text_is_rebuilt_from_character_offsets() -> None:
    docs = read_gold(GOLD / "tdmsci.jsonl", "tdmsci")
    first = docs[0]
    assert "in the NIST Chinese-to-English translation task compared to a state-of-the-art baseline.." in first.text
    assert texts(first) == [
        ("translation", "TASK"), ("accuracy", "METRIC"), ("NIST Chinese-to-English translation task", "TASK")]
    assert ("FrameNet corpus", "DATASET") in texts(docs[1])


def test_tdmsci_sentences_are_grouped_into_runs_of_one_subject() -> None:
    docs = [GoldDocument(f"s{i}", text, (), f"s{i}") for i, text in enumerate([
        "We study query segmentation with crowdsourcing on Mechanical Turk.",
        "Query segmentation by the crowd agrees with experts.",
        "BLEU scores for German compound splitting.",
        "Compound splitting improves German translation.",
        "Frame identification on FrameNet.",
    ])]
    assert [d.group for d in tdmsci_runs(docs)] == ["s0", "s0", "s2", "s2", "s4"]
    fixture = read_gold(GOLD / "tdmsci.jsonl", "tdmsci")
    assert [d.group for d in fixture] == ["train-0005", "train-0034"]


def test_scirex_paper_reads_as_sections_of_one_group() -> None:
    row = json.loads((GOLD / "scirex.jsonl").read_text())
    docs = read_gold(GOLD / "scirex.jsonl", "scirex")
    assert [(d.id, d.group, d.abstract) for d in docs] == [
        (f"{row['doc_id']}:0", row["doc_id"], True), (f"{row['doc_id']}:11", row["doc_id"], True)]
    assert docs[0].text == "Full - Resolution Residual Networks for Semantic Segmentation in Street Scenes"
    assert texts(docs[0]) == [("Full - Resolution Residual Networks", "Method"), ("Semantic Segmentation", "Task")]
    assert docs[1].text.startswith("section : Abstract Semantic image segmentation is an essential component")
    assert sum(len(d.spans) for d in docs) == len(row["ner"])


def test_own_jsonl_format() -> None:
    docs = read_gold(GOLD / "ours.jsonl", "jsonl")
    assert texts(docs[1]) == [("COCO", "DATASET"), ("YOLOE-v8-L", "MODEL"), ("AP^b", "METRIC"),
                              ("AP^m", "METRIC"), ("YOLOv8-L", "MODEL")]
    assert {d.group for d in docs} == {"yoloe"}


def test_bad_gold_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "abc", "spans": [[0, 9, "MODEL"]]}) + "\n")
    with pytest.raises(InputError, match=r"bad.jsonl:1: not a jsonl gold document: span \[0, 9, 'MODEL'\] is outside"):
        read_gold(path, "jsonl")
    with pytest.raises(InputError, match="unknown gold format 'conll'"):
        read_gold(path, "conll")


# -- scores -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,name", [("scierc", "scierc"), ("gsap", "gsap"), ("tdmsci", "tdmsci"), ("jsonl", "ours")])
def test_perfect_prediction_scores_one(fmt: str, name: str) -> None:
    docs = read_gold(GOLD / f"{name}.jsonl", fmt)
    report = evaluate(docs, [perfect(d, fmt) for d in docs], LABEL_MAPS[fmt])
    for table in (report.exact, report.partial, report.paper):
        assert table["micro"].gold > 0
        assert (table["micro"].precision, table["micro"].recall, table["micro"].f1) == (1.0, 1.0, 1.0)


def test_empty_prediction_scores_zero() -> None:
    docs = read_gold(GOLD / "scierc.jsonl", "scierc")
    report = evaluate(docs, [[] for _ in docs], LABEL_MAPS["scierc"])
    for table in (report.exact, report.partial, report.paper):
        assert (table["micro"].precision, table["micro"].recall, table["micro"].f1) == (0.0, 0.0, 0.0)
    assert (report.exact["micro"].gold, report.exact["Task"].gold, report.exact["Material"].gold) == (10, 2, 6)


LABELS = {"MODEL": Category(frozenset({"MLModel"}), frozenset({"MODEL"})),
          "DATASET": Category(frozenset({"Dataset"}), frozenset({"DATASET"}))}
TEXT = "We fine-tune GPT-2 Small on WikiText-103 and on MS COCO."
#       0         1         2         3         4         5
#       0123456789012345678901234567890123456789012345678901234567
DOC = GoldDocument("d1", TEXT, (GoldSpan(13, 24, "MLModel"), GoldSpan(28, 41, "Dataset"),
                                GoldSpan(49, 56, "Dataset")), "paper-1")


def test_boundary_error_counts_as_partial_only() -> None:
    report = evaluate([DOC], [[Predicted(13, 18, "MODEL")]], LABELS)  # "GPT-2" for "GPT-2 Small"
    assert (report.exact["MODEL"].right, report.exact["MODEL"].found) == (0, 0)
    assert (report.partial["MODEL"].precision, report.partial["MODEL"].recall) == (1.0, 1.0)
    assert report.paper["MODEL"].recall == 0.0


def test_hand_computed_mixed_case() -> None:
    predicted = [
        Predicted(13, 24, "MODEL"),    # exact
        Predicted(28, 36, "DATASET"),  # "WikiText" for "WikiText-103": partial
        Predicted(52, 56, "MODEL"),    # "COCO" with the wrong type: wrong both ways
        Predicted(3, 12, "METHOD"),    # a label of no category: not scored
    ]
    report = evaluate([DOC], [predicted], LABELS)
    micro = report.exact["micro"]
    assert (micro.right, micro.predicted, micro.found, micro.gold) == (1, 3, 1, 3)
    assert (round(micro.precision, 4), round(micro.recall, 4), round(micro.f1, 4)) == (0.3333, 0.3333, 0.3333)
    partial = report.partial["micro"]
    assert (partial.right, partial.predicted, partial.found, partial.gold) == (2, 3, 2, 3)
    dataset = report.partial["DATASET"]
    assert (dataset.precision, dataset.recall) == (1.0, 0.5)
    assert report.exact["DATASET"].f1 == 0.0


def test_paper_level_pools_paragraphs_and_normalises_names() -> None:
    second = GoldDocument("d2", "GPT2 small again.", (GoldSpan(0, 10, "MLModel"),), "paper-1")
    predictions = [[Predicted(28, 41, "DATASET")], [Predicted(0, 10, "MODEL")]]
    report = evaluate([DOC, second], predictions, LABELS)
    assert report.papers == 1
    # gold concepts: model gpt2small (twice, one concept), datasets wikitext103 and mscoco
    assert (report.paper["MODEL"].found, report.paper["MODEL"].gold) == (1, 1)
    assert (report.paper["DATASET"].found, report.paper["DATASET"].gold) == (1, 2)
    assert report.paper["micro"].recall == pytest.approx(2 / 3)
    assert report.paper["micro"].precision == 1.0


def test_scierc_method_takes_models_and_gsap_ignores_metrics() -> None:
    doc = read_gold(GOLD / "scierc.jsonl", "scierc")[1]
    span = next(s for s in doc.spans if s.label == "Method")
    report = evaluate([doc], [[Predicted(span.start, span.end, "MODEL")]], LABEL_MAPS["scierc"])
    assert report.exact["Method"].right == 1
    assert set(LABEL_MAPS["scierc"]) == {"Method", "Task", "Metric", "Material"}
    gsap = read_gold(GOLD / "gsap.jsonl", "gsap")[0]
    assert evaluate([gsap], [[Predicted(0, 2, "METRIC")]], LABEL_MAPS["gsap"]).exact["micro"].predicted == 0


def test_restrict_to_categories() -> None:
    assert list(restrict(LABEL_MAPS["gsap"], ["MODEL", "DATASET"])) == ["MODEL", "DATASET"]
    with pytest.raises(KeyError, match="Material"):
        restrict(LABEL_MAPS["gsap"], ["Material"])


# -- the command --------------------------------------------------------------------


def test_kg_eval_json_on_the_rules(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD / "ours.jsonl"), "--format", "jsonl",
                                       "--extractor", "rules", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["documents"], out["papers"], out["extractor"]) == (2, 1, "rules")
    assert out["characters"] == sum(len(json.loads(line)["text"]) for line in (GOLD / "ours.jsonl").open())
    assert out["abstracts_per_second"] > 0 and out["load_seconds"] > 0
    rows = {row["category"]: row for row in out["categories"]}
    # the rules find all 4 models and 2 datasets exactly, and "AP" but not "AP^b" / "AP^m"
    assert (rows["MODEL"]["exact"]["right"], rows["MODEL"]["exact"]["gold"]) == (4, 4)
    assert (rows["METRIC"]["exact"]["right"], rows["METRIC"]["exact"]["predicted"], rows["METRIC"]["gold"]) == (1, 1, 3)
    micro = rows["micro"]
    assert (micro["exact"]["precision"], micro["exact"]["recall"]) == (1.0, round(7 / 9, 4))
    assert (micro["paper"]["found"], micro["paper"]["gold"]) == (7, 9)
    assert micro["exact"]["f1_interval"] == [round(14 / 16, 4), round(14 / 16, 4)]  # one paper: no spread


def test_kg_eval_table_and_unknown_category() -> None:
    runner = CliRunner()
    table = runner.invoke(main, ["eval", "--gold", str(GOLD / "scierc.jsonl"), "--format", "scierc", "--extractor", "rules"])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split() == ["category", "gold", "exact", "P", "R", "F1", "partial", "P", "R",
                                                    "F1", "paper", "P", "R", "F1", "exact", "F1", "95%"]
    assert "2 documents, 2 papers, extractor rules: " in table.stdout
    assert "abstracts/s (1,200 characters each), pipeline loaded in " in table.stdout
    bad = runner.invoke(main, ["eval", "--gold", str(GOLD / "gsap.jsonl"), "--format", "gsap", "--only", "Material",
                               "--extractor", "rules"])
    assert bad.exit_code == 1
    assert "gsap has no category 'Material'; it has MODEL, DATASET, METHOD, TASK" in bad.stderr


def test_abstracts_only_keeps_the_marked_paragraphs() -> None:
    runner = CliRunner()
    gold = [json.loads(line) for line in (GOLD / "gsap.jsonl").read_text().splitlines()]
    abstract = next(row for row in gold if row["is_abstract"])
    wanted = sum(1 for _, _, label in abstract["entities"] if label in ("Dataset", "MLModel", "ModelArchitecture"))
    both = runner.invoke(main, ["eval", "--gold", str(GOLD / "gsap.jsonl"), "--format", "gsap", "--only", "MODEL",
                                "--only", "DATASET", "--extractor", "rules", "--json"])
    only = runner.invoke(main, ["eval", "--gold", str(GOLD / "gsap.jsonl"), "--format", "gsap", "--only", "MODEL",
                                "--only", "DATASET", "--extractor", "rules", "--abstracts-only", "--json"])
    assert both.exit_code == only.exit_code == 0, only.output
    assert (json.loads(both.stdout)["documents"], json.loads(only.stdout)["documents"]) == (2, 1)
    micro = {row["category"]: row for row in json.loads(only.stdout)["categories"]}["micro"]
    assert micro["exact"]["gold"] == wanted
    unmarked = runner.invoke(main, ["eval", "--gold", str(GOLD / "scierc.jsonl"), "--format", "scierc", "--abstracts-only"])
    assert unmarked.exit_code == 1
    assert f"{GOLD / 'scierc.jsonl'}: no document is marked as an abstract or not (scierc has no such field)" in unmarked.stderr


def test_scierc_bracket_tokens_become_brackets() -> None:
    doc = read_gold(GOLD / "scierc-brackets.jsonl", "scierc")[0]
    assert doc.text.endswith("compares well to Byron 's ( 2002 ) manually tuned system .")
    assert texts(doc)[-1] == ("Byron 's ( 2002 ) manually tuned system", "Method")
    assert "-LRB-" not in doc.text and "-RRB-" not in doc.text
