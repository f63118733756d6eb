"""`make lint`'s import contract (pyproject.toml, run by lint-imports) on a copy of the tree:
an import against the layers breaks it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "config", "governance", "meetings", "notifications", "projects")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def tree(tmp_path):
    """The Python code of the apps and pyproject.toml, where a test may add a module."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("templates", "static")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tree,
        env={"PYTHONPATH": str(tree)},
    )


def test_the_tree_keeps_its_layers(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "imports"),
    [
        ("governance/upward.py", "meetings.models"),  # governance below meetings
        ("meetings/sideways.py", "projects.models"),  # meetings and projects independent
        ("governance/services.py", "governance.importers.sigs_apply"),  # importers above
    ],
)
def test_an_import_against_the_layers_breaks_the_lint(tree, module, imports):
    with (tree / module).open("a", encoding="utf-8") as source:
        source.write(f"\nimport {imports}\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and imports in result.stdout
