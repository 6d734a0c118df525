"""``mypy --strict`` passes on the package as it installs (``scripts/typecheck``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_is_clean() -> None:
    # the script runs the `python` first on PATH: this interpreter's, as an activated venv would
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run([str(ROOT / "scripts" / "typecheck")], capture_output=True, text=True,
                          env={**os.environ, "PATH": path})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
