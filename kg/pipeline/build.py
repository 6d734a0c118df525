"""The main job: corpus files in, concepts resolved, graph written to a store, curation applied.

``build`` reads every input completely before it touches the store, so a bad
file stops the build with the store exactly as it was. Papers whose title and
abstract did not change since they were stored are not extracted again;
concepts already in the store seed the resolver, so acronyms and names learned
earlier keep resolving the same way. ``kg build`` is this function.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus.readers import read_corpus
from kg.curation.apply import apply_curation
from kg.curation.rules import Curation
from kg.extractors.vocabulary import Vocabulary, default_stoplist, default_vocabulary
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, Label, RelType
from kg.paper import PaperRecord
from kg.pipeline.assemble import assemble, content_hash
from kg.pipeline.citations import CitationReport, link_citations
from kg.pipeline.extract import Extractor, PaperExtraction
from kg.pipeline.prune import prune_after_rewrite
from kg.pipeline.resolve import Resolver

__all__ = ["BuildReport", "build", "build_papers", "read_inputs"]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each extracted paper, ``done`` papers of ``total``."""
_PAPER_FIELDS = ["content_hash", "title", "year", "doi", "arxiv_id", "aliases", "authors", "stub"]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    files: int
    papers_read: int
    duplicates_skipped: int
    papers_unchanged: int
    papers_written: int
    concepts_written: int
    edges_written: int
    mentions: int
    seconds: float
    citations: CitationReport = field(default_factory=CitationReport)


def read_inputs(paths: Sequence[str | Path], fmt: str | None = None,
                year: int | None = None) -> tuple[list[PaperRecord], int]:
    """Read every input file; return the papers (first of each id wins) and the duplicates dropped.

    ``year`` is given to the papers whose record carries none (a listing page shows only a date).
    """
    seen: dict[str, PaperRecord] = {}
    duplicates = 0
    for path in paths:
        for paper in read_corpus(path, fmt):
            if year is not None and paper.year is None:
                paper = dataclasses.replace(paper, year=year)
            if paper.id in seen:
                duplicates += 1
            else:
                seen[paper.id] = paper
    return list(seen.values()), duplicates


def build(
    inputs: Sequence[str | Path],
    store: GraphStore,
    *,
    fmt: str | None = None,
    extractor: Extractor | None = None,
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
    curation: Curation | str | Path | None = None,
    year: int | None = None,
) -> BuildReport:
    """Extract the papers of ``inputs`` and write them, their concepts and evidence to ``store``.

    Parameters
    ----------
    inputs:
        Corpus files (see :mod:`kg.corpus.readers`).
    store:
        Where the graph goes; what it holds already is kept and extended.
    fmt:
        Force one corpus format for every input instead of guessing from the extension.
    extractor:
        The extractor to use (default: the rule pipeline on ``spacy.blank("en")``).
    progress:
        Called as ``progress(done, total)`` after each paper is extracted.
    curation:
        Corrections (a :class:`~kg.curation.rules.Curation` or the path of a curation
        file) applied while resolving and then to the whole stored graph.
    year:
        The year of the papers whose record carries none (a listing page dated only "Mar 20").

    Raises
    ------
    InputError
        An input or the curation file cannot be read; nothing was written.
    StoreError
        The store cannot be read or written; it is left as it was.
    """
    started = time.perf_counter()
    rules = curation if curation is None or isinstance(curation, Curation) else Curation.load(curation)
    papers, duplicates = read_inputs(inputs, fmt, year)
    report = build_papers(
        papers, store, files=len(inputs), duplicates=duplicates, extractor=extractor,
        vocabulary=vocabulary, progress=progress, started=started, curation=rules,
    )
    if rules is not None:
        apply_curation(store, rules)
    return report


def build_papers(
    papers: Sequence[PaperRecord],
    store: GraphStore,
    *,
    files: int = 0,
    duplicates: int = 0,
    extractor: Extractor | None = None,
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    curation: Curation | None = None,
) -> BuildReport:
    """Like :func:`build`, for papers already read (ids must be unique)."""
    started = time.perf_counter() if started is None else started
    stored_papers = store.nodes(Label.PAPER, fields=_PAPER_FIELDS)
    stored = {n.id: n.properties.get("content_hash") for n in stored_papers}
    todo = [paper for paper in papers if stored.get(paper.id) != content_hash(paper)]
    existing = [node for label in CONCEPT_LABELS for node in store.nodes(label)]
    resolver = Resolver(vocabulary or default_vocabulary(), default_stoplist(), existing, curation)
    extractions = _extract(todo, extractor or Extractor(), progress)
    resolver.learn(extractions)
    linked = [(e.paper, resolver.resolve(e)) for e in extractions]
    todo_ids = {paper.id for paper in todo}
    citations = link_citations(
        todo, [n for n in stored_papers if n.id not in todo_ids],
        lambda ids: store.edges([RelType.CITES], targets=ids),
    )
    graph = assemble(linked, resolver.finish(), citations)
    rewritten = {paper.id for paper in todo if paper.id in stored}
    pruned = prune_after_rewrite(store, rewritten, graph.edges) if rewritten else []
    if todo:
        store.write(graph, remove=[*citations.remove, *pruned])
    return BuildReport(
        files=files,
        papers_read=len(papers) + duplicates,
        duplicates_skipped=duplicates,
        papers_unchanged=len(papers) - len(todo),
        papers_written=len(todo),
        concepts_written=sum(1 for n in graph.nodes if n.label is not Label.PAPER),
        edges_written=len(graph.edges),
        mentions=sum(len(links) for _, links in linked),
        seconds=time.perf_counter() - started,
        citations=citations.report,
    )


def _extract(papers: list[PaperRecord], extractor: Extractor, progress: Progress | None) -> list[PaperExtraction]:
    extractions = []
    for extraction in extractor.extract(papers):
        extractions.append(extraction)
        if progress is not None:
            progress(len(extractions), len(papers))
    return extractions
