"""The import graph of pairing/, read with ast: no import circles, and areas that import
only downward (the order of pairing/areas.py, see ARCHITECTURE.md).

Decisions (ARCHITECTURE.md says the same):
- Circles count every import, at module level or inside a function: a lazy import still
  ties the two modules together, and the shared tool (shared/tools/import_circles.py)
  counts them too. Imports under `if TYPE_CHECKING:` are not counted: they never run.
- The order of areas counts module-level imports only. An import inside a function may
  reach an area above (a page of a lower area showing a higher one's rows, the audit
  labels' discovery): that is the usual way out, and it cannot make a circle at import.
- Modules directly in pairing/ (db, auth, web, cli, ...) are no area: only circles apply.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from pairing import areas

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pairing"

# Module-level imports that run upward, each with why; the list may only shrink (a pair
# that no longer exists fails too, so that it is taken out). Empty: keep it so.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def module_name(path: Path, root: Path = ROOT) -> str:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
        or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """(import statement, inside a function?) of a module, TYPE_CHECKING blocks left out."""
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body]
    while stack:
        node, lazy = stack.pop()
        if _type_checking(node):
            stack.extend((n, lazy) for n in node.orelse)  # type: ignore[attr-defined]
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, lazy
        inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def import_graph(package: Path = PACKAGE, root: Path = ROOT) -> dict[str, dict[str, bool]]:
    """{module: {imported module of the package: only inside functions?}}."""
    paths = {module_name(p, root): p for p in package.rglob("*.py")}
    graph: dict[str, dict[str, bool]] = {}
    for name, path in paths.items():
        edges: dict[str, bool] = {}
        is_package = path.name == "__init__.py"
        for node, lazy in _import_nodes(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = name.split(".")
                if node.level:
                    base = base if is_package else base[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in paths
                           else prefix for alias in node.names]
            for target in targets:
                # a package and its own modules are one thing (importing a module of a
                # package runs its __init__ first, whatever it imports)
                if (target in paths and target != name and not name.startswith(target + ".")
                        and not target.startswith(name + ".")):
                    edges[target] = edges.get(target, True) and lazy
        graph[name] = edges
    return graph


def circles(graph: dict[str, dict[str, bool]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) \
        else None


def upward(graph: dict[str, dict[str, bool]], order: list[str]) -> set[tuple[str, str]]:
    """Module-level imports of an area from an area declared after it in `order`."""
    found = set()
    for module, edges in graph.items():
        mine = area_of(module)
        for target, lazy in edges.items():
            theirs = area_of(target)
            if lazy or mine is None or theirs is None or mine == theirs:
                continue
            if order.index(theirs) > order.index(mine):
                found.add((module, target))
    return found


def test_the_order_names_every_area_once() -> None:
    found = sorted(p.name for p in PACKAGE.iterdir()
                   if p.is_dir() and (p / "__init__.py").exists())
    assert sorted(areas.ORDER) == found, "list every area once in pairing/areas.py ORDER"
    assert areas.names() == areas.ORDER


def test_no_import_circles() -> None:
    found = circles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_areas_import_only_areas_below_them() -> None:
    found = upward(import_graph(), areas.ORDER)
    new = sorted(found - KNOWN_UPWARD)
    assert not new, ("imports of an area declared later in pairing/areas.py ORDER (import "
                     "inside the function, or move the code down):\n"
                     + "\n".join(f"{a} -> {b}" for a, b in new))
    gone = sorted(KNOWN_UPWARD - found)
    assert not gone, f"no longer imported upward, take them out of KNOWN_UPWARD: {gone}"


def test_models_and_services_do_not_import_the_layers_above_them() -> None:
    """DESIGN.md's layers: models.py imports no services, forms or views; services.py no
    views (a page may use the rules, the rules never a page)."""
    above = {"models": {"services", "forms", "views"}, "services": {"views"}}
    bad = [f"{m} -> {t}" for m, edges in import_graph().items() for t in edges
           if t.rsplit(".", 1)[-1] in above.get(m.rsplit(".", 1)[-1], set())]
    assert not bad


def test_the_solver_imports_nothing_of_the_site() -> None:
    """DESIGN.md: solver/ is pure, it imports nothing from flask, sqlalchemy or pairing."""
    bad = []
    for path in (ROOT / "solver").rglob("*.py"):
        for node, _lazy in _import_nodes(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if not node.level else [])
            bad += [f"{module_name(path)}: {n}" for n in names
                    if n.split(".")[0] in {"flask", "sqlalchemy", "pairing"}]
    assert not bad


MAX_LINES = 300  # per file of pairing/ and solver/ (ARCHITECTURE.md)


def long_files(*folders: Path, limit: int = MAX_LINES) -> list[str]:
    """Python files of the folders with more than `limit` lines, with their count."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            lines = len(path.read_text().splitlines())
            if lines > limit:
                found.append(f"{path.relative_to(folder.parent)}: {lines}")
    return found


def test_no_file_over_300_lines() -> None:
    """Split by meaning (a view module per kind of page, a service per subject), not in
    arbitrary halves."""
    found = long_files(PACKAGE, ROOT / "solver")
    assert not found, f"files over {MAX_LINES} lines:\n" + "\n".join(found)


# The checks themselves, on a small package written for them: each must be able to fail.

@pytest.fixture
def toy(tmp_path: Path) -> Path:
    package = tmp_path / "toy"
    for area in ("low", "high"):
        (package / area).mkdir(parents=True)
        (package / area / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "low" / "models.py").write_text("X = 1\n")
    (package / "high" / "models.py").write_text("from ..low.models import X\n")
    return package


def test_a_circle_is_found_even_through_a_lazy_import(toy: Path) -> None:
    assert circles(import_graph(toy, toy.parent)) == []
    (toy / "low" / "models.py").write_text(
        "def f():\n    from ..high import models\n    return models\n")
    assert circles(import_graph(toy, toy.parent)) == [["toy.high.models", "toy.low.models"]]


def test_a_type_checking_import_makes_no_circle(toy: Path) -> None:
    (toy / "low" / "models.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..high import models\n")
    assert circles(import_graph(toy, toy.parent)) == []


def test_an_upward_import_is_found_unless_lazy(toy: Path) -> None:
    graph = import_graph(toy, toy.parent)
    assert graph["toy.high.models"] == {"toy.low.models": False}
    (toy / "low" / "views.py").write_text("def page():\n    from ..high.models import X\n")
    edges = import_graph(toy, toy.parent)["toy.low.views"]
    assert edges == {"toy.high.models": True}  # lazy: allowed by the order check
    (toy / "low" / "views.py").write_text("from ..high.models import X\n")
    assert import_graph(toy, toy.parent)["toy.low.views"] == {"toy.high.models": False}


def test_a_long_file_is_found(toy: Path) -> None:
    assert long_files(toy, limit=3) == []
    (toy / "high" / "models.py").write_text("X = 1\n" * 4)
    assert long_files(toy, limit=3) == ["toy/high/models.py: 4"]
