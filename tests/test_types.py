"""``mypy --strict`` passes on the package as it installs (``scripts/typecheck``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_is_clean() -> None:
    done = subprocess.run([str(ROOT / "scripts" / "typecheck")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
