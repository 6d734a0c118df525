"""Atomic file writes: the new content appears whole, or the old file stays as it was."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from kg.errors import StoreError

__all__ = ["atomic_write"]


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, fsync and rename.

    The file keeps the permission bits of the file it replaces (a new file gets
    those ``open`` would give it under the current umask), not the private mode of
    the temporary file.

    Raises ``StoreError`` (naming the path and the reason, e.g. "disk full") when
    the file cannot be written; the previous file, if any, is left intact.
    """
    path = Path(path)
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
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
    _fsync_directory(directory)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
