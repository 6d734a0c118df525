"""The kg command, end to end through click's CliRunner on the bundled page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.graphs.embedded import EmbeddedStore

COCO_TITLES = {
    "YOLOE: Real-Time Seeing Anything",
    "DOEI: Dual Optimization of Embedding Information for Attention-Enhanced Class Activation Maps",
    "Explainable Semantic Space by Grounding Language to Vision with Cross-Modal Contrastive Learning",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, page_path: Path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "kg-graph.kg"
    result = CliRunner().invoke(main, ["build", str(page_path), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_build_reports_and_shows_progress_on_stderr(tmp_path: Path, page_path: Path) -> None:
    store = tmp_path / "g.kg"
    result = run("build", str(page_path), "--store", str(store), "--json", "--progress")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["papers_written"], report["papers_read"], report["files"]) == (64, 64, 1)
    assert "extracting" in result.stderr
    again = json.loads(run("build", str(page_path), "--store", str(store), "--json").stdout)
    assert (again["papers_written"], again["papers_unchanged"]) == (0, 64)


def test_build_is_quiet_off_a_terminal_and_with_quiet(tmp_path: Path, page_path: Path) -> None:
    plain = run("build", str(page_path), "--store", str(tmp_path / "a.kg"), "--json")
    quiet = run("build", str(page_path), "--store", str(tmp_path / "b.kg"), "--json", "--progress", "--quiet")
    assert plain.exit_code == quiet.exit_code == 0
    assert "extracting" not in plain.stderr and "extracting" not in quiet.stderr


def test_build_in_a_read_only_place_fails_before_extracting(tmp_path: Path, page_path: Path) -> None:
    result = run("build", str(page_path), "--store", str(tmp_path / "missing" / "g.kg"), "--progress")
    assert result.exit_code == 1 and "does not exist" in result.stderr and "extracting" not in result.stderr


def test_store_from_environment(tmp_path: Path, page_path: Path) -> None:
    store = tmp_path / "env.kg"
    result = CliRunner(env={"KG_STORE": str(store)}).invoke(main, ["build", str(page_path)])
    assert result.exit_code == 0 and store.exists()
    stats = json.loads(CliRunner(env={"KG_STORE": str(store)}).invoke(main, ["stats", "--json"]).stdout)
    assert stats["nodes"]["Paper"] == 64


def test_papers_json_contract(built: Path) -> None:
    result = run("papers", "--json", "--store", str(built))
    papers = json.loads(result.stdout)
    assert len(papers) == 64
    assert all(set(p) == {"id", "title", "year", "datasets", "models", "methods", "tasks", "metrics", "code"}
               for p in papers)
    yoloe = next(p for p in papers if p["title"].startswith("YOLOE"))
    assert yoloe["datasets"] == ["COCO", "LVIS"]


def test_shared_dataset_json(built: Path) -> None:
    result = run("shared", "--dataset", "MS COCO", "--json", "--store", str(built))
    hits = json.loads(result.stdout)
    assert {h["title"] for h in hits} == COCO_TITLES
    assert all({"id", "title", "evidence", "role", "concept"} <= set(h) for h in hits)
    assert all("COCO" in h["evidence"] for h in hits)


def test_shared_method_aliases_agree(built: Path) -> None:
    long_form = json.loads(run("shared", "--method", "sparse autoencoders", "--json", "--store", str(built)).stdout)
    short_form = json.loads(run("shared", "--method", "SAEs", "--json", "--store", str(built)).stdout)
    assert long_form == short_form and len(long_form) == 4


def test_shared_table_for_people(built: Path) -> None:
    result = run("shared", "--model", "GPT-2", "--store", str(built))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "role", "as", "title", "evidence"]
    assert len(lines) == 2 + 4


def test_shared_paper_ranking_json(built: Path) -> None:
    result = run("shared", "--paper", "YOLOE: Real-Time Seeing Anything", "--json", "--limit", "3", "--store", str(built))
    related = json.loads(result.stdout)
    assert len(related) == 3
    assert related[0]["shared"] and related[0]["score"] >= related[-1]["score"]
    assert "shared_ids" not in related[0]


def test_unknown_name_fails_with_suggestions(built: Path) -> None:
    result = run("shared", "--dataset", "COCOO", "--store", str(built))
    assert result.exit_code == 1
    assert "Error: no dataset named 'COCOO'; did you mean: COCO" in result.stderr


def test_shared_needs_exactly_one_question(built: Path) -> None:
    result = run("shared", "--dataset", "COCO", "--model", "GPT-2", "--store", str(built))
    assert result.exit_code == 2
    assert "give exactly one of" in result.stderr


def test_show_concepts_and_stats(built: Path) -> None:
    show = json.loads(run("show", "Medusa", "--json", "--store", str(built)).stdout)
    assert show["title"].startswith("Medusa: Simple LLM Inference Acceleration")
    assert ("Medusa", "PROPOSES") in {(c["name"], c["role"]) for c in show["concepts"]}
    top = json.loads(run("concepts", "--type", "dataset", "--top", "2", "--json", "--store", str(built)).stdout)
    assert [c["name"] for c in top] == ["COCO", "GSM8K"]
    assert [c["papers"] for c in top] == [3, 2]
    stats = json.loads(run("stats", "--json", "--store", str(built)).stdout)
    assert stats["nodes"]["Paper"] == 64
    assert sum(stats["edges"].values()) == len(EmbeddedStore.open(built).edges())


def test_bad_input_exits_non_zero_and_keeps_the_store(built: Path, tmp_path: Path) -> None:
    before = built.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,abstract\nx,y\n")
    result = run("build", str(bad), "--store", str(built))
    assert result.exit_code == 1
    assert f"Error: {bad}:1: CSV header has no 'title' column" in result.stderr
    assert built.read_bytes() == before


def test_unknown_format_lists_known_formats(page_path: Path, tmp_path: Path) -> None:
    result = run("build", str(page_path), "--format", "xml", "--store", str(tmp_path / "g.kg"))
    assert result.exit_code == 2
    assert "'xml' is not one of 'bibtex', 'csv', 'json', 'jsonl', 'openalex', 'page', 's2'" in result.stderr


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("papers", "--store", str(tmp_path / "none.kg"))
    assert result.exit_code == 1
    assert f"no store at {tmp_path / 'none.kg'}; build one with `kg build INPUT" in result.stderr


def test_render_writes_an_offline_page(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = run("render", "--out", str(out), "--store", str(built))
    assert result.exit_code == 0
    html = out.read_text()
    assert "Content-Security-Policy" in html
    assert 'src="http' not in html and 'href="http' not in html


def test_missing_spacy_model_is_a_clear_error(page_path: Path, tmp_path: Path) -> None:
    result = run("build", str(page_path), "--spacy-model", "no_such_pipeline_xx", "--store", str(tmp_path / "g.kg"))
    assert result.exit_code == 1
    assert "Error: cannot load spaCy pipeline 'no_such_pipeline_xx'" in result.stderr
    assert not (tmp_path / "g.kg").exists()
