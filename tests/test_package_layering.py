"""The package's layering (DESIGN.md): no import circle among tfteach's modules, even
through imports inside functions, and a core that never imports the notebook layer or
Jupyter. Read from the source with `ast`, so a lazy import counts as much as a top one."""

from __future__ import annotations

import ast
import pathlib

import tfteach

PACKAGE = pathlib.Path(tfteach.__file__).parent
# Imported lazily on purpose: the Jupyter layer loads when the extension or a widget is
# asked for, so `import tfteach` stays light.
LAZY_ENTRY_POINTS = {"tfteach", "tfteach.notebook"}


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}


def imports_of(path: pathlib.Path) -> set[str]:
    """Every tfteach module that ``path`` imports, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


def graph_of_imports(skip_lazy: bool) -> dict[str, set[str]]:
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if skip_lazy and name in LAZY_ENTRY_POINTS:
            continue
        graph[name] = imports_of(path)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state:
                cycle = visit(dep, [*path, dep])
                if cycle:
                    return cycle
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_no_module_of_tfteach_imports_in_a_circle():
    assert find_cycle(graph_of_imports(skip_lazy=True)) is None


def test_the_cycle_finder_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_core_imports_neither_the_notebook_layer_nor_jupyter():
    for path in (PACKAGE / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                names.append(getattr(node, "module", None) or "")
                for n in names:
                    assert not n.startswith(("IPython", "ipywidgets", "matplotlib")), path
                    assert "notebook" not in n, path
