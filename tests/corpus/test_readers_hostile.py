"""Hostile inputs (``tests/fixtures/hostile/``, plus a 10 MB line, 100,000 duplicate ids and a
pretty-printed Semantic Scholar array made at test time) through every reader and ``kg build``.

Each file, read by its extension and forced into every format, is either refused with
``FILE[:LINE]: reason`` (exit code 1, the store byte for byte as it was) or read; duplicate
ids are skipped and counted. Titles made of HTML, script and Cypher are valid input: they
are stored as written, come back unchanged from ``kg papers --json`` and from Neo4j (where
they travel as parameters), survive every export, and are escaped in ``kg render``'s page.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.corpus.limits import DEFAULT_LIMITS
from kg.corpus.readers import FORMATS, read_corpus
from kg.errors import InputError
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.exchange import export_graph, read_export
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SCHOLARLY = Path(__file__).resolve().parents[1] / "fixtures" / "scholarly"
MODES: list[str | None] = [None, *FORMATS]  # None: by the file's extension
HUGE_TITLE = 10_000_000
DUPLICATES, DISTINCT = 100_000, 10

# Refused while decoding, before any reader runs: the same error under every format.
DECODING = {
    "empty.jsonl": ": the file is empty",
    "whitespace.csv": ": the file is empty",
    "binary.jsonl": ":3: binary data (NUL byte); not a text corpus",  # a PNG header: its first NUL is on line 3
    "nul.csv": ":3: binary data (NUL byte); not a text corpus",  # "Second\0paper" on line 3
    "truncated.jsonl.gz": ": damaged gzip file (Compressed file ended before the end-of-stream marker was reached)",
}
LATIN1 = ":3: not valid UTF-8 (byte 0xe9); re-save the file as UTF-8"
LONG_LINE = (f":2: line is longer than {DEFAULT_LIMITS.max_line_chars:,} characters (the limit max_line_chars, "
             "env KG_MAX_LINE_CHARS)")
NO_PAPERS = ": no papers found in the file"
JSONL_HEADER = ":1: CSV header has no 'title' or 'abstract' column (columns: "
# What each reader makes of the other files; an int is the number of papers read. Readers stream, so
# the first problem in reading order is the one named (a block of text is decoded before it is parsed).
BY_FORMAT: dict[str, dict[str | None, str | int]] = {
    "mixed-encoding.csv": {  # line 3 is Latin-1 "Café"
        **dict.fromkeys([None, "page", "json", "csv", "bibtex", "s2", "openalex"], LATIN1),
        "jsonl": ":1: not JSON: Expecting value at column 1",  # line 1 is read and parsed before line 3
    },
    "huge.jsonl": {  # a 10 MB second line: over the line limit for line-oriented formats, not for JSON documents
        **dict.fromkeys([None, "jsonl", "page", "bibtex"], LONG_LINE),
        "json": ":2: not JSON: Extra data at column 1",
        "csv": JSONL_HEADER + '{"id": "ok", "title": "fine", "abstract": "we use coco."})',
        "s2": ":1: not a Semantic Scholar record (--format s2)",
        "openalex": ":1: not an OpenAlex record (--format openalex)",
    },
    "truncated.jsonl": {  # three whole records, then one cut off in its title (column 23 opens the string)
        None: ":4: not JSON: Unterminated string starting at column 23",
        "jsonl": ":4: not JSON: Unterminated string starting at column 23",
        "json": ":2: not JSON: Extra data at column 1",
        "page": NO_PAPERS, "bibtex": NO_PAPERS,
        "csv": JSONL_HEADER + '{"id": "t1", "title": "detecting objects o…, "abstract": "we evaluate yolo…)',
        "s2": ":1: not a Semantic Scholar record (--format s2)",
        "openalex": ":1: not an OpenAlex record (--format openalex)",
    },
    "truncated.json": {  # a one-line array whose third object is cut off in a string opened at column 240
        **dict.fromkeys([None, "json", "jsonl"], ":1: not JSON: Unterminated string starting at column 240"),
        "s2": ":1: item 0: not a Semantic Scholar record (--format s2)",  # the first item is read before the third
        "openalex": ":1: item 0: not an OpenAlex record (--format openalex)",
        "page": NO_PAPERS, "bibtex": NO_PAPERS,
        "csv": JSONL_HEADER + '[{"id": "t1", "title": "detecting objects o…, "abstract": "we evaluate yolo…, '
                              '{"id": "t2", "title": "reading with bert", "abstract": "we fine-tune ber…, '
                              '{"id": "t3", "title": "cut off)',
    },
    "hostile-titles.jsonl": {
        None: 6, "jsonl": 6,
        "json": ":2: not JSON: Extra data at column 1",
        "page": NO_PAPERS, "bibtex": NO_PAPERS,
        "csv": JSONL_HEADER + '{"id": "hostile-img", "title": "<img src=x onerror=…, "abstract": "we evaluate yolo…)',
        "s2": ":1: not a Semantic Scholar record (--format s2)",
        "openalex": ":1: not an OpenAlex record (--format openalex)",
    },
    "hostile-titles.csv": {  # the JSON Lines records but the one with control characters (a raw NUL is binary)
        None: 5, "csv": 5,
        **dict.fromkeys(["jsonl", "json", "s2", "openalex"], ":1: not JSON: Expecting value at column 1"),
        "page": NO_PAPERS, "bibtex": NO_PAPERS,
    },
    "duplicates.jsonl": {
        None: DUPLICATES, "jsonl": DUPLICATES,
        "json": ":2: not JSON: Extra data at column 1",
        "page": ":1: a paragraph is longer than 1,000,000 characters (the limit max_field_chars, env KG_MAX_FIELD_CHARS)",
        "bibtex": NO_PAPERS,
        "csv": JSONL_HEADER + '{"id": "dup-0", "title": "copy 0 of paper 0", "abstract": "we evaluate on c…)',
        "s2": ":1: not a Semantic Scholar record (--format s2)",
        "openalex": ":1: not an OpenAlex record (--format openalex)",
    },
    "s2-pretty.json": {  # "[\n{...},\n{...}\n]": one JSON document, though lines start with "{"
        None: 5, "json": 5, "s2": 5,
        "openalex": ":2: item 0: not an OpenAlex record (--format openalex)",  # --format insists on its source
        "jsonl": ":1: not JSON: Expecting value at column 2",  # line 1 is "["
        "page": NO_PAPERS, "bibtex": NO_PAPERS,
        "csv": ":1: CSV header has no 'title' or 'abstract' column (columns: [)",
    },
}
CASES = [(name, mode) for name in [*DECODING, *BY_FORMAT] for mode in MODES]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture files, and the ones too big to keep in the repository, made here."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {path.name: path for path in HOSTILE.iterdir() if path.name != "README.md"}
    huge = folder / "huge.jsonl"
    huge.write_text('{"id": "ok", "title": "Fine", "abstract": "We use COCO."}\n'
                    '{"id": "huge", "title": "' + "x" * HUGE_TITLE + '", "abstract": ""}\n', encoding="utf-8")
    duplicates = folder / "duplicates.jsonl"
    duplicates.write_text("".join(
        json.dumps({"id": f"dup-{n % DISTINCT}", "title": f"Copy {n // DISTINCT} of paper {n % DISTINCT}",
                    "abstract": "We evaluate on COCO and report mAP."}) + "\n" for n in range(DUPLICATES)), encoding="utf-8")
    pages = json.loads((SCHOLARLY / "s2.json").read_text(encoding="utf-8"))
    pretty = folder / "s2-pretty.json"
    pretty.write_text("[\n" + ",\n".join(json.dumps(item) for item in pages) + "\n]\n", encoding="utf-8")
    return {**paths, "huge.jsonl": huge, "duplicates.jsonl": duplicates, "s2-pretty.json": pretty}


@pytest.fixture(scope="module")
def store_bytes(page_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A store holding the bundled page, and its bytes before any hostile build."""
    path = tmp_path_factory.mktemp("store") / "kg-graph.kg"
    shutil.copyfile(page_store.path, path)
    return path, path.read_bytes()


