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
APPS = {"governance", "implementation", "research", "public", "archives", "demo"}


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


@pytest.mark.parametrize("app", ["governance", "implementation", "research", "public", "archives"])
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


# No import loops inside the kernel (issue 13, item 7) ---------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kernel_imports() -> dict[str, set[str]]:
    """Which modules of `portal/` each one imports (lazily too; `from portal
    import x` counts as importing `portal.x`)."""
    paths = {
        module_name(p): p for p in (ROOT / "portal").rglob("*.py") if "migrations" not in p.parts
    }
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found = imported_modules(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {module for module in found if module in paths and module != name}
    return graph


def import_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each loop once, as the path from a module back to itself."""
    loops: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                loops.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    return loops


def test_the_kernel_has_no_import_loop():
    assert import_loops(kernel_imports()) == []


def test_only_the_web_side_of_documents_imports_their_tasks():
    """The worker side (jobs) is what the tasks run; it never queues them."""
    graph = kernel_imports()
    importers = {m for m, imported in graph.items() if "portal.documents.tasks" in imported}
    assert importers == {"portal.documents.requests"}


def test_the_guard_sees_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_loops(graph) == [["a", "b", "c", "a"]]


def test_the_import_contracts_are_kept(monkeypatch, capsys):
    """The kernel, the demo data, the layers between the apps and no loop
    between modules side by side (pyproject.toml, `[tool.importlinter]`)."""
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
    )
    assert exit_code == 0, capsys.readouterr().out


# Every template is rendered by some test (tests/conftest.py, --check-templates) ---------


def test_the_template_guard_names_what_no_test_rendered():
    from tests.conftest import TEMPLATES_DIR, unrendered_templates

    on_disk = {p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.*")}
    assert "base.html" in on_disk
    missing, stale = unrendered_templates(on_disk - {"base.html"})
    assert missing == ["base.html"]
    assert stale == []
    assert unrendered_templates(on_disk) == ([], [])


def test_a_rendered_partial_counts_for_its_file():
    """`{% include "file.html#part" %}` renders a partial named by its part
    alone: the guard records the file it is in."""
    from django.template.loader import get_template

    from tests.conftest import _rendered

    get_template("governance/_dashboard.html#action_rows").render({"actions": []})
    assert "governance/_dashboard.html" in _rendered
    assert "action_rows" not in _rendered
