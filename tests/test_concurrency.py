"""Concurrency on the database file store, caused for real: two builds at once, and readers
opening the store while builds replace it."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kg.graphs.embedded import EmbeddedStore
from kg.model import Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from tests.conftest import ROOT, page_copy, snapshot

KG = [sys.executable, "-m", "kg"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NEO4J_URI": ""}


def holds_open(pid: int, target: Path) -> bool:
    try:
        return any(Path(os.readlink(fd)) == target for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_two_builds_at_once_both_land(page_store: EmbeddedStore, page_ids: list[str], corpora: dict[str, Path],
                                      tmp_path: Path) -> None:
    path = page_copy(page_store, tmp_path)
    lock = path.with_name(path.name + ".lock")
    before = snapshot(page_store, page_ids)
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # both builds must wait for it, then for each other
        builds = [subprocess.Popen([*KG, "build", str(corpora[name]), "--store", str(path)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=ENV) for name in ("a", "b")]
        deadline = time.monotonic() + 120
        while not all(holds_open(b.pid, lock) for b in builds):  # each has extracted and waits in the lock loop
            assert all(b.poll() is None for b in builds), [b.communicate() for b in builds]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert path.read_bytes() == Path(page_store.path).read_bytes()
    outputs = [b.communicate(timeout=120) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert all(out.startswith("30 papers written, 0 unchanged") for out, _ in outputs)
    store = EmbeddedStore.open(path)  # one whole database
    wanted = {json.loads(line)["id"] for name in ("a", "b") for line in corpora[name].read_text().splitlines()}
    stored = {node.id for node in store.nodes(Label.PAPER) if not node.properties.get("stub")}
    assert stored == set(page_ids) | wanted
    assert snapshot(store, page_ids) == before
    assert all("content_hash" in node.properties for node in store.nodes(Label.PAPER, ids=wanted))


READER = """
import json, pathlib, sys
from kg.graphs.embedded import EmbeddedStore
path, stop = sys.argv[1], pathlib.Path(sys.argv[2])
while not stop.exists():
    with EmbeddedStore.open(path) as store:
        row = store.cypher("MATCH (p:Paper) WITH count(p) AS papers MATCH ()-[r]->() RETURN papers, count(r) AS rels")[0]
    print(json.dumps([row["papers"], row["rels"]]), flush=True)
"""


def test_two_builds_and_three_readers_at_once(page_store: EmbeddedStore, corpora: dict[str, Path],
                                              extractor: Extractor, tmp_path: Path) -> None:
    """Readers that open the store while two builds replace it answer from one whole version:
    the page, the page with either build, or the page with both (in either order)."""
    versions = set()
    for order in (["a"], ["b"], ["a", "b"], ["b", "a"], []):
        reference = EmbeddedStore.open(page_copy(page_store, tmp_path / "ref" / "-".join(order or ["page"])))
        for name in order:
            build([corpora[name]], reference, extractor=extractor)
        graph = reference.read()
        versions.add((len(graph.by_label(Label.PAPER)), len(graph.edges)))
    path = page_copy(page_store, tmp_path / "store")
    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(path), str(stop)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=ENV) for _ in range(3)]
    builds = [subprocess.Popen([*KG, "build", str(corpora[name]), "--store", str(path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=ENV) for name in ("a", "b")]
    assert [b.wait(timeout=300) for b in builds] == [0, 0], [b.communicate() for b in builds]
    time.sleep(1.0)  # the readers see the final version too
    stop.touch()
    answers = [reader.communicate(timeout=120) for reader in readers]
    assert [reader.returncode for reader in readers] == [0, 0, 0], answers
    seen = [tuple(json.loads(line)) for out, _ in answers for line in out.splitlines()]
    assert len(seen) >= 6 and set(seen) <= versions, (set(seen), versions)
    final = EmbeddedStore.open(path).read()
    whole = (len(final.by_label(Label.PAPER)), len(final.edges))
    assert whole in versions
    assert [tuple(json.loads(out.splitlines()[-1])) for out, _ in answers] == [whole] * 3  # each saw the last one
