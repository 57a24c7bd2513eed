"""The folder tree is the architecture: packages per analysis, layers that import downward, no import cycles.

Imports are read from the source (``ast``), counting those inside functions too: a lazy import that dodges a
cycle at start-up is still a cycle between the two modules.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PACKAGES = ("analytics", "pipeline", "generators", "api_panel", "monitoring", "bench")
SHARED_ANALYTICS_MODULES = {"__init__.py", "metric.py", "registry.py", "models_registry.py", "independent_outputs.py"}


def project_modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the project's packages."""
    found = {}
    for package in PACKAGES:
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body (relative imports resolved)."""
    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = resolve(target)
                if found and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]], nodes) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_project_modules():
    modules = project_modules()
    assert cycles(import_graph(modules), modules) == []


def test_the_cycle_finder_finds_a_lazy_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph, graph) == [["a", "b", "c"]]


def test_lower_layers_never_import_the_runner_the_cli_or_the_api():
    graph = import_graph(project_modules())
    lower = ("pipeline.lake", "pipeline.lake_io", "pipeline.lake_url", "pipeline.config", "pipeline.validation",
             "pipeline.normalize", "pipeline.sources")
    upper = ("pipeline.runner", "pipeline.stages", "pipeline.cli", "pipeline.remote_stage", "api_panel")
    for module in lower:
        bad = sorted(t for t in graph.get(module, ()) if t.startswith(upper))
        assert bad == [], f"{module} imports {bad}"


def test_analytics_and_monitoring_never_import_the_pipeline_cli_or_the_api():
    graph = import_graph(project_modules())
    for module, targets in graph.items():
        if module.startswith(("analytics", "monitoring", "generators")):
            bad = sorted(t for t in targets if t.startswith(("pipeline.cli", "pipeline.runner", "api_panel")))
            assert bad == [], f"{module} imports {bad}"


def test_analytics_top_level_holds_packages_and_a_few_shared_modules():
    top = PROJECT_ROOT / "analytics"
    modules = {p.name for p in top.glob("*.py")}
    assert modules <= SHARED_ANALYTICS_MODULES, sorted(modules - SHARED_ANALYTICS_MODULES)
    packages = [p for p in top.iterdir() if p.is_dir() and not p.name.startswith("__")]
    assert len(packages) >= 10
    for package in packages:
        init = package / "__init__.py"
        assert init.is_file(), f"{package.name} is not a package"
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and ".json" in doc, f"analytics/{package.name}/__init__.py must say what it writes"


def test_tests_mirror_the_analytics_packages():
    packages = {p.name for p in (PROJECT_ROOT / "analytics").iterdir() if p.is_dir() and not p.name.startswith("__")}
    mirrored = {p.name for p in (PROJECT_ROOT / "tests" / "analytics").iterdir() if p.is_dir()
                and not p.name.startswith("__")}
    assert packages <= mirrored, sorted(packages - mirrored)
