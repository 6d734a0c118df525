"""Faults caused for real on the database file store: a build killed with SIGKILL at any moment,
two builds at once, a lock held too long, a read-only store directory, a full disk.

After each fault the store loads and holds everything it held before: the 64 papers of the
bundled page, with their properties and edges, unchanged.
"""

from __future__ import annotations

import ctypes
import errno
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphs.embedded import EmbeddedStore
from kg.model import Graph, Label
from kg.pipeline.build import build
from kg.pipeline.extract import Extractor
from tests.conftest import error, page_copy, snapshot

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NEO4J_URI": ""}
IN_CI = os.environ.get("CI", "").lower() == "true"

# -- watching and killing a build ---------------------------------------------------------------


def temp_files(store: Path) -> set[Path]:
    prefix = f".{store.name}."
    return {Path(entry.path) for entry in os.scandir(store.parent)
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp")}


def lock_held(lock: Path) -> bool:
    """Does some process hold a flock on ``lock``? (read from /proc/locks, without touching the lock)."""
    try:
        inode = str(lock.stat().st_ino)
        table = Path("/proc/locks").read_text()
    except OSError:
        return False
    return any(fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == inode
               for fields in (line.split() for line in table.splitlines()) if len(fields) > 5)


@dataclass(frozen=True)
class Probe:
    """What a running build is doing, seen from outside."""

    elapsed: float
    extracting: bool
    locked: bool
    writing_temp: bool
    extracting_for: float = 0.0

    @property
    def phase(self) -> str:
        if self.locked or self.writing_temp:
            return "write"
        return "extraction" if self.extracting else "startup"


@dataclass(frozen=True)
class Kill:
    """The outcome of one trial: where the kill landed, the exit code, and what it left behind."""

    probe: Probe
    returncode: int
    temp_left: bool
    replaced: bool


def kill_build(command: list[str], store: Path, workdir: Path, when: Callable[[Probe], bool]) -> Kill:
    """Run ``command`` (a build on ``store``) and SIGKILL it as soon as ``when`` holds."""
    lock = store.with_name(store.name + ".lock")
    lock.touch()
    inode, temps = store.stat().st_ino, temp_files(store)
    stderr = workdir / "stderr.txt"
    with open(stderr, "wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=ENV)
    started = time.monotonic()
    probe = Probe(0.0, False, False, False)
    extraction: float | None = None
    while process.poll() is None:
        now = time.monotonic() - started
        extracting = b"extracting" in stderr.read_bytes()  # the progress bar's label: extraction has begun
        extraction = now if extracting and extraction is None else extraction
        probe = Probe(now, extracting, lock_held(lock), bool(temp_files(store) - temps),
                      0.0 if extraction is None else now - extraction)
        if when(probe):
            process.send_signal(signal.SIGKILL)
            break
        if not probe.locked:  # the write takes a few tenths of a second: watch it without pausing
            time.sleep(0.001)
    returncode = process.wait(timeout=60)
    return Kill(probe, returncode, bool(temp_files(store) - temps), store.stat().st_ino != inode)


def after(seconds: float) -> Callable[[Probe], bool]:
    return lambda probe: probe.elapsed >= seconds


def extracting_for(seconds: float) -> Callable[[Probe], bool]:
    return lambda probe: probe.extracting and probe.extracting_for >= seconds


def test_sigkill_at_any_moment_keeps_the_stored_page(page_store: EmbeddedStore, page_ids: list[str],
                                                    corpora: dict[str, Path], page_plus: Callable[[str], Graph],
                                                    tmp_path: Path) -> None:
    path = page_copy(page_store, tmp_path / "store")
    base, before = path.read_bytes(), snapshot(page_store, page_ids)
    command = [*KG, "build", str(corpora["big"]), "--store", str(path), "--progress"]
    kills: list[Kill] = []

    def trial(when: Callable[[Probe], bool], must_kill: bool = True) -> Kill:
        kill = kill_build(command, path, tmp_path, when)
        assert kill.returncode == -signal.SIGKILL or not must_kill, f"the build was not killed: {kill}"
        store = EmbeddedStore.open(path)
        assert snapshot(store, page_ids) == before, kill
        if kill.replaced:  # killed after the rename: the new file is whole; start the next trial from the page
            assert len(store.nodes(Label.PAPER)) > 64
            path.write_bytes(base)
        else:
            assert path.read_bytes() == base, kill
        if kill.returncode == -signal.SIGKILL:
            kills.append(kill)
        return kill

    first = trial(lambda p: p.locked)  # the final write has begun
    lock_at = first.probe.elapsed
    for _ in range(3):  # the new file is being written (a few milliseconds: the build may finish first)
        if trial(lambda p: p.writing_temp, must_kill=False).temp_left:
            break
    start = trial(lambda p: p.extracting).probe.elapsed  # extraction has begun
    trial(after(start / 2))  # reading the inputs and the store
    for fraction in (0.3, 0.8):  # into the extraction (a faster run may finish it first)
        trial(extracting_for(fraction * (lock_at - start)), must_kill=False)
    phases = [kill.probe.phase for kill in kills]
    assert {"startup", "extraction", "write"} <= set(phases), phases
    assert first.probe.phase == "write" and not first.replaced
    assert any(kill.temp_left for kill in kills)  # one was killed between creating the new file and the rename
    print(f"\nkills at {', '.join(f'{k.probe.elapsed:.2f}s ({k.probe.phase})' for k in kills)}; "
          f"extraction from {start:.2f}s, final write from {lock_at:.2f}s; "
          f"{sum(k.temp_left for k in kills)} temp file(s) left mid-write")

    done = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("600 papers written, 0 unchanged")
    assert EmbeddedStore.open(path).read() == page_plus("big")
    assert not temp_files(path)  # the write that completed removed what the killed ones left


RANDOM_KILLS = int(os.environ.get("KG_FAULT_KILLS", "20"))
"""Kill points of the random drill (``KG_FAULT_KILLS``; ``KG_FAULT_CORPUS`` names a bigger JSON Lines corpus)."""


def test_sigkill_at_random_points_leaves_the_old_or_the_new_store(page_store: EmbeddedStore, corpora: dict[str, Path],
                                                                  page_plus: Callable[[str], Graph],
                                                                  tmp_path: Path) -> None:
    """A build killed at random moments: each time the store opens and is byte for byte the old
    file or reads as the finished build; what a kill left behind is gone once the store is opened."""
    corpus = Path(os.environ.get("KG_FAULT_CORPUS", corpora["big"]))
    path = page_copy(page_store, tmp_path / "store")
    base = path.read_bytes()
    command = [*KG, "build", str(corpus), "--store", str(path)]
    started = time.monotonic()
    subprocess.run(command, capture_output=True, env=ENV, timeout=3600, check=True)
    full = time.monotonic() - started
    finished = EmbeddedStore.open(path).read()
    if corpus == corpora["big"]:
        assert finished == page_plus("big")
    rng = random.Random(15)
    outcomes = []
    for _ in range(RANDOM_KILLS):
        path.write_bytes(base)
        moment = rng.uniform(0.0, full)
        kill = kill_build(command, path, tmp_path, after(moment))
        store = EmbeddedStore.open(path)  # opening removes a killed writer's temporary copy
        assert not temp_files(path), kill
        outcome = "old" if path.read_bytes() == base else "new"
        if outcome == "new":
            assert store.read() == finished, kill
        store.close()
        outcomes.append(f"{moment:.1f}s {kill.probe.phase} -> {outcome}{' (temp left)' if kill.temp_left else ''}")
    print(f"\nfull build {full:.1f}s; kills: {'; '.join(outcomes)}")


def test_store_file_keeps_its_permissions(page_store: EmbeddedStore, corpora: dict[str, Path], extractor: Extractor,
                                          tmp_path: Path) -> None:
    path = page_copy(page_store, tmp_path)
    path.chmod(0o640)
    build([corpora["tiny"]], EmbeddedStore.open(path), extractor=extractor)
    assert path.stat().st_mode & 0o7777 == 0o640
    assert len(EmbeddedStore.open(path).nodes(Label.PAPER)) > 64


def test_lock_held_too_long_is_a_clear_error(page_store: EmbeddedStore, corpora: dict[str, Path],
                                             tmp_path: Path) -> None:
    path = page_copy(page_store, tmp_path)
    lock = path.with_name(path.name + ".lock")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\nf = open(sys.argv[1], 'a+b')\nfcntl.flock(f, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\ntime.sleep(120)", str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        started = time.monotonic()
        result = CliRunner(env={"KG_LOCK_TIMEOUT": "1"}).invoke(main, ["build", str(corpora["tiny"]),
                                                                      "--store", str(path)])
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert error(result.stderr) == (f"Error: store {path} is locked by another kg process (waited 1 s, "
                                    "see KG_LOCK_TIMEOUT); try again later")
    assert waited >= 1.0
    assert path.read_bytes() == Path(page_store.path).read_bytes()


# -- a read-only store directory, a full disk -----------------------------------------------------

_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _drop_file_permission_override() -> None:
    """In the child, before exec: give up root's right to ignore file permissions.

    The uid stays 0 (the interpreter may live in root's private home, out of reach of
    ``nobody``), but without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH in the bounding set the
    program exec'd gets neither, so a directory's mode binds root like any other user.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def readonly_dir(page_store: EmbeddedStore) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="kg-readonly-"))
    try:
        page_copy(page_store, folder)
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("lock_file", [False, True], ids=["no-lock-file", "writable-lock-file"])
def test_read_only_store_directory(readonly_dir: Path, corpora: dict[str, Path], lock_file: bool) -> None:
    path = readonly_dir / "kg-graph.kg"
    lock = path.with_name(path.name + ".lock")
    if lock_file:  # the lock can be taken; the new file cannot be created
        lock.touch()
        lock.chmod(0o666)
    before = path.read_bytes()
    readonly_dir.chmod(0o555)
    as_root = os.geteuid() == 0
    result = subprocess.run([*KG, "build", str(corpora["tiny"]), "--store", str(path)], capture_output=True,
                            text=True, env=ENV, timeout=300, preexec_fn=_drop_file_permission_override if as_root else None)
    assert result.returncode == 1, result.stderr
    where = path if lock_file else f"store {path}"  # the new file cannot be created / the lock cannot be
    assert error(result.stderr) == f"Error: cannot write {where}: Permission denied"
    assert path.read_bytes() == before
    assert sorted(p.name for p in readonly_dir.iterdir()) == ["kg-graph.kg"] + (["kg-graph.kg.lock"] if lock_file else [])


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_fails_cleanly(page_store: EmbeddedStore, corpora: dict[str, Path], tmp_path: Path) -> None:
    path = page_copy(page_store, tmp_path)
    before = path.read_bytes()
    result = subprocess.run([*KG, "build", str(corpora["a"]), "--store", str(path)], capture_output=True, text=True,
                            env=ENV, timeout=300, preexec_fn=_limit_file_size(len(before) - 1))
    assert result.returncode == 1
    assert error(result.stderr) == f"Error: cannot write {path}: {os.strerror(errno.EFBIG)}; the previous file is intact"
    assert path.read_bytes() == before
    assert not temp_files(path)


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs: a real file system that runs out of space. Needs root; skipped elsewhere, not in CI."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "kg-test-small", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_disk_full_fails_cleanly(small_filesystem: Path, page_store: EmbeddedStore, corpora: dict[str, Path]) -> None:
    path = page_copy(page_store, small_filesystem)
    before = path.read_bytes()
    stats = os.statvfs(small_filesystem)
    filler = small_filesystem / "filler"
    filler.write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize - 64 * 1024))  # leave 64 KiB: less than the new store
    result = CliRunner().invoke(main, ["build", str(corpora["a"]), "--store", str(path)])
    assert result.exit_code == 1
    assert error(result.stderr) == f"Error: cannot write {path}: disk full; the previous file is intact"
    assert path.read_bytes() == before
    assert not temp_files(path)
    filler.unlink()  # with room again, the same build succeeds
    again = CliRunner().invoke(main, ["build", str(corpora["a"]), "--store", str(path)])
    assert again.exit_code == 0 and again.stdout.startswith("30 papers written")