def test_the_cases_cover_every_fixture(inputs: dict[str, Path]) -> None:
    assert sorted(inputs) == sorted([*DECODING, *BY_FORMAT])


@pytest.mark.parametrize(("name", "mode"), CASES, ids=[f"{n}-{m or 'by-extension'}" for n, m in CASES])
def test_every_reader_and_kg_build(inputs: dict[str, Path], store_bytes: tuple[Path, bytes], name: str,
                                   mode: str | None) -> None:
    path = inputs[name]
    expected = DECODING[name] if name in DECODING else BY_FORMAT[name][mode]
    if isinstance(expected, int):
        assert len(read_corpus(path, mode)) == expected
        return
    with pytest.raises(InputError) as caught:
        read_corpus(path, mode)
    assert str(caught.value) == f"{path}{expected}"
    store, before = store_bytes
    args = ["build", str(path), "--store", str(store), *(["--format", mode] if mode else [])]
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {path}{expected}\n")
    assert store.read_bytes() == before


def test_duplicate_ids_are_skipped_and_counted(inputs: dict[str, Path], page_store: EmbeddedStore,
                                               tmp_path: Path) -> None:
    store = tmp_path / "kg-graph.kg"
    shutil.copyfile(page_store.path, store)
    result = CliRunner().invoke(main, ["build", str(inputs["duplicates.jsonl"]), "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["papers_read"], report["duplicates_skipped"], report["papers_written"]) == (
        DUPLICATES, DUPLICATES - DISTINCT, DISTINCT)
    stored = EmbeddedStore.open(store).nodes(Label.PAPER, ids=[f"dup-{n}" for n in range(DISTINCT)])
    assert [node.properties["title"] for node in stored] == [f"Copy 0 of paper {n}" for n in range(DISTINCT)]


# -- hostile titles: valid input, stored and shown as written ----------------------------------

VERBATIM = {  # id -> (title, abstract) as stored: the input's text, control characters made spaces
    "hostile-img": ("<img src=x onerror=alert(1)> Detecting objects on COCO",
                    "We evaluate YOLOv8 on COCO and report mAP. The claim </script><script>alert(2)</script> holds on LVIS too."),
    "hostile-script": ("</script><script>alert(document.cookie)</script>",
                       "We fine-tune BERT on GLUE and report accuracy <!-- and --> more."),
    "hostile-cypher": ('"}) DETACH DELETE n //',
                       "We train ResNet-50 on ImageNet. MATCH (n) DETACH DELETE n // is a sentence too."),
    "hostile-sql": ("' OR 1=1 --", "We use GPT-2 on WikiText-103 and report perplexity; DROP TABLE papers; --"),
    '"}) MATCH (n) DETACH DELETE n //': (
        "$rows `Paper` {id: 'x'} & <b>&amp;</b> ${{7*7}}",
        "We use Llama 2 on MMLU.\u2028 A line separator\u2029 and a paragraph separator in one abstract."),
    "hostile-controls": ("NUL inside and a unit separator", "We fine-tune T5  on SQuAD.  Then we evaluate on GLUE ."),
}


@pytest.fixture(scope="module")
def hostile_store(inputs: dict[str, Path], page_store: EmbeddedStore,
                  tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The bundled page, then the hostile titles built on top with ``kg build``."""
    path = tmp_path_factory.mktemp("hostile-store") / "kg-graph.kg"
    shutil.copyfile(page_store.path, path)
    result = CliRunner().invoke(main, ["build", str(inputs["hostile-titles.jsonl"]), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("6 papers written, 0 unchanged, 0 duplicates skipped;")
    return EmbeddedStore.open(path)


def test_hostile_titles_are_stored_verbatim(hostile_store: EmbeddedStore, inputs: dict[str, Path]) -> None:
    stored = {n.id: (n.properties["title"], n.properties["abstract"])
              for n in hostile_store.nodes(Label.PAPER, ids=list(VERBATIM))}
    assert stored == VERBATIM
    assert len(hostile_store.nodes(Label.PAPER)) == 64 + 6  # the page is all there: nothing was deleted
    from_csv = {p.id: (p.title, p.abstract) for p in read_corpus(inputs["hostile-titles.csv"])}
    assert from_csv == {k: v for k, v in VERBATIM.items() if k != "hostile-controls"}
    assert hostile_store.edges(sources=["hostile-cypher"])  # real abstracts: the papers have their concepts


def test_hostile_titles_come_back_from_kg_papers(hostile_store: EmbeddedStore) -> None:
    result = CliRunner().invoke(main, ["papers", "--json", "--store", str(hostile_store.path)])
    assert result.exit_code == 0
    titles = {row["id"]: row["title"] for row in json.loads(result.stdout)}
    assert {key: titles[key] for key in VERBATIM} == {key: title for key, (title, _) in VERBATIM.items()}


def test_render_escapes_hostile_text(hostile_store: EmbeddedStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(main, ["render", "--out", str(out), "--store", str(hostile_store.path)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("</script") == 4  # the ends of our data element and our three scripts
    assert "<img src=x" not in page and "<b>&amp;</b>" not in page and "<!-- and -->" not in page
    assert "\u2028" not in page and "\u2029" not in page  # escaped in the data: they end a line in a script
    raw = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    shown = {node["id"]: node.get("title") for node in data["nodes"]}
    assert {key: shown[key] for key in VERBATIM} == {key: title for key, (title, _) in VERBATIM.items()}
    evidence = {link[1] for link in data["links"]}
    assert "The claim </script><script>alert(2)</script> holds on LVIS too." in evidence


def test_hostile_graph_survives_every_export(hostile_store: EmbeddedStore, tmp_path: Path) -> None:
    graph = hostile_store.read()
    for fmt, name in (("json", "g.json"), ("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "csv")):
        export_graph(graph, fmt, tmp_path / name)
        back = read_export(tmp_path / name, fmt)
        assert sorted(back.nodes, key=lambda n: n.id) == list(graph.nodes), fmt
        assert sorted(back.edges, key=lambda e: (e.source, e.type.value, e.target)) == list(graph.edges), fmt


def test_hostile_text_travels_as_parameters_into_neo4j(neo4j_store: Neo4jStore, hostile_store: EmbeddedStore,
                                                      inputs: dict[str, Path], page_path: Path,
                                                      extractor: Extractor) -> None:
    build([page_path], neo4j_store, extractor=extractor)
    build([inputs["hostile-titles.jsonl"]], neo4j_store, extractor=extractor)
    stored = {n.id: (n.properties["title"], n.properties["abstract"])
              for n in neo4j_store.nodes(Label.PAPER, ids=list(VERBATIM))}
    assert stored == VERBATIM
    assert neo4j_store.read() == hostile_store.read()
