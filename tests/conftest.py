"""Shared fixtures: the bundled example page, a rule pipeline, and a store built from the page."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from kg.corpus.readers import read_corpus
from kg.errors import StoreError
from kg.extractors.pipeline import make_pipeline
from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import Edge, Graph, Label, Node
from kg.paper import PaperRecord
from kg.pipeline.build import BuildReport, build
from kg.pipeline.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "papers-page" / "papers.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CITESEER = FIXTURES / "citeseer" / "papers.jsonl.gz"
YEARS = FIXTURES / "years" / "acl-sample.jsonl.gz"


def citeseer_rows() -> list[dict[str, object]]:
    """The CiteSeer records as listed: the truth the citation tests check against."""
    return [json.loads(line) for line in gzip.decompress(CITESEER.read_bytes()).decode().splitlines()]


@pytest.fixture(scope="session")
def citeseer(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> tuple[EmbeddedStore, BuildReport]:
    """A NetworkX store holding the CiteSeer corpus (read-only for tests), and its build report."""
    path = tmp_path_factory.mktemp("citeseer") / "g.kg"
    report = build([CITESEER], EmbeddedStore.open(path, create=True), extractor=extractor)
    return EmbeddedStore.open(path), report


@pytest.fixture(scope="session", autouse=True)
def compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The compiled-vocabulary cache of the test session: a folder of its own, not the user's."""
    folder = tmp_path_factory.mktemp("kg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def years_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> EmbeddedStore:
    """A store holding 720 ACL Anthology papers of 2016-2024 and the bundled page, whose 64 papers have no year
    (read-only for tests)."""
    path = tmp_path_factory.mktemp("years") / "g.kg"
    build([YEARS, PAGE], EmbeddedStore.open(path, create=True), extractor=extractor)
    return EmbeddedStore.open(path)


@pytest.fixture(scope="session")
def page_path() -> Path:
    return PAGE


@pytest.fixture(scope="session")
def page_papers() -> list[PaperRecord]:
    return read_corpus(PAGE)


@pytest.fixture(scope="session")
def nlp() -> Language:
    return make_pipeline()


@pytest.fixture(scope="session")
def extractor(nlp: Language) -> Extractor:
    return Extractor(nlp)


@pytest.fixture(scope="session")
def page_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> EmbeddedStore:
    """A NetworkX store holding the bundled page (read-only for tests)."""
    path = tmp_path_factory.mktemp("page") / "kg-graph.kg"
    store = EmbeddedStore.open(path, create=True)
    build([PAGE], store, extractor=extractor)
    return store


@pytest.fixture(scope="session")
def papers_matching(page_papers: list[PaperRecord]) -> Callable[[str], set[str]]:
    """Titles of the bundled papers whose text matches a regular expression: the truth to check against."""

    def matching(pattern: str) -> set[str]:
        return {p.title for p in page_papers if re.search(pattern, p.text)}

    return matching


NEO4J_URI = os.environ.get("KG_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
NEO4J_USER = os.environ.get("KG_TEST_NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("KG_TEST_NEO4J_PASSWORD", "kg-test-password")
NO_SERVER = (
    f"no Neo4j test server at {NEO4J_URI}: start one with `scripts/neo4j-server start` "
    "(needs Java 17+ and Maven), or point KG_TEST_NEO4J_URI / KG_TEST_NEO4J_PASSWORD at one whose data may be erased"
)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jStore]:
    """A connection to the test server; skipped without one, except under CI=true where it must exist."""
    try:
        store = Neo4jStore.open(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)
    except StoreError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{NO_SERVER} ({exc})")
        pytest.skip(NO_SERVER)
    foreign = store.cypher("MATCH (n) WHERE none(l IN labels(n) WHERE l IN $ours) RETURN count(n) AS n",
                           {"ours": [label.value for label in Label]})
    if foreign[0]["n"]:
        pytest.fail(f"the Neo4j at {NEO4J_URI} holds nodes that are not kg's; refusing to erase it")
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jStore) -> Neo4jStore:
    """An empty Neo4j store (everything in the test database is deleted first)."""
    neo4j_server.clear()
    return neo4j_server


# -- corpora and reference stores for the fault tests ------------------------------------------

Snapshot = tuple[list[Node], list[Edge]]




def citeseer_lines(first: int, last: int) -> str:
    with gzip.open(CITESEER, "rt", encoding="utf-8") as handle:
        return "".join(line for number, line in enumerate(handle) if first <= number < last)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Slices of the CiteSeer corpus: ``big`` (600 papers) for the kills, smaller ones for the rest."""
    folder = tmp_path_factory.mktemp("corpora")
    slices = {"big": (0, 600), "neo4j": (1000, 1150), "a": (2000, 2030), "b": (2030, 2060), "tiny": (2100, 2103)}
    paths = {}
    for name, (first, last) in slices.items():
        paths[name] = folder / f"{name}.jsonl"
        paths[name].write_text(citeseer_lines(first, last), encoding="utf-8")
    return paths


def page_copy(page_store: EmbeddedStore, folder: Path) -> Path:
    """A store holding the bundled page (a copy of the session's page store)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kg-graph.kg"
    shutil.copyfile(page_store.path, path)
    return path


def error(stderr: str) -> str:
    """The one error line of a failed build's stderr (the progress bar's label may come before it)."""
    lines = [line for line in stderr.splitlines() if line != "extracting"]
    assert len(lines) == 1, stderr
    return lines[0]


def snapshot(store: EmbeddedStore | Neo4jStore, ids: list[str]) -> Snapshot:
    """The papers ``ids`` with all their properties, and every edge leaving them."""
    return store.nodes(Label.PAPER, ids=ids), store.edges(sources=ids)


@pytest.fixture(scope="module")
def page_ids(page_store: EmbeddedStore) -> list[str]:
    ids = [node.id for node in page_store.nodes(Label.PAPER)]
    assert len(ids) == 64
    return ids


@pytest.fixture(scope="module")
def page_plus(page_store: EmbeddedStore, corpora: dict[str, Path], extractor: Extractor,
              tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Graph]:
    """The graph an uninterrupted ``kg build SLICE`` on the page store gives (built in-process once per slice)."""
    built: dict[str, Graph] = {}

    def graph(name: str) -> Graph:
        if name not in built:
            store = EmbeddedStore.open(page_copy(page_store, tmp_path_factory.mktemp(f"reference-{name}")))
            if name != "page":
                build([corpora[name]], store, extractor=extractor)
            built[name] = store.read()
        return built[name]

    return graph
