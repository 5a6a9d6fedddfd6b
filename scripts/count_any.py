"""Count ``Any`` in the package's function signatures (parameters and return types).

    python scripts/count_any.py [--list] [PATH...]     (default: nbjournal/)

Prints the number of signatures that mention ``Any`` and the number of annotations that do;
``--list`` names each. Migrations are left out (Alembic writes them).

A type alias that holds ``Any`` (``Row = list[Any]``, ``Thing: TypeAlias = "Any"``) counts as
``Any`` wherever it is used, in its own module or imported, so that a name cannot hide one.
Aliases are read from every file under the package root of the paths given.
"""

from __future__ import annotations

import ast
import sys
from functools import lru_cache
from pathlib import Path


def _mentions_any(node: ast.expr | None, aliases: frozenset[str] = frozenset()) -> bool:
    """Whether the annotation ``node`` holds ``Any`` or a name in ``aliases`` (aliases of it)."""
    if node is None:
        return False
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and (part.id == "Any" or part.id in aliases):
            return True
        if isinstance(part, ast.Attribute) and (part.attr == "Any" or part.attr in aliases):
            return True
        text = part.value if isinstance(part, ast.Constant) else None
        if isinstance(text, str) and ("Any" in text or _text_mentions(text, aliases)):
            return True
    return False


def _text_mentions(text: str, aliases: frozenset[str]) -> bool:
    """A string annotation (``"list[Row]"``) read as the expression it spells."""
    if not aliases:
        return False
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return _mentions_any(tree.body, aliases)


def _alias_value(node: ast.stmt) -> tuple[str, ast.expr] | None:
    """``(name, value)`` of a module-level type alias, else ``None``."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        type_like = (ast.Name, ast.Attribute, ast.Subscript, ast.BinOp)
        if isinstance(target, ast.Name) and isinstance(node.value, type_like):
            return target.id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        annotation = ast.unparse(node.annotation)
        if annotation.endswith("TypeAlias") and node.value is not None:
            return node.target.id, node.value
    type_alias = getattr(ast, "TypeAlias", None)  # ``type Name = ...`` (Python 3.12)
    if type_alias is not None and isinstance(node, type_alias):
        return node.name.id, node.value  # type: ignore[attr-defined]
    return None


def _module_aliases(trees: dict[Path, ast.Module]) -> dict[Path, frozenset[str]]:
    """Per file, the names that are aliases of ``Any``: defined there or imported (repeated
    until no new one appears, so an alias of an alias counts too)."""
    found: dict[Path, set[str]] = {path: set() for path in trees}
    by_module = {_dotted(path): path for path in trees}
    changed = True
    while changed:
        changed = False
        for path, tree in trees.items():
            known = frozenset(found[path])
            for node in _top_level(tree):
                alias = _alias_value(node)
                if alias and alias[0] not in known and _mentions_any(alias[1], known):
                    found[path].add(alias[0])
                    changed = True
                if isinstance(node, ast.ImportFrom):
                    source = by_module.get(_resolve(path, node))
                    for imported in node.names:
                        name = imported.asname or imported.name
                        taken = source is not None and imported.name in found[source]
                        if taken and name not in found[path]:
                            found[path].add(name)
                            changed = True
    return {path: frozenset(names) for path, names in found.items()}


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """Module-level statements, those under ``if TYPE_CHECKING:`` included."""
    statements: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If):
            statements += node.body
        else:
            statements.append(node)
    return statements


def _dotted(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    """The dotted module an ``ImportFrom`` reads, relative ones resolved against ``path``."""
    if not node.level:
        return node.module or ""
    package = list(path.with_suffix("").parts)[:-1]  # the file's package
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _package_root(path: Path) -> Path:
    """The top package folder holding ``path`` (the folder whose parent has no __init__)."""
    folder = path if path.is_dir() else path.parent
    while (folder.parent / "__init__.py").exists():
        folder = folder.parent
    return folder


def _files(root: Path) -> list[Path]:
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    return [p for p in files if "migrations" not in p.parts]


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4096)
def _parsed(path: str, mtime_ns: int, size: int) -> ast.Module:
    """A file's tree, parsed once while the file is unchanged (the walls' tests count a
    package and its planted copies several times in one process; the trees are only read)."""
    return ast.parse(Path(path).read_text(), path)


def count(paths: list[Path]) -> tuple[int, int, list[str]]:
    """``(signatures, annotations, named)``: how many signatures and annotations under
    ``paths`` mention ``Any`` (or an alias of it), and each such signature as a line."""
    roots = {_package_root(p.resolve()) for p in paths}
    every = sorted({f for root in roots for f in _files(root)})
    base = {f: f.relative_to(_package_root(f).parent) for f in every}
    trees = {base[f]: _parsed(str(f), *_stamp(f)) for f in every}
    aliases = _module_aliases(trees)
    signatures = annotations = 0
    named: list[str] = []
    for root in paths:
        for path in _files(root):
            tree = trees[base[path.resolve()]]
            known = aliases[base[path.resolve()]]
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                args = node.args
                given = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                given += [a for a in (args.vararg, args.kwarg) if a is not None]
                hits = sum(_mentions_any(a.annotation, known) for a in given)
                hits += _mentions_any(node.returns, known)
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
