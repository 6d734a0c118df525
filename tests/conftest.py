"""Shared fixtures: the bundled example page, a rule pipeline, and a store built from the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from extractors import make_pipeline
from graphs.nxstore import NetworkXStore
from kg.extract import Extractor
from kg.paper import PaperRecord
from kg.pipeline import build
from kg.readers import read_corpus

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "papers-page" / "papers.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
def page_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> NetworkXStore:
    """A NetworkX store holding the bundled page (read-only for tests)."""
    path = tmp_path_factory.mktemp("page") / "kg-graph.json"
    store = NetworkXStore.open(path, create=True)
    build([PAGE], store, extractor=extractor)
    return store


@pytest.fixture(scope="session")
def papers_matching(page_papers: list[PaperRecord]) -> Callable[[str], set[str]]:
    """Titles of the bundled papers whose text matches a regular expression: the truth to check against."""

    def matching(pattern: str) -> set[str]:
        return {p.title for p in page_papers if re.search(pattern, p.text)}

    return matching
