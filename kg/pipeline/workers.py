"""Extraction of batches of papers in worker processes, or on a Dask cluster.

Workers receive batches of papers and send back plain mention records (tuples of
:class:`~kg.pipeline.extract.Mention` and friends), never spaCy ``Doc`` objects;
results come back in the order the batches went out, so a build is the same for
any number of workers. Each worker builds its pipeline once, from the extractor's
settings (the compiled vocabulary comes from the on-disk cache).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain
from typing import Any

from kg.errors import KGError
from kg.paper import PaperRecord
from kg.pipeline.extract import DefinedAcronym, Extractor, Mention, PaperExtraction

__all__ = ["default_workers", "extract_batches", "extract_records"]

Records = list[tuple[tuple[Mention, ...], tuple[DefinedAcronym, ...], tuple[tuple[int, int], ...]]]
"""What a worker sends back for a batch: per paper, its mentions, acronyms and sentence bounds."""
_EXTRACTORS: dict[tuple[str | None, str], Extractor] = {}


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def extract_records(settings: tuple[str | None, str], papers: list[PaperRecord]) -> Records:
    """Extract one batch with the pipeline of ``settings`` (built once per process)."""
    extractor = _EXTRACTORS.get(settings)
    if extractor is None:
        extractor = _EXTRACTORS[settings] = Extractor(spacy_model=settings[0], extractor=settings[1])
    return [(e.mentions, e.acronyms, e.sentences) for e in extractor.extract(papers)]


def extract_batches(
    batches: Iterable[list[PaperRecord]], extractor: Extractor, *, workers: int = 1, scheduler: str | None = None
) -> Iterator[list[PaperExtraction]]:
    """Yield the extractions of each batch, in order: here, in ``workers`` processes, or on the Dask
    cluster whose scheduler is at ``scheduler``. An extractor given a ready pipeline runs here.

    Raises
    ------
    KGError
        The Dask scheduler cannot be reached, or ``distributed`` is not installed.
    """
    settings = extractor.settings
    if scheduler is not None and settings is not None:
        yield from _on_dask(batches, settings, scheduler, max(workers, 1))
    elif workers <= 1 or settings is None:
        for batch in batches:
            yield list(extractor.extract(batch))
    else:
        yield from _in_processes(iter(batches), extractor, settings, workers)


def _in_processes(batches: Iterator[list[PaperRecord]], extractor: Extractor, settings: tuple[str | None, str],
                  workers: int) -> Iterator[list[PaperExtraction]]:
    """The first batch here (a corpus of one batch starts no process); the rest in ``workers`` processes,
    which inherit this process's pipeline where processes fork."""
    first = next(batches, None)
    if first is None:
        return
    yield list(extractor.extract(first))
    second = next(batches, None)
    if second is None:
        return
    _EXTRACTORS.setdefault(settings, extractor)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from _in_order(chain([second], batches), lambda batch: pool.submit(extract_records, settings, batch),
                             2 * workers)


def _in_order(batches: Iterable[list[PaperRecord]], submit: Any, window: int) -> Iterator[list[PaperExtraction]]:
    """Keep ``window`` batches in flight; yield their results in submission order."""
    pending: deque[tuple[list[PaperRecord], Future[Records]]] = deque()
    for batch in batches:
        pending.append((batch, submit(batch)))
        if len(pending) >= window:
            yield _joined(*pending.popleft())
    while pending:
        yield _joined(*pending.popleft())


def _joined(batch: list[PaperRecord], future: Any) -> list[PaperExtraction]:
    return [PaperExtraction(paper, *record) for paper, record in zip(batch, future.result())]


def _on_dask(batches: Iterable[list[PaperRecord]], settings: tuple[str | None, str], scheduler: str,
             workers: int) -> Iterator[list[PaperExtraction]]:
    try:
        from distributed import Client
    except ImportError:
        raise KGError("--dask-scheduler needs the distributed package: pip install 'kg-papers[dask]'") from None
    try:
        client = Client(scheduler, timeout="5s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise KGError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        window = 2 * max(workers, len(client.scheduler_info().get("workers", {})))
        yield from _in_order(batches, lambda batch: client.submit(extract_records, settings, batch, pure=False), window)
    finally:
        client.close()  # type: ignore[no-untyped-call]
