"""No solver module imports one that imports it back, not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

SOLVER = Path(__file__).resolve().parent.parent / "solver"


def _imports(path: Path) -> set[str]:
    """Every solver module `path` imports, at the top or lazily."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("solver"):
            if node.module == "solver":
                out.update(f"solver.{a.name}" for a in node.names)
            else:
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("solver."))
    return out


def _graph() -> dict[str, set[str]]:
    modules = {f"solver.{p.stem}": p for p in SOLVER.glob("*.py") if p.stem != "__init__"}
    return {name: _imports(path) & modules.keys() - {name} for name, path in modules.items()}


def _reaches(graph: dict[str, set[str]], start: str, goal: str, skip: frozenset) -> bool:
    seen, todo = set(), [start]
    while todo:
        here = todo.pop()
        for there in graph[here]:
            if frozenset({here, there}) in skip:
                continue
            if there == goal:
                return True
            if there not in seen:
                seen.add(there)
                todo.append(there)
    return False


def test_no_solver_module_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    cycles = {
        (a, b)
        for a, targets in graph.items()
        for b in targets
        if _reaches(graph, b, a, frozenset())
    }
    assert not cycles


def test_the_cycle_check_sees_a_lazy_import() -> None:
    graph = {"a": {"b"}, "b": {"a"}}
    assert _reaches(graph, "b", "a", frozenset())
    assert "solver.constraints" in _imports(SOLVER / "model.py")


def test_starting_a_command_does_not_load_cp_sat() -> None:
    """CP-SAT (with pandas, a third of a command's start-up) loads when a roster is solved or a
    shared area's unit chosen, not for the commands that only read, check or publish."""
    import subprocess
    import sys

    code = "import sys, cli.main; print('ortools.sat.python.cp_model' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
