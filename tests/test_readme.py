"""The README's Python example runs as a doctest, in a fresh folder with the bundled page."""

from __future__ import annotations

import doctest
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_use_it_from_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use it from Python"):]
    examples = re.findall(r"```pycon\n(.*?)```", section, flags=re.S)
    assert examples, "the README has no Python example"
    (tmp_path / "examples" / "papers-page").mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "papers-page" / "papers.txt", tmp_path / "examples" / "papers-page")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for number, text in enumerate(examples):
        runner.run(parser.get_doctest(text, {}, f"README example {number + 1}", str(ROOT / "README.md"), 0))
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and result.attempted > 0
    assert os.path.exists(tmp_path / "kg-graph.kg")
