"""Atomic file writes: the new content appears whole, or the old file stays as it was."""

from __future__ import annotations

import errno
import fcntl
import glob
import os
import shutil
import tempfile
from pathlib import Path

from kg.errors import StoreError

__all__ = ["atomic_write", "fsync_directory", "remove_stale_temp_files"]


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, fsync and rename.

    The file keeps the permission bits of the file it replaces (a new file gets
    those ``open`` would give it under the current umask), not the private mode of
    the temporary file.

    Raises ``StoreError`` (naming the path and the reason, e.g. "disk full") when
    the file cannot be written, its directory missing included (no directory is
    made); the previous file, if any, is left intact.
    """
    path = Path(path)
    directory = path.parent
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise StoreError(f"cannot write {path}: {directory} {what} (kg makes no directories)")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, _mode_for(path))
    except OSError:
        pass  # a file system without Unix modes: keep what mkstemp gave
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        reason = "disk full" if exc.errno == errno.ENOSPC else exc.strerror
        raise StoreError(f"cannot write {path}: {reason}; the previous file is intact") from None
    fsync_directory(directory)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a folder that cannot be opened is left alone)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temp_files(path: str | Path, *, locked: bool = False) -> int:
    """Delete what writers killed mid-write left beside ``path``: the temporary files of
    :func:`atomic_write` and of the stores (``.NAME.*.tmp``, and ``.NAME.*.tmp-*`` folders).

    Only done while no writer holds ``PATH.lock`` (the lock writers of a store take): unless the
    caller holds it (``locked``), the lock is tried without waiting, and nothing is deleted when it
    is held or cannot be taken (a read-only directory). Returns the number of entries deleted.
    """
    path = Path(path)
    stale = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp*"))
    if not stale or locked:
        return _delete(stale)
    try:
        handle = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError:
        return 0
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # a writer is at work: its temporary file is live
        try:
            return _delete(stale)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _delete(entries: list[Path]) -> int:
    removed = 0
    for entry in entries:
        try:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except OSError:
            pass
    return removed
