"""Property tests (Hypothesis) of everything that takes input from outside: any bytes in give a complete
read or exactly one clear error naming the file, exit code 1 (2 for a usage error), no traceback, and the
store byte for byte as it was.

Inputs are random bytes and mutations of real files (the fixtures: JSON Lines, CSV, BibTeX, saved
Semantic Scholar and OpenAlex responses, a store and its GraphML / GEXF exports), each possibly
compressed. The examples are derandomised, so a run in CI is reproducible.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from backports import zstd
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.clikit import parse_params
from kg.corpus.readers import FORMATS, read_corpus
from kg.errors import InputError, KGError, StoreError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.exchange import export_graph, read_export

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = {name: (FIXTURES / folder / name).read_bytes() for folder, name in [
    ("hostile", "hostile-titles.jsonl"), ("hostile", "hostile-titles.csv"), ("scholarly", "papers.bib"),
    ("scholarly", "s2.json"), ("scholarly", "openalex.json")]}
SEEDS["page.txt"] = (Path(__file__).resolve().parent.parent / "examples" / "papers-page" / "papers.txt").read_bytes()[:6000]
TOKENS = [b'"', b"{", b"}", b"[", b"]", b",", b":", b"\n", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\\ud800", b"\\u0000",
          b"NaN", b"-Infinity", b"1e999", b"9" * 5000, b"@article{", b"@string{x = {", b'"""', "\ufeff".encode(),
          b"\\", b"<", b"&#1;", b"]]>", b"null", b"true", b"[" * 300]
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "": lambda data: data, ".gz": gzip.compress, ".xz": lzma.compress, ".bz2": bz2.compress, ".zst": zstd.compress}
EXPLORE = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))
"""Set ``KG_FUZZ_EXAMPLES=N`` to run N fresh random examples per property instead of CI's fixed ones."""
FUZZ = settings(max_examples=EXPLORE or 150, deadline=None, derandomize=not EXPLORE, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


@st.composite
def mutated(draw: st.DrawFn, seeds: dict[str, bytes]) -> bytes:
    """A seed file with a few random edits: bytes inserted, deleted, replaced, spans repeated, tokens dropped in."""
    data = bytearray(draw(st.sampled_from(sorted(seeds.values()))))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "token", "repeat", "byte"]))
        if edit == "insert":
            data[at:at] = draw(st.binary(max_size=12))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 80))] * draw(st.integers(2, 4))
        elif at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


def inputs(seeds: dict[str, bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), mutated(seeds), st.text(max_size=300).map(
        lambda text: text.encode("utf-8", "surrogatepass")))


