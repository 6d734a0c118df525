"""``kg trends`` and ``kg map`` through the command line, on dated ACL Anthology abstracts and the undated page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label
from kg.queries import trends


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_trends_json_is_the_library_answer(years_store: EmbeddedStore) -> None:
    found = json.loads(_run("trends", "--type", "model", "--since", "2019", "--top", "5", "--json",
                            "--store", str(years_store.path)))
    expected = trends(years_store, Label.MODEL, since=2019, top=5)
    assert [c["id"] for c in found["concepts"]] == [c.id for c in expected.concepts]
    assert found["undated_papers"] == 64 and found["papers_by_year"] == {str(y): 80 for y in range(2019, 2025)}
    assert found["concepts"][0]["by_year"] == {str(y): n for y, n in expected.concepts[0].by_year.items()}


def test_trends_table_and_csv_say_what_was_counted_apart(years_store: EmbeddedStore) -> None:
    table = _run("trends", "--top", "3", "--store", str(years_store.path)).splitlines()
    assert table[0].split()[:6] == ["type", "name", "first", "papers", "undated", "rise"]
    assert len(table) == 2 + 3 + 1
    assert table[-1] == "720 papers with a year in 2016-2024; 64 papers without a year, counted apart"
    rows = list(csv.DictReader(io.StringIO(_run("trends", "--concept", "ChatGPT", "--csv", "--store",
                                                str(years_store.path)))))
    assert rows == [{"type": "Model", "name": "ChatGPT", "first": "2023", "papers": "5", "undated": "0",
                     "rise": "+0.40", "bursts": "2023-2024 (2.4)", "by year": "2023:1 2024:4"}]


def test_trends_plot_draws_the_chosen_concepts(years_store: EmbeddedStore, tmp_path: Path) -> None:
    out = _run("trends", "--concept", "ChatGPT", "--concept", "GPT-4", "--plot", str(tmp_path / "gpt.svg"),
               "--store", str(years_store.path))
    assert out.splitlines()[-1].endswith(f"plot -> {tmp_path / 'gpt.svg'}")
    svg = (tmp_path / "gpt.svg").read_text()
    assert 'id="concept-0"' in svg and 'id="concept-1"' in svg and 'id="concept-2"' not in svg


def test_trends_refuses_a_window_that_ends_before_it_starts(years_store: EmbeddedStore) -> None:
    result = CliRunner().invoke(main, ["trends", "--since", "2020", "--until", "2018", "--store", str(years_store.path)])
    assert result.exit_code == 1 and "before" in result.output


def test_build_year_dates_an_undated_page(tmp_path: Path, page_path: Path) -> None:
    store = tmp_path / "g.kg"
    _run("build", str(page_path), "--year", "2025", "--store", str(store))
    found = json.loads(_run("trends", "--json", "--store", str(store)))
    assert (found["papers_by_year"], found["undated_papers"]) == ({"2025": 64}, 0)


def test_map_lists_concepts_by_community_and_writes_gephi_files(years_store: EmbeddedStore, tmp_path: Path) -> None:
    from kg.explorer.mapfile import read_map
    from kg.queries import cooccurrence_map

    out = _run("map", "--type", "model", "--out", str(tmp_path / "m.gexf"), "--store", str(years_store.path))
    expected = cooccurrence_map(years_store, Label.MODEL)
    assert read_map(tmp_path / "m.gexf") == expected
    lines = out.splitlines()
    assert lines[0].split() == ["community", "type", "name", "papers", "links"]
    assert lines[-1] == (f"{len(expected.nodes)} concepts, {len(expected.links)} links, {expected.communities} "
                         f"communities -> {tmp_path / 'm.gexf'}")
    document = json.loads(_run("map", "--type", "model", "--json", "--store", str(years_store.path)))
    assert document["communities"] == expected.communities and len(document["links"]) == len(expected.links)
    refused = CliRunner().invoke(main, ["map", "--out", str(tmp_path / "m.txt"), "--store", str(years_store.path)])
    assert refused.exit_code == 1 and "use .gexf or .graphml" in refused.output
