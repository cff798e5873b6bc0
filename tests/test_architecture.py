"""Imports point down only: the contracts in pyproject.toml hold, they catch an upward
import, every module has a layer, and no project modules import each other in a circle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("config", "workflows", "casework")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def project_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def project_modules(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.modules if ".migrations" not in m)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    skip = shutil.ignore_patterns("__pycache__")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tree)
    assert lint_imports(tree).returncode == 0, "the copy should pass before it is changed"

    people = tree / "casework" / "models" / "people.py"
    people.write_text(people.read_text() + "\nfrom casework.forms import DateInput  # noqa\n")
    result = lint_imports(tree)

    assert result.returncode != 0
    assert "casework.models is not allowed to import casework.forms" in result.stdout
    assert "casework.models.people -> casework.forms" in result.stdout


def test_every_module_has_a_layer():
    """A module outside every layer would escape the layers contract unnoticed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["id"] == "layers"]
    layered = {
        name.strip() for layer in layers["layers"] for name in layer.replace("|", ":").split(":")
    }
    graph = project_graph()
    # A package that only holds layered modules (casework, casework.letters, ...) is no layer.
    containers = {name.rsplit(".", depth)[0] for name in layered for depth in range(1, 4)}

    def in_a_layer(module: str) -> bool:
        return any(module == name or module.startswith(name + ".") for name in layered)

    unplaced = [m for m in project_modules(graph) if not in_a_layer(m) and m not in containers]
    assert unplaced == []


def test_no_import_cycles():
    graph = project_graph()
    modules = set(project_modules(graph))
    cycles = []
    for module in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                cycles.append((module, *back))
    assert cycles == []
