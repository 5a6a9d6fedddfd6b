"""Count ``Any`` in the package's function signatures (parameters and return types).

    python scripts/count_any.py [--list] [PATH...]     (default: nbjournal/)

Prints the number of signatures that mention ``Any`` and the number of annotations that do;
``--list`` names each. Migrations are left out (Alembic writes them).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def _mentions_any(node: ast.expr | None) -> bool:
    if node is None:
        return False
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id == "Any":
            return True
        if isinstance(part, ast.Attribute) and part.attr == "Any":
            return True
        if isinstance(part, ast.Constant) and isinstance(part.value, str) and "Any" in part.value:
            return True
    return False


def count(paths: list[Path]) -> tuple[int, int, list[str]]:
    signatures = annotations = 0
    named: list[str] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                args = node.args
                every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                every += [a for a in (args.vararg, args.kwarg) if a is not None]
                hits = sum(_mentions_any(a.annotation) for a in every)
                hits += _mentions_any(node.returns)
                if hits:
                    signatures += 1
                    annotations += hits
                    named.append(f"{path}:{node.lineno} {node.name} ({hits})")
    return signatures, annotations, named


def main(argv: list[str]) -> int:
    show = "--list" in argv
    paths = [Path(a) for a in argv if a != "--list"] or [Path("nbjournal")]
    signatures, annotations, named = count(paths)
    if show:
        print("\n".join(named))
    print(f"Any in {signatures} signatures ({annotations} annotations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
