"""The main job: corpus files in, concepts resolved, graph written to a store, curation applied.

A build streams: papers are read and extracted in batches (pass one, in this
process, in worker processes or on a Dask cluster), and the resolver learns from
each batch; the extractions wait on disk. Then each batch is resolved against
what the whole corpus taught and written (pass two), so memory holds a batch and
small per-name statistics, never the corpus. The store is checked for writes
before anything is read, and nothing is written until every input has been read,
so a bad file stops the build with the store exactly as it was.

Papers whose title and abstract did not change since they were stored are not
extracted again; concepts already in the store seed the resolver, so acronyms
and names learned earlier keep resolving the same way. ``kg build`` is this function.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from kg.corpus.readers import iter_corpus
from kg.curation.apply import apply_curation
from kg.curation.rules import Curation
from kg.extractors.vocabulary import Vocabulary, default_stoplist, default_vocabulary
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, Edge, Graph, Label, RelType
from kg.paper import PaperRecord
from kg.pipeline.assemble import assemble, concept_graph, content_hash
from kg.pipeline.citations import CitationLinker, CitationReport
from kg.pipeline.extract import Extractor
from kg.pipeline.prune import prune_after_rewrite
from kg.pipeline.resolve import Resolver
from kg.pipeline.stream import Spool, Unique, batched
from kg.pipeline.workers import extract_batches

__all__ = ["BATCH_SIZE", "STAGES", "BuildReport", "Progress", "build", "build_papers", "read_inputs"]

BATCH_SIZE = 1000
"""Papers per batch: what memory holds at once, and what a worker extracts in one go."""
STAGES = ("read", "extract", "resolve", "write")
Progress = Callable[[str, int, "int | None"], None]
"""Called as ``progress(stage, done, total)`` for each stage of :data:`STAGES`; ``total`` is
``None`` while unknown (reading and extracting a stream)."""
_PAPER_FIELDS = ["content_hash", "title", "year", "doi", "arxiv_id", "aliases", "authors", "stub"]
Write = Callable[[Graph, Sequence[str]], None]


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


@dataclass(frozen=True)
class _Options:
    extractor: Extractor
    vocabulary: Vocabulary | None
    progress: Progress
    curation: Curation | None
    workers: int
    batch_size: int
    scheduler: str | None


def read_inputs(paths: Sequence[str | Path], fmt: str | None = None,
                year: int | None = None) -> tuple[list[PaperRecord], int]:
    """Read every input file; return the papers (first of each id wins) and the duplicates dropped.

    ``year`` is given to the papers whose record carries none (a listing page shows only a date).
    """
    unique = Unique(_dated(chain.from_iterable(iter_corpus(path, fmt) for path in paths), year))
    papers = list(unique)
    return papers, unique.duplicates


def _dated(papers: Iterable[PaperRecord], year: int | None) -> Iterator[PaperRecord]:
    for paper in papers:
        yield dataclasses.replace(paper, year=year) if year is not None and paper.year is None else paper


def build(
    inputs: Sequence[str | Path],
    store: GraphStore,
    *,
    fmt: str | None = None,
    extractor: Extractor | None = None,
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
    curation: Curation | str | Path | None = None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    scheduler: str | None = None,
    year: int | None = None,
) -> BuildReport:
    """Extract the papers of ``inputs`` and write them, their concepts and evidence to ``store``.

    Parameters
    ----------
    inputs:
        Corpus files (see :mod:`kg.corpus.readers`), read as streams.
    store:
        Where the graph goes; what it holds already is kept and extended.
    fmt:
        Force one corpus format for every input instead of guessing from the extension.
    extractor:
        The extractor to use (default: the rule pipeline on ``spacy.blank("en")``).
    progress:
        Called as ``progress(stage, done, total)`` (see :data:`Progress`).
    curation:
        Corrections (a :class:`~kg.curation.rules.Curation` or the path of a curation
        file) applied while resolving and then to the whole stored graph.
    workers:
        Worker processes that extract batches (the result is the same for any number).
    batch_size:
        Papers per batch.
    scheduler:
        Address of a Dask scheduler (``tcp://host:8786``) whose workers extract the batches.
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
    unique = Unique(_dated(chain.from_iterable(iter_corpus(path, fmt) for path in inputs), year))
    options = _Options(extractor or Extractor(), vocabulary, progress or _silent, rules, workers, batch_size, scheduler)
    report = _build(unique, store, options, files=len(inputs), started=started)
    if rules is not None:
        apply_curation(store, rules)
    return report


def build_papers(
    papers: Iterable[PaperRecord],
    store: GraphStore,
    *,
    files: int = 0,
    duplicates: int = 0,
    extractor: Extractor | None = None,
    vocabulary: Vocabulary | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    curation: Curation | None = None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
) -> BuildReport:
    """Like :func:`build`, for papers already read (the first of each id is kept)."""
    started = time.perf_counter() if started is None else started
    options = _Options(extractor or Extractor(), vocabulary, progress or _silent, curation, workers, batch_size, None)
    report = _build(Unique(papers), store, options, files=files, started=started)
    if not duplicates:
        return report
    return BuildReport(**{**report.__dict__, "papers_read": report.papers_read + duplicates,
                          "duplicates_skipped": report.duplicates_skipped + duplicates})


@dataclass
class _Counts:
    unchanged: int = 0
    papers: int = 0
    edges: int = 0
    mentions: int = 0
    written: set[str] = field(default_factory=set)
    concepts: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)


