"""The built wheel: one import name, every module of the folders it is built from, the data files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_kg_and_nothing_else(tmp_path: Path) -> None:
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools reuses build/lib, deleted modules and all
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kg_papers-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"kg", wheel.name.split("-py3")[0] + ".dist-info"}
    expected = {"kg/cli.py"}
    for folder, package in (("kg", "kg"), ("extractors", "kg/extractors"), ("graphs", "kg/graphs")):
        expected |= {f"{package}/{path.relative_to(ROOT / folder).as_posix()}"
                     for path in (ROOT / folder).rglob("*.py") if not path.is_symlink()}
    assert expected <= set(names), sorted(expected - set(names))
    assert {"kg/py.typed", "kg/explorer/templates/explorer.html", "kg/extractors/data/vocabulary.jsonl",
            "kg/extractors/data/ner/meta.json"} <= set(names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "kg = kg.cli:main" in entry_points and "kg_gazetteer = kg.extractors.gazetteer:make_gazetteer" in entry_points


def test_the_installed_command_runs_from_any_folder(tmp_path: Path) -> None:
    """``kg`` works where the repository's folders are not importable (data files found through ``kg``)."""
    page = ROOT / "examples" / "papers-page" / "papers.txt"
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path), "PYTHONSAFEPATH": "1"}
    done = subprocess.run([str(Path(sys.executable).parent / "kg"), "build", str(page)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("64 papers written") and (tmp_path / "kg-graph.kg").exists()


def test_shipped_data_loads_from_any_working_directory(tmp_path: Path) -> None:
    code = ("from kg.extractors.vocabulary import default_vocabulary; from kg.extractors.statistical import "
            "default_model_path; print(len(default_vocabulary()) > 4000, (default_model_path() / 'config.cfg').exists())")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True"]