def one_error(result: Result) -> str:
    """The command's one error line; fails on a traceback or more than one ``Error:`` line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    return errors[0]


class _Store(tuple[Path, bytes]):
    """A store file and its bytes (shown by its path alone when an example fails)."""

    def __repr__(self) -> str:
        return f"store at {self[0]}"


@pytest.fixture(scope="module")
def store(page_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    path = tmp_path_factory.mktemp("fuzz-store") / "kg-graph.kg"
    shutil.copyfile(page_store.path, path)
    return _Store((path, path.read_bytes()))


@FUZZ
@given(data=inputs(SEEDS), fmt=st.sampled_from([None, *FORMATS]), suffix=st.sampled_from(sorted(COMPRESS)),
       seed_name=st.sampled_from(sorted(SEEDS)))
def test_any_bytes_through_every_reader_and_kg_build(store: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory,
                                                     data: bytes, fmt: str | None, suffix: str, seed_name: str) -> None:
    path = tmp_path_factory.mktemp("in") / (seed_name + suffix)
    path.write_bytes(COMPRESS[suffix](data))
    try:
        papers = read_corpus(path, fmt)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "\n" not in message, message
    else:
        assert papers and all(paper.id for paper in papers)
        return
    target, before = store
    result = CliRunner().invoke(main, ["build", str(path), "--store", str(target), *(["--format", fmt] if fmt else [])])
    assert result.exit_code == 1
    assert one_error(result) == f"Error: {message}"
    assert target.read_bytes() == before


@pytest.fixture(scope="module")
def exports(page_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("exports")
    graph = page_store.read()
    small = type(graph).of(graph.nodes[:6], [e for e in graph.edges if e.source in {n.id for n in graph.nodes[:6]}][:6])
    found = {}
    for fmt in ("graphml", "gexf", "json"):
        export_graph(small, fmt, folder / f"g.{fmt}")
        found[fmt] = (folder / f"g.{fmt}").read_bytes()
    return found


@FUZZ
@given(data=st.data())
def test_any_bytes_as_the_store(tmp_path_factory: pytest.TempPathFactory, exports: dict[str, bytes],
                                data: st.DataObject) -> None:
    content = data.draw(st.one_of(st.binary(max_size=400), mutated({"store": exports["json"]})))
    path = tmp_path_factory.mktemp("store") / "kg-graph.kg"
    path.write_bytes(content)
    try:
        EmbeddedStore.open(path).read()
    except StoreError as exc:
        assert str(exc).startswith(str(path)), str(exc)
    result = CliRunner(env={"NEO4J_URI": ""}).invoke(main, ["stats", "--store", str(path)])
    assert result.exit_code in (0, 1)
    if result.exit_code:
        assert one_error(result).startswith(f"Error: {path}")
    assert path.read_bytes() == content


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(["graphml", "gexf", "json"]))
def test_any_bytes_through_kg_import(store: tuple[Path, bytes], exports: dict[str, bytes],
                                     tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, fmt: str) -> None:
    content = data.draw(st.one_of(st.binary(max_size=300), mutated({fmt: exports[fmt]})))
    path = tmp_path_factory.mktemp("import") / f"g.{fmt}"
    path.write_bytes(content)
    try:
        read_export(path, fmt)
    except KGError as exc:
        assert str(exc).startswith(str(path)), str(exc)
    target = tmp_path_factory.mktemp("target") / "kg-graph.kg"
    shutil.copyfile(store[0], target)
    result = CliRunner(env={"NEO4J_URI": ""}).invoke(main, ["import", str(path), "--format", fmt, "--store", str(target)])
    assert result.exit_code in (0, 1)
    if result.exit_code:
        one_error(result)
        assert target.read_bytes() == store[1]


@FUZZ
@given(items=st.lists(st.one_of(st.text(max_size=40), st.builds(lambda k, v: f"{k}={v}", st.text(max_size=8),
                                                               st.one_of(st.text(max_size=40), st.sampled_from(
                                                                   ["9" * 5000, "[" * 500, "1e999", "NaN", "-0",
                                                                    str(2**63), str(-(2**63)), '{"a": [1, {"b": 2}]}'
                                                                    ])))), max_size=4))
def test_any_param_parses_or_is_a_usage_error(store: tuple[Path, bytes], items: list[str]) -> None:
    try:
        params = parse_params(items)
    except click.BadParameter as exc:
        assert "\n" not in exc.format_message()
        return
    assert set(params) == {item.partition("=")[0].strip() for item in items}
    assert all(isinstance(name, str) and name.isidentifier() or name.isalnum() or "_" in name for name in params)


VOCABULARY = {
    "stats": [["--json"]],
    "papers": [["--json"], ["--csv"]],
    "concepts": [["--type", "dataset"], ["--type", "nope"], ["--top", "3"], ["--top", "-1"], ["--cited"]],
    "shared": [["--dataset", "COCO"], ["--model", "\x00"], ["--paper", "YOLOE"], ["--limit", "0"],
               ["--method", "x" * 3000]],
    "show": [["YOLOE"], ["\ud800"], ["paper:nope"], ["'; DROP"]],
    "query": [["MATCH (p:Paper) RETURN count(p) AS n"], ["RETURN $x AS x", "--param", "x=[1, 2]"], ["MATCH ("],
              ["RETURN 1", "--write"], ["LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r"]],
    "cited-by": [["YOLOE"], [""]],
    "related": [["YOLOE", "--by", "all"], ["YOLOE", "--by", "nothing"]],
    "check": [["{store}"], ["/dev/null"], ["{tmp}"]],
    "export": [["--format", "graphml", "--out", "{tmp}/g.graphml"], ["--format", "csv", "--out", "{store}"],
               ["--format", "gexf", "--out", "{tmp}/no/g.gexf"]],
}


@settings(FUZZ, max_examples=EXPLORE or 120)
@given(command=st.sampled_from(sorted(VOCABULARY)), picks=st.lists(st.integers(0, 10), max_size=3),
       noise=st.lists(st.sampled_from(["--json", "--store", "--bogus", "-", "--", "\x00", "{store}", "--limit"]),
                      max_size=2))
def test_random_command_lines(store: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory, command: str,
                              picks: list[int], noise: list[str]) -> None:
    tmp = tmp_path_factory.mktemp("cli")
    options = VOCABULARY[command]
    argv = [command, *(arg for pick in picks for arg in options[pick % len(options)]), *noise]
    argv = [arg.replace("{store}", str(store[0])).replace("{tmp}", str(tmp)) for arg in argv]
    if "--store" not in argv[:-1]:
        argv += ["--store", str(store[0])] if command != "check" else []
    result = CliRunner(env={"NEO4J_URI": ""}).invoke(main, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    if result.exit_code:
        one_error(result)
    assert store[0].read_bytes() == store[1]
