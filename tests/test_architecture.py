"""The layering of the apps (issue 13, item 7): `portal/` is the kernel and
imports no app; only `demo/` (the demo and benchmark data) imports them all;
and no import loops. The contracts are import-linter's, in pyproject.toml
(`[tool.importlinter]`, also run by `make lint`); the AST checks below see the
same rules without it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
APPS = {"governance", "implementation", "research", "demo"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_kernel_imports_no_app():
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "portal").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in APPS
    }
    assert not offenders, sorted(offenders)


@pytest.mark.parametrize("app", ["governance", "implementation", "research"])
def test_no_app_imports_the_demo_data(app):
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / app).rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] == "demo"
    }
    assert not offenders, sorted(offenders)


def test_the_guard_sees_a_lazy_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from governance.models import Meeting\n")
    assert "governance.models" in imported_modules(sample)


def test_the_import_contracts_are_kept(monkeypatch, capsys):
    """The kernel, the demo data, the layers between the apps and no loop
    between modules side by side (pyproject.toml, `[tool.importlinter]`)."""
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert exit_code == 0, capsys.readouterr().out
