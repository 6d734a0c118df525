"""Faults caused for real on a real Neo4j server: a build killed with SIGKILL in its single
transaction, and in the middle of a batched write, then run again.

After each fault the server holds everything it held before (the 64 papers of the bundled page,
unchanged), and a re-run completes the job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.graphs.embedded import EmbeddedStore
from kg.graphs.neo4jstore import Neo4jStore
from kg.model import Graph, Label, RelType
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from tests.conftest import NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT, snapshot

KG = [sys.executable, "-m", "kg"]
NEO4J_ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NEO4J_URI": "", "NEO4J_USERNAME": NEO4J_USER,
             "NEO4J_PASSWORD": NEO4J_PASSWORD}


SMALL_BATCHES = ("import sys, kg.graphs.neo4jstore as s, kg.graphs.neo4jplan as p\n"
                 "s.SINGLE_TRANSACTION_ROWS, p.BATCH_ROWS = 400, 10\n"
                 "from kg.cli import main\nmain()")
"""``kg build`` with the store's batch sizes cut (400-row single transactions, 10-row batches), so a
150-paper build runs the batched path that 20,000-row builds take."""


def kill_neo4j_build(command: list[str], watch: Neo4jStore, when: Callable[[], bool]) -> int:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=NEO4J_ENV)
    while process.poll() is None:
        if when():
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    _, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, err.decode()
    return process.returncode


def count(store: Neo4jStore, query: str, **params: object) -> int:
    value = store.cypher(query, params, write=query.startswith("SHOW"))[0]["n"]  # an admin command needs write
    assert isinstance(value, int)
    return value


def test_neo4j_single_transaction_killed_writes_nothing(neo4j_store: Neo4jStore, page_path: Path,
                                                        extractor: Extractor, corpora: dict[str, Path]) -> None:
    build([page_path], neo4j_store, extractor=extractor)
    before = neo4j_store.read()
    # The write is one transaction of about 700 rows; while it runs it holds thousands of locks
    # (the build's reads hold at most one).
    writing = ("SHOW TRANSACTIONS YIELD status, activeLockCount WHERE status = 'Running' AND activeLockCount >= 20 "
               "RETURN count(*) AS n")
    kill_neo4j_build([*KG, "build", str(corpora["neo4j"]), "--neo4j-uri", NEO4J_URI], neo4j_store,
                     lambda: count(neo4j_store, writing) > 0)
    assert neo4j_store.read() == before


@pytest.mark.parametrize("moment", ["relationships", "paper-properties"])
def test_neo4j_batched_write_killed_then_rerun_completes(neo4j_store: Neo4jStore, page_path: Path, page_ids: list[str],
                                                         extractor: Extractor, corpora: dict[str, Path],
                                                         page_plus: Callable[[str], Graph], moment: str,
                                                         tmp_path: Path) -> None:
    """A batched write killed after some batches: the stored page is intact, and the same build run
    again completes the job: every paper and stub as an uninterrupted build stores it, with the same
    citations, and the whole graph exactly what that build gives from the interrupted state on the
    NetworkX store. (Concepts the interrupted run wrote seed the resolver, as stored concepts always
    do, so a few concept edges may resolve otherwise than in an uninterrupted build.)"""
    build([page_path], neo4j_store, extractor=extractor)
    before = snapshot(neo4j_store, page_ids)
    complete = page_plus("neo4j")
    query, start, end = {  # what the batches have written so far, before and after the whole build
        "relationships": ("MATCH ()-[r]->() RETURN count(r) AS n", len(page_plus("page").edges), len(complete.edges)),
        "paper-properties": ("MATCH (p:Paper) WHERE p.content_hash IS NOT NULL RETURN count(p) AS n", 64, 64 + 150),
    }[moment]
    command = [sys.executable, "-c", SMALL_BATCHES, "build", str(corpora["neo4j"]), "--neo4j-uri", NEO4J_URI]
    kill_neo4j_build(command, neo4j_store, lambda: count(neo4j_store, query) > start)
    partial = neo4j_store.read()
    assert snapshot(neo4j_store, page_ids) == before
    assert start < count(neo4j_store, query) < end  # some batches were written, not all
    same_start = EmbeddedStore.open(tmp_path / "from-partial.kg", create=True)
    same_start.write(partial)
    build([corpora["neo4j"]], same_start, extractor=extractor)
    rerun = subprocess.run(command, capture_output=True, text=True, env=NEO4J_ENV, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    done = neo4j_store.read()
    assert done.by_label(Label.PAPER) == complete.by_label(Label.PAPER)
    assert [e for e in done.edges if e.type is RelType.CITES] == [e for e in complete.edges if e.type is RelType.CITES]
    assert done == same_start.read()
