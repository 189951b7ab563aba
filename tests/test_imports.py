"""The package's modules import one another one way: no import circle.

Every module under ``src/k2nutrition`` is parsed with :mod:`ast`; imports at any depth
(in functions and methods too, since a function-level import is still a dependency) count,
imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "k2nutrition"
ROOT = Path(__file__).resolve().parent.parent / "src" / PACKAGE


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


class _Imports(ast.NodeVisitor):
    """Collect the package modules that one module imports at run time."""

    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.known = known
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:  # the else branch runs
                self.visit(child)
            return
        self.generic_visit(node)

    def _add(self, name: str) -> None:
        # "a.b.c" may name a module, or a name in module "a.b"
        while name:
            if name in self.known:
                if name != self.module:
                    self.found.add(name)
                return
            name = name.rpartition(".")[0]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        if not prefix.startswith(PACKAGE):
            return
        for alias in node.names:
            self._add(f"{prefix}.{alias.name}")  # "from pkg import module"


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Map each module of the package to the package modules it imports at run time."""
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(paths)
    graph = {}
    for name, path in paths.items():
        visitor = _Imports(name, path.name == "__init__.py", known)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        # a package's __init__ runs first anyway: importing "k2nutrition.x" is not a
        # dependency of x on the package face
        graph[name] = {m for m in visitor.found if m != PACKAGE}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the groups of modules that reach one another (each group sorted)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one shortest cycle per group of modules that reach one another."""
    cycles = []
    for component in strongly_connected(graph):
        members = set(component)
        start = component[0]
        # shortest path back to start inside the component, breadth first
        paths = {start: [start]}
        queue = [start]
        cycle: list[str] = []
        while queue and not cycle:
            current = queue.pop(0)
            for nxt in sorted(graph[current] & members):
                if nxt == start:
                    cycle = [*paths[current], start]
                    break
                if nxt not in paths:
                    paths[nxt] = [*paths[current], nxt]
                    queue.append(nxt)
        cycles.append(cycle or component)
    return cycles


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 10  # the package was found and parsed
    cycles = find_cycles(graph)
    groups = strongly_connected(graph)
    assert not cycles, (
        "import cycles: "
        + "; ".join(" -> ".join(c) for c in cycles)
        + " (modules in circles: "
        + "; ".join(", ".join(g) for g in groups)
        + ")"
    )


def test_finder_sees_function_level_imports_and_names_the_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / PACKAGE
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from k2nutrition.b import x\n")
    (pkg / "b.py").write_text("def f():\n    from k2nutrition import c\n")
    (pkg / "c.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from k2nutrition.b import f\n"
        "def g():\n    import k2nutrition.a\n"
    )
    (pkg / "d.py").write_text("if TYPE_CHECKING:\n    import k2nutrition.a\n")
    graph = import_graph(pkg)
    assert graph["k2nutrition.c"] == {"k2nutrition.a"}
    assert graph["k2nutrition.d"] == set()
    cycles = find_cycles(graph)
    assert cycles == [["k2nutrition.a", "k2nutrition.b", "k2nutrition.c", "k2nutrition.a"]]


def test_finder_without_cycles(tmp_path: Path) -> None:
    pkg = tmp_path / PACKAGE
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from k2nutrition import a\n")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("import math\n")
    graph = import_graph(pkg)
    assert graph["k2nutrition.a"] == {"k2nutrition.b"}
    assert find_cycles(graph) == []


@pytest.mark.parametrize("module", ["display", "units", "errors", "vitamers"])
def test_low_modules_import_no_record_module(module: str) -> None:
    records = {f"{PACKAGE}.{m}" for m in ("food", "checks", "cohort", "guideline", "profile")}
    assert not import_graph()[f"{PACKAGE}.{module}"] & records
