"""The curation file: parsed strictly, applied at build time and to a stored graph, the same way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import queries
from kg.cli import main
from kg.curation.apply import apply_curation, suggest_duplicates
from kg.curation.rules import Curation
from kg.errors import InputError, NotFoundError
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label, RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor

RULES = """
[[never]]
names = ["transformer"]

[[rename]]
name = "sparse autoencoder"
to = "sparse autoencoder (SAE)"

[[merge]]
names = ["MLP"]
into = "feed-forward network"
type = "method"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[merge]\nnames = 1", "rules.toml: not TOML"),
        ("[[merge]]\nnames = [\"A\"]", "rules.toml: merge #1: field 'into' must be a non-empty name"),
        ("[[never]]\nnames = [\"A\"]\ntype = \"gadget\"", "rules.toml: never #1: field 'type' must be one of dataset"),
        ("[[split]]\nname = \"SGD\"\nwhen = []\ninto = \"X\"\ninto_type = \"dataset\"",
         "rules.toml: split #1: field 'when' must be a non-empty list of words"),
        ("[[rename]]\nname = \"a\"\nto = \"b\"\ncolour = \"red\"", "rules.toml: rename #1: unknown field(s) ['colour']"),
        ("[[delete]]\nnames = [\"x\"]", "rules.toml: unknown section(s) ['delete']"),
    ],
)
def test_bad_rules_name_the_file_and_rule(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        Curation.parse(text, "rules.toml")
    assert str(caught.value).startswith(message)


def concept_edges(store: EmbeddedStore) -> set[tuple[str, str, str]]:
    return {e.key for e in store.edges() if e.type is not RelType.CITES}


def test_rules_at_build_time(page_path: Path, tmp_path: Path, extractor: Extractor, page_store: EmbeddedStore) -> None:
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([page_path], store, extractor=extractor, curation=Curation.parse(RULES, "rules.toml"))
    with pytest.raises(NotFoundError):
        queries.shared_concept(store, Label.METHOD, "transformer")
    assert {h.concept for h in queries.shared_concept(store, Label.METHOD, "SAEs")} == {"sparse autoencoder (SAE)"}
    merged = {h.id for h in queries.shared_concept(store, Label.METHOD, "feed-forward network")}
    before = {h.id for name in ("MLP", "feed-forward network") for h in queries.shared_concept(page_store, Label.METHOD, name)}
    assert merged == before
    assert {h.id for h in queries.shared_concept(store, Label.METHOD, "MLP")} == merged


def test_applying_to_a_store_equals_building_with_the_rules(page_path: Path, tmp_path: Path, extractor: Extractor,
                                                           page_store: EmbeddedStore) -> None:
    rules = Curation.parse(RULES, "rules.toml")
    built = EmbeddedStore.open(tmp_path / "built.kg", create=True)
    build([page_path], built, extractor=extractor, curation=rules)
    shutil.copy(page_store.path, tmp_path / "applied.kg")
    applied = EmbeddedStore.open(tmp_path / "applied.kg")
    report = apply_curation(applied, rules)
    assert report.renamed == ["method:sparseautoencoder"] and "method:transformer" in report.removed
    assert concept_edges(applied) == concept_edges(built)
    assert {c.id: c.papers for c in queries.concepts(applied)} == {c.id: c.papers for c in queries.concepts(built)}
    once = applied.path.read_bytes()
    again = apply_curation(EmbeddedStore.open(applied.path), rules)
    assert (again.moved_edges, again.dropped_edges, again.removed) == (0, 0, [])
    assert applied.path.read_bytes() == once


def test_split_sends_one_name_two_ways(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "p.jsonl"
    corpus.write_text(
        json.dumps({"id": "opt", "title": "Optimizers", "abstract": "We train the network with SGD and Adam."}) + "\n"
        + json.dumps({"id": "dlg", "title": "Dialogue", "abstract": "We evaluate dialogue state tracking on SGD."}) + "\n")
    rules = Curation.parse('[[split]]\nname = "SGD"\nwhen = ["dialogue"]\ninto = "Schema-Guided Dialogue"\n'
                           'into_type = "dataset"\n', "rules.toml")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor, curation=rules)
    assert [h.id for h in queries.shared_concept(store, Label.DATASET, "Schema-Guided Dialogue")] == ["dlg"]
    assert [h.id for h in queries.shared_concept(store, Label.METHOD, "SGD")] == ["opt"]


def test_curate_commands(page_store: EmbeddedStore, tmp_path: Path) -> None:
    shutil.copy(page_store.path, tmp_path / "g.kg")
    rules = tmp_path / "kg-curation.toml"
    rules.write_text(RULES)
    runner = CliRunner()
    applied = runner.invoke(main, ["curate", "apply", "--file", str(rules), "--json", "--store", str(tmp_path / "g.kg")])
    assert applied.exit_code == 0 and json.loads(applied.stdout)["renamed"] == ["method:sparseautoencoder"]
    missing = runner.invoke(main, ["curate", "apply", "--file", str(tmp_path / "none.toml"), "--store", str(tmp_path / "g.kg")])
    assert missing.exit_code == 1 and "no curation file at" in missing.stderr
    suggested = json.loads(runner.invoke(main, ["curate", "suggest", "--json", "--store", str(page_store.path)]).stdout)
    assert suggested == [s.__dict__ for s in suggest_duplicates(page_store)][:50]


def test_suggestions_find_spelling_variants(tmp_path: Path, extractor: Extractor) -> None:
    corpus = tmp_path / "p.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"p{i}", "title": f"Paper {i}", "abstract": text}) + "\n" for i, text in
                              enumerate(["We propose Semantic Query Optimisation (SQO), a new method.",
                                         "Semantic Query Optimization (SQO) is a method we extend."])))
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([corpus], store, extractor=extractor)
    pairs = {(s.first, s.second, s.reason) for s in suggest_duplicates(store)}
    assert ("Semantic Query Optimisation", "Semantic Query Optimization", "spelling") in pairs