def _build(unique: Unique, store: GraphStore, options: _Options, *, files: int, started: float) -> BuildReport:
    check = getattr(store, "check_writable", None)
    if check is not None:
        check()
    stored_papers = store.nodes(Label.PAPER, fields=_PAPER_FIELDS)
    stored = {n.id: n.properties.get("content_hash") for n in stored_papers}
    existing = [node for label in CONCEPT_LABELS for node in store.nodes(label)]
    resolver = Resolver(options.vocabulary or default_vocabulary(), default_stoplist(), existing, options.curation)
    linker = CitationLinker()
    counts = _Counts()
    options.progress("read", 0, None)
    options.progress("extract", 0, None)
    with Spool() as spool:
        todo = _todo_batches(unique, stored, linker, counts, options)
        for extractions in extract_batches(todo, options.extractor, workers=options.workers,
                                           scheduler=options.scheduler):
            resolver.learn(extractions)
            spool.add(extractions)
            counts.papers += len(extractions)
            options.progress("extract", counts.papers, None)
        options.progress("read", unique.read, unique.read)
        options.progress("extract", counts.papers, counts.papers)
        linker.add_stored(node for node in stored_papers if node.id not in linker.papers)
        del stored_papers
        if counts.papers:
            _write_all(spool, store, resolver, linker, counts, options, stored)
    return BuildReport(
        files=files,
        papers_read=unique.read,
        duplicates_skipped=unique.duplicates,
        papers_unchanged=counts.unchanged,
        papers_written=counts.papers,
        concepts_written=len(counts.concepts) + len(counts.others),
        edges_written=counts.edges,
        mentions=counts.mentions,
        seconds=time.perf_counter() - started,
        citations=linker.report,
    )


def _todo_batches(unique: Unique, stored: Mapping[str, object], linker: CitationLinker, counts: _Counts,
                  options: _Options) -> Iterator[list[PaperRecord]]:
    """Batches of the papers that are new or changed; each is indexed for citation linking as it passes."""
    for batch in batched(unique, options.batch_size):
        todo = [paper for paper in batch if stored.get(paper.id) != content_hash(paper)]
        counts.unchanged += len(batch) - len(todo)
        linker.add(todo)
        options.progress("read", unique.read, None)
        if todo:
            yield todo


def _write_all(spool: Spool, store: GraphStore, resolver: Resolver, linker: CitationLinker, counts: _Counts,
               options: _Options, stored: Mapping[str, object]) -> None:
    """Pass two: resolve and write batch by batch, then the concepts with their settled names."""
    deferred: list[Edge] = []
    done = 0
    with _writing(store) as write:
        for extractions in spool:
            done += len(extractions)
            linked = [(e.paper, resolver.resolve(e)) for e in extractions]
            options.progress("resolve", done, counts.papers)
            citations = linker.link(e.paper for e in extractions)
            graph = assemble(linked, resolver.concepts, citations)
            counts.mentions += sum(len(links) for _, links in linked)
            counts.written.update(paper.id for paper, _ in linked)
            graph, deferred = _ready(graph, deferred, counts, linker.papers)
            rewritten = {paper.id for paper, _ in linked if paper.id in stored}
            write(graph, prune_after_rewrite(store, rewritten, graph.edges) if rewritten else [])
            options.progress("write", done, counts.papers)
        merged = linker.merge_stubs(lambda ids: store.edges([RelType.CITES], targets=ids))
        final = concept_graph(counts.concepts, resolver.finish())
        counts.concepts.update(node.id for node in final.nodes)
        counts.edges += len(final.edges) + len(deferred) + len(merged.edges)
        write(Graph.of(final.nodes, [*final.edges, *deferred, *merged.edges]), merged.remove)


def _ready(graph: Graph, deferred: list[Edge], counts: _Counts, build: set[str]) -> tuple[Graph, list[Edge]]:
    """The batch's graph, less what is written elsewhere: concepts written by an earlier batch (all
    are written again at the end, named), ``VARIANT_OF`` edges (at the end), and citations of a
    paper of a later batch (held back until it is written). Returns it and what still waits."""
    edges, waiting = [], []
    for edge in [*deferred, *graph.edges]:
        if edge.type is RelType.VARIANT_OF:
            continue
        if edge.target in build and edge.target not in counts.written:
            waiting.append(edge)
        else:
            edges.append(edge)
    nodes = [node for node in graph.nodes if node.label is Label.PAPER or node.id not in counts.concepts]
    counts.edges += len(edges)
    counts.concepts.update(node.id for node in nodes if node.label in CONCEPT_LABELS)
    counts.others.update(node.id for node in nodes if node.label is not Label.PAPER
                         and node.label not in CONCEPT_LABELS)
    return Graph.of(nodes, edges), waiting


@contextmanager
def _writing(store: GraphStore) -> Iterator[Write]:
    """One ``write`` per batch: into an embedded store as one copy of the file (``store.batch()``),
    into any other store as it comes."""
    batch = getattr(store, "batch", None)
    if batch is None:
        yield lambda graph, remove: store.write(graph, remove=remove)
        return
    with batch() as engine:
        yield lambda graph, remove: engine.write(graph, remove)


def _silent(stage: str, done: int, total: int | None) -> None:
    """No progress shown."""
