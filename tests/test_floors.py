"""The package is built in floors, and imports run one way: down.

ground (model, errors, names, paper ids, files) <- extractors | stores <- application <- command line.
Extractors and stores sit beside each other and never import each other. Every
import statement counts, also those inside functions.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GROUND = {"kg.errors", "kg.model", "kg.normalize", "kg.paper", "kg.files"}
APPLICATION = ("kg.corpus", "kg.pipeline", "kg.queries", "kg.curation", "kg.explorer", "kg.quality")
COMMAND_LINE = ("kg", "kg.cli", "kg.clikit", "kg.commands", "kg.__main__")


def floor(module: str) -> tuple[int, str]:
    """The floor of a module (0 ground, 1 extractors or stores, 2 application, 3 command line) and its wing."""
    if module in GROUND:
        return 0, "ground"
    for wing in ("kg.extractors", "kg.graphs"):
        if module == wing or module.startswith(wing + "."):
            return 1, wing
    if any(module == p or module.startswith(p + ".") for p in APPLICATION):
        return 2, "application"
    if any(module == p or module.startswith(p + ".") for p in COMMAND_LINE):
        return 3, "command line"
    raise AssertionError(f"{module} is on no floor: add it to tests/test_floors.py")


def sources() -> dict[str, Path]:
    """Every module of the package, by its installed name, from the folders it is built from."""
    found = {"kg.cli": ROOT / "cli.py"}
    for folder, package in (("kg", "kg"), ("extractors", "kg.extractors"), ("graphs", "kg.graphs")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.is_symlink():
                continue
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imported(path: Path, module: str) -> set[str]:
    """The ``kg`` modules that ``path`` imports (``from kg.x import y`` counts as ``kg.x.y`` when that is a module)."""
    names = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "kg" or name.startswith("kg.")}


MODULES = sources()


def test_every_module_is_on_a_floor() -> None:
    assert {floor(module)[0] for module in MODULES} == {0, 1, 2, 3}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down(module: str) -> None:
    level, wing = floor(module)
    wrong: set[str] = set()
    for name in sorted(imported(MODULES[module], module)):
        target = name if name in MODULES else name.rpartition(".")[0]
        if target not in MODULES or target == module:
            continue
        their_level, their_wing = floor(target)
        if their_level > level or (their_level == level == 1 and their_wing != wing):
            wrong.add(f"{target} ({their_wing})")
    assert not wrong, f"{module} ({wing}) imports from above or beside its floor: {', '.join(sorted(wrong))}"


@pytest.mark.parametrize("module", ["kg.model", "kg.cli"])
def test_light_modules_load_no_engine(module: str) -> None:
    """The ground floor and the command line (for --help) load no spaCy, NetworkX or Neo4j driver."""
    code = (f"import sys, {module}; heavy = [m for m in ('spacy', 'networkx', 'neo4j', 'thinc') if m in sys.modules];"
            " print(','.join(heavy))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
