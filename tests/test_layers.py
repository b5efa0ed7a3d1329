"""The package's layers: each imports only from the layers below it, and no module
imports itself round a cycle.

A layer is a folder (or module) of ``src/pathway_sim``; the order is the one
DESIGN.md draws. Imports inside functions count too (a lazy import is still a
dependency), and so do imports under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "pathway_sim"
LAYERS: tuple[str, ...] = (
    "core",
    "engine",
    "models",
    "inputs",
    "runs",
    "experiments",
    "sensitivity",
    "uncertainty",
    "reporting",
    "api",
    "app",
    "cli",
    "__main__",
)
"""Lowest first: a module may import its own layer and those before it."""
ROOT = "__init__"
"""The package's ``__init__`` names the API lazily and imports only the version from core."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def imported_modules(path: Path, module: str) -> set[str]:
    """Every ``pathway_sim`` module that ``path`` (the file of ``module``) imports,
    relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pathway_sim"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("pathway_sim"):
                found.add(target)
                found.update(
                    f"{target}.{a.name}" for a in node.names if is_module(f"{target}.{a.name}")
                )
    return found


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_sits_in_a_known_layer() -> None:
    unknown = {m for m in modules() if layer_of(m) not in (*LAYERS, ROOT)}
    assert not unknown, f"modules outside the layers {LAYERS}: {sorted(unknown)}"


def upward_imports(module: str, path: Path) -> list[str]:
    """The modules ``path`` (read as ``module``) imports from layers above its own."""
    rank = LAYERS.index(layer_of(module))
    return sorted(
        target
        for target in imported_modules(path, module)
        if layer_of(target) != ROOT and LAYERS.index(layer_of(target)) > rank
    )


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer_of(m) != ROOT))
def test_a_module_imports_only_its_own_layer_and_those_below(module: str) -> None:
    upward = upward_imports(module, modules()[module])
    assert not upward, f"{module} ({layer_of(module)}) imports a higher layer: {upward}"


def test_the_package_root_imports_only_the_version() -> None:
    assert imported_modules(PACKAGE / "__init__.py", "pathway_sim") == {"pathway_sim.core.version"}


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = {
        m: {t for t in imported_modules(p, m) if t in modules() and t != m}
        for m, p in modules().items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, f"import cycles: {cycles}"


def test_the_check_catches_upward_imports_lazy_ones_included(tmp_path: Path) -> None:
    """The check can fail: a core module importing the runner, at the top or in a function."""
    fake = tmp_path / "bad.py"
    fake.write_text(
        "from pathway_sim.core import errors\n"
        "def f():\n"
        "    from pathway_sim.runs.runner import run_replication\n"
        "    from pathway_sim import reporting\n"
    )
    assert upward_imports("pathway_sim.core.bad", fake) == [
        "pathway_sim.reporting",
        "pathway_sim.runs.runner",
    ]


MODEL_CLASS_LINES = 200
MODEL_FUNCTION_LINES = 80
"""The model's rooms stay small: no class of ``models/`` over 200 lines (one idea each), no
function over 80 (it reads as the domain's steps)."""


def oversized(path: Path) -> list[str]:
    """The classes and functions of ``path`` longer than the model's limits."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            limit = MODEL_CLASS_LINES
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            limit = MODEL_FUNCTION_LINES
        else:
            continue
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        if lines > limit:
            found.append(f"{path.name}:{node.name} ({lines} lines)")
    return found


def test_the_model_has_no_oversized_class_or_function() -> None:
    too_big = [
        item for path in sorted((PACKAGE / "models").rglob("*.py")) for item in oversized(path)
    ]
    assert not too_big, too_big


def test_the_size_check_can_fail(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MODEL_FUNCTION_LINES))
    fake = tmp_path / "big.py"
    fake.write_text(f"def long():\n{body}\n")
    assert oversized(fake) == [f"big.py:long ({MODEL_FUNCTION_LINES + 1} lines)"]
