"""No import cycle in src/storyscope: the import graph, read from the source, has no loop.

Every module is parsed (never imported) and its module-level imports are recorded:
``import storyscope.x``, ``from storyscope.x import y`` (``y`` when it is a module,
else ``x``) and relative imports, in the module body and in ``if``/``try``/``with``
blocks and class bodies there, but not inside functions (they run later, once
every module is loaded) nor under ``if TYPE_CHECKING:`` (never run). Importing
a submodule also runs its package's ``__init__``, but that edge is left out: every
module would otherwise close a loop through ``storyscope/__init__.py``, which
re-exports the public API.

Two graphs are checked: modules, and subpackages (``storyscope.store``,
``storyscope.web``, ... each one node; top-level modules are nodes of their own).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "storyscope"

Graph = dict[str, set[str]]

def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _module_level(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when the module is imported."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _module_level(node.body)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph() -> Graph:
    """Module name -> the storyscope modules it imports at module level."""
    modules = _modules()
    graph: Graph = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _module_level(tree.body):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                source = _absolute(node, name, path.name == "__init__.py")
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in modules else source)
            for target in targets:
                while target and target not in modules:  # import a.b.c of a name: its module
                    target = target.rpartition(".")[0]
                if target.startswith(PACKAGE + ".") and target != name:
                    graph[name].add(target)
    return graph


def package_graph(graph: Graph) -> Graph:
    """The module graph folded to subpackages (``storyscope.x`` for everything under it)."""

    def node(module: str) -> str:
        return ".".join(module.split(".")[:2])

    folded: Graph = {}
    for source, targets in graph.items():
        edges = folded.setdefault(node(source), set())
        edges.update(node(t) for t in targets if node(t) != node(source))
    return folded


def cycles(graph: Graph) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
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
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_sees_module_level_imports_only() -> None:
    graph = import_graph()
    assert "storyscope.store._engine" in graph["storyscope.store.database"]  # from . import _engine
    assert "storyscope.store._schema" in graph["storyscope.store._stories"]  # from ._schema import
    assert "storyscope.errors" in graph["storyscope.store._engine"]  # from storyscope.errors import
    # corpus imports the store only under TYPE_CHECKING and inside functions
    assert not any(t.startswith("storyscope.store") for t in graph["storyscope.corpus"])


def test_cycles_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [("a", "b", "c")]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_import_cycle() -> None:
    # Issue 15 named corpus.py <-> engines/ray.py and web/app.py <-> pages.py / rest.py.
    assert cycles(import_graph()) == []


def test_no_subpackage_import_cycle() -> None:
    assert cycles(package_graph(import_graph())) == []
