"""The offline artist's people and creatures are drawn by modules that stand apart:
each takes what they share from features.py, poses.py and canvas.py, never from the other,
so either can be imported, read and changed on its own."""

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

OFFLINE = "storyforge.generation.providers.offline"
PEOPLE = f"{OFFLINE}.people"
CREATURES = f"{OFFLINE}.creatures"


def imported_names(module: str) -> set[str]:
    """Every module name `module` imports, at the top or inside a function, and for
    `from package import name` both the package and package.name."""
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    package = module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize(("module", "other"), [(PEOPLE, CREATURES), (CREATURES, PEOPLE)])
def test_people_and_creatures_never_import_each_other(module, other):
    imported = imported_names(module)

    assert not {name for name in imported if name == other or name.startswith(f"{other}.")}


def test_what_people_and_creatures_share_comes_from_neither_of_them():
    for shared in (f"{OFFLINE}.features", f"{OFFLINE}.canvas", f"{OFFLINE}.poses"):
        assert not imported_names(shared) & {PEOPLE, CREATURES}


@pytest.mark.parametrize("module", [PEOPLE, CREATURES])
def test_each_imports_first_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
