"""Every example in the library's docstrings runs, as the installed package ``kg`` sees it."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kg
import kg.extractors
import kg.graphs


def _modules() -> list[str]:
    names = {"kg", "kg.extractors", "kg.graphs"}
    for package in (kg, kg.extractors, kg.graphs):
        names.update(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))
    return sorted(names - {"kg.__main__"})


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
