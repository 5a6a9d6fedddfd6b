"""The walls of the package, read from its source: every import (lazy ones inside functions
and ``TYPE_CHECKING`` ones included) is an edge, and the edges must follow the layers.

A small reader instead of a tool: ``import-linter`` does not see imports inside functions
the way we count them, and the rules here are few. :func:`violations` returns one line per
broken wall; ``tests/test_walls.py`` asserts there are none, and that a planted upward
import is caught.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: Lowest first. A module may import its own part and the parts of lower layers only;
#: the parts of one layer (``|``) are independent of each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "errors", "config"),
    ("rules",),
    ("store",),
    ("capture", "checks", "analysis", "artifacts"),
    ("recording",),
    ("display",),
    ("live",),
    ("runs",),
    ("grids",),
    ("journal", "callback"),
    ("magics", "server"),
    ("cli",),  # prints what the REST API serves: it reads server.payloads and endpoints
    ("__init__", "__main__"),
)
#: Layer 0 is shared by every part: its modules may import each other.
SHARED = 0
#: What runs only inside a kernel: the Jupyter server's extension imports none of it.
KERNEL_SIDE = ("grids", "runs", "recording", "live", "display", "magics", "journal", "callback")
#: The package's face: not counted among its top-level modules.
FACE = ("__init__", "__main__", "_version")
#: Top-level modules besides the face, at most.
MAX_TOP_LEVEL = 8
#: Lines per Python file, at most (migrations aside).
MAX_LINES = 500


def part_of(module: str) -> str:
    """``nbjournal.store.base`` → ``store``; ``nbjournal`` (the face) → ``__init__``."""
    names = module.split(".")
    return names[1] if len(names) > 1 else "__init__"


def layer_of(part: str) -> int | None:
    """The layer's index, lowest 0; ``None`` for a part no layer names yet."""
    for index, parts in enumerate(LAYERS):
        if part in parts:
            return index
    return None


def modules(root: Path) -> dict[str, Path]:
    """The package's modules by dotted name (migrations aside: Alembic loads them by path)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        if "migrations" in relative.parts or "labextension" in relative.parts:
            continue
        names = list(relative.parts)
        if names[-1] == "__init__":
            names.pop()
        found[".".join(names)] = path
    return found


def imports(module: str, path: Path, known: Iterable[str]) -> Iterator[tuple[str, int]]:
    """The package modules ``module`` imports anywhere in its file, with the line."""
    known = set(known)
    package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, package, node)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != module:
                yield target, node.lineno


def _absolute(module: str, package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    names = module.split(".")
    if not package:
        names.pop()
    names = names[: len(names) - node.level + 1]
    return ".".join([*names, *([node.module] if node.module else [])])


def graph(root: Path) -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    """Modules, and each module's imports (target → first line)."""
    found = modules(root)
    edges: dict[str, dict[str, int]] = {}
    for module, path in found.items():
        targets = edges.setdefault(module, {})
        for target, line in imports(module, path, found):
            targets.setdefault(target, line)
    return found, edges


def violations(root: Path) -> list[str]:
    """One line per broken wall of the package at ``root`` (its ``nbjournal/`` folder)."""
    found, edges = graph(root)
    return [*_layer_problems(root, found, edges), *_circles(edges), *_size_problems(root, found)]


def _layer_problems(
    root: Path, found: dict[str, Path], edges: dict[str, dict[str, int]]
) -> Iterator[str]:
    for module, targets in sorted(edges.items()):
        part = part_of(module)
        here = layer_of(part)
        if here is None:
            yield f"nbjournal.{part} has no layer: give it one in tests/walls.py LAYERS"
            continue
        for target, line in sorted(targets.items()):
            other = part_of(target)
            there = layer_of(other)
            if other == part or there is None:
                continue
            where = f"{found[module].relative_to(root.parent)}:{line}"
            if other == "__init__":
                yield f"{where}: {module} imports the package face (import the module itself)"
            elif there > here:
                yield f"{where}: {module} imports {target}, a higher layer ({other} above {part})"
            elif there == here and here != SHARED:
                yield f"{where}: {module} imports {target}: {part} and {other} are independent"
            if part == "server" and other in KERNEL_SIDE:
                yield f"{where}: the server imports {target}, which is kernel-side"


def _circles(edges: dict[str, dict[str, int]]) -> Iterator[str]:
    """Import circles between modules (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            circle = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                circle.append(member)
                if member == module:
                    break
            if len(circle) > 1:
                circles.append(sorted(circle))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    for circle in circles:
        yield "import circle: " + " ↔ ".join(circle)


def _size_problems(root: Path, found: dict[str, Path]) -> Iterator[str]:
    top = sorted(p.stem for p in root.glob("*.py") if p.stem not in FACE)
    if len(top) > MAX_TOP_LEVEL:
        yield f"{len(top)} modules at the package's top level ({', '.join(top)}), at most {MAX_TOP_LEVEL}"
    for path in found.values():
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            yield f"{path.relative_to(root.parent)}: {lines} lines, at most {MAX_LINES}"


#: The lab extension's TypeScript source, held to :data:`MAX_LINES` too.
LAB_EXTENSION_SOURCE = Path(__file__).resolve().parents[1] / "labextension" / "src"


def lab_extension_size_problems(source: Path = LAB_EXTENSION_SOURCE) -> list[str]:
    """One line per ``.ts``/``.tsx`` file under ``source`` (tests included) over :data:`MAX_LINES`."""
    found = []
    for path in sorted(p for p in source.rglob("*.ts*") if p.suffix in (".ts", ".tsx")):
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            found.append(f"{path.relative_to(source.parent)}: {lines} lines, at most {MAX_LINES}")
    return found


#: ``Any`` in fewer function signatures than this (issue 18), counted by scripts/count_any.py:
#: parameters and return types, an alias that holds ``Any`` counted where it is used.
ANY_SIGNATURES_BELOW = 150


def any_signatures(root: Path) -> tuple[int, list[str]]:
    """How many function signatures of the package at ``root`` mention ``Any``, and which."""
    signatures, _, named = _counter().count([root])
    return signatures, named


@functools.cache
def _counter() -> Any:
    """scripts/count_any.py, loaded once: it keeps the trees it parsed while a file is unchanged."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "count_any.py"
    spec = importlib.util.spec_from_file_location("count_any", script)
    assert spec is not None and spec.loader is not None
    counter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(counter)
    return counter


def too_much_any(root: Path) -> list[str]:
    """One line when ``Any`` is in :data:`ANY_SIGNATURES_BELOW` signatures or more."""
    signatures, _ = any_signatures(root)
    if signatures < ANY_SIGNATURES_BELOW:
        return []
    return [
        f"Any in {signatures} function signatures, fewer than {ANY_SIGNATURES_BELOW} allowed: "
        "give them their real types (python scripts/count_any.py --list nbjournal)"
    ]
