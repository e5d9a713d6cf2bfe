"""The import rules of docs/ARCHITECTURE.md, checked on the source: who may import what.

Every import counts, at the top of a module, inside a function or under
``TYPE_CHECKING``: a lazy import is still an arrow in the graph.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("store", "tui")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (``from a import b`` counts ``a`` and ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                )
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


ALL = modules()
GRAPH = {
    name: sorted({target for target in imported(path) if target in ALL and target != name})
    for name, path in ALL.items()
}


def imports_of(prefix: str) -> Iterator[tuple[str, str]]:
    """(module, what it imports) for every module under ``prefix``, any library too."""
    for name, path in ALL.items():
        if name == prefix or name.startswith(prefix + "."):
            for target in imported(path):
                yield name, target


def under(target: str, *prefixes: str) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def test_the_graph_is_read():
    assert "store.repository" in GRAPH and "tui.screens.main" in GRAPH
    assert "store.model" in GRAPH["store.repository"]


@pytest.mark.parametrize(
    ("prefix", "forbidden"),
    [
        ("store", ("tui", "textual", "rich")),
        ("tui.cli", ("textual", "tui.app", "tui.screens", "tui.widgets")),
        ("store.formats", ("tui", "store.repository", "store.editing")),
        (
            "tui.widgets",
            ("store.repository", "store.editing", "tui.screens", "tui.saving", "tui.app"),
        ),
        ("tui.screens", ("tui.app",)),
        ("tui.view", ("textual", "store.repository", "store.editing")),
    ],
)
def test_who_may_import_what(prefix, forbidden):
    broken = sorted({(name, t) for name, t in imports_of(prefix) if under(t, *forbidden)})
    assert not broken, f"{prefix} must not import {', '.join(forbidden)}: {broken}"


def test_no_import_cycles():
    """Tarjan's strongly connected components of the module graph: every one is alone."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            # A package and its own __init__'s re-exports are not a cycle worth the name.
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


LONGEST_CLASS = 300


def test_no_class_is_longer_than_300_lines():
    """A class that long does several things; split it by what it is for."""
    long = sorted(
        (f"{name}.{node.name}", node.end_lineno - node.lineno + 1)
        for name, path in ALL.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > LONGEST_CLASS
    )
    assert not long, f"classes over {LONGEST_CLASS} lines: {long}"
