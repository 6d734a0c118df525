"""Test modules mirror library modules: ``tests/<package>/test_<module>[_<aspect>].py`` tests ``kg.<package>.<module>``."""

from __future__ import annotations

from pathlib import Path

from tests.test_floors import MODULES

TESTS = Path(__file__).resolve().parent
WHOLE = {"test_concurrency", "test_doctests", "test_faults", "test_floors", "test_mirror", "test_packaging", "test_readme", "test_types"}
"""Tests of the whole package rather than one module."""


def _library_module(test: Path) -> str | None:
    package = ".".join(("kg", *test.parent.relative_to(TESTS).parts))
    package = {"kg.extractors": "kg.extractors", "kg.graphs": "kg.graphs"}.get(package, package)
    name = test.stem.removeprefix("test_")
    parts = name.split("_")
    for cut in range(len(parts), 0, -1):
        candidate = f"{package}.{'_'.join(parts[:cut])}"
        if candidate in MODULES:
            return candidate
    return None


def test_every_test_module_names_a_library_module() -> None:
    strays = [str(path.relative_to(TESTS)) for path in sorted(TESTS.rglob("test_*.py"))
              if "fixtures" not in path.parts and path.stem not in WHOLE and _library_module(path) is None]
    assert not strays, f"test modules that mirror no library module: {strays}"


def test_every_application_package_has_tests() -> None:
    tested = {_library_module(path) for path in TESTS.rglob("test_*.py")}
    packages = {m.rsplit(".", 1)[0] for m in tested if m}
    assert {"kg.corpus", "kg.pipeline", "kg.queries", "kg.curation", "kg.explorer", "kg.quality", "kg.extractors",
            "kg.graphs"} <= packages
