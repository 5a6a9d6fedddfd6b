"""Reading the cell's code: its normal form, free names, literal assignments, file names.

The normal form is what the fingerprint hashes: comments, whitespace and the
hypothesis (a leading string) do not change an experiment; code does.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_BUILTINS = frozenset(dir(builtins))
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit"})


@dataclass(frozen=True)
class CellCode:
    """The parsed cell: what it reads from the namespace and what it assigns."""

    tree: ast.Module
    normal_form: str
    free_names: tuple[str, ...]
    literal_assignments: dict[str, Any]
    assigned_names: tuple[str, ...]
    fitted_receivers: tuple[str, ...]
    string_literals: tuple[str, ...] = field(default=())
    bound_names: tuple[str, ...] = field(default=())


def parse_cell(python_source: str) -> CellCode:
    """Parse the cell (already turned into plain Python by IPython's transformers)."""
    tree = ast.parse(python_source)
    return CellCode(
        tree=tree,
        normal_form=normal_form(tree),
        free_names=free_names(tree),
        literal_assignments=literal_assignments(tree),
        assigned_names=assigned_names(tree),
        fitted_receivers=fitted_receivers(tree),
        string_literals=string_literals(tree),
        bound_names=bound_names(tree),
    )


def normal_form(tree: ast.Module) -> str:
    body = list(tree.body)
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and _is_string(first.value):
        body = body[1:]  # the hypothesis as a leading string
    return ast.unparse(ast.Module(body=body, type_ignores=[]))


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def free_names(tree: ast.Module) -> tuple[str, ...]:
    """Names the cell reads before it assigns them at top level (in order of first use)."""
    assigned: set[str] = set()
    found: dict[str, None] = {}
    for statement in tree.body:
        stores: set[str] = set()
        bound_inside = _loop_bound_loads(statement)
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    if id(node) in bound_inside:
                        continue  # a loop's or function's own name: never the namespace's
                    if node.id not in assigned and node.id not in _BUILTINS:
                        found.setdefault(node.id, None)
                else:
                    stores.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stores.add(node.name)
            elif isinstance(node, ast.alias):
                stores.add((node.asname or node.name).split(".")[0])
        assigned |= stores
    return tuple(found)


def _loop_bound_loads(statement: ast.stmt) -> set[int]:
    """The loads (by node id) of a name bound by an enclosing ``for`` target, comprehension
    target or function/lambda argument: ``for act in [...]: use(act)`` reads the loop's
    ``act``, not an earlier cell's (issue 21.8: a stale value was recorded)."""
    finder = _LoopBound()
    finder.visit(statement, frozenset())
    return finder.found


class _LoopBound:
    """Walks one statement with the names its enclosing loops and functions bind."""

    def __init__(self) -> None:
        self.found: set[int] = set()

    def visit(self, node: ast.AST, bound: frozenset[str]) -> None:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in bound:
            self.found.add(id(node))
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._loop(node, bound)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self._comprehension(node, bound)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._function(node, bound)
        else:
            for child in ast.iter_child_nodes(node):
                self.visit(child, bound)

    def _loop(self, node: ast.For | ast.AsyncFor, bound: frozenset[str]) -> None:
        self.visit(node.iter, bound)  # evaluated before the target is bound
        inner = bound | _targets(node.target)
        for child in [node.target, *node.body, *node.orelse]:
            self.visit(child, inner)

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        bound: frozenset[str],
    ) -> None:
        inner = bound
        for generator in node.generators:
            self.visit(generator.iter, inner)
            inner = inner | _targets(generator.target)
            for condition in generator.ifs:
                self.visit(condition, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self.visit(part, inner)

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, bound: frozenset[str]
    ) -> None:
        arguments = node.args
        names = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        for default in [*arguments.defaults, *(d for d in arguments.kw_defaults if d)]:
            self.visit(default, bound)
        body = node.body if isinstance(node.body, list) else [node.body]
        for child in body:
            self.visit(child, bound | names)


def _targets(target: ast.AST) -> frozenset[str]:
    return frozenset(
        n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    )


def assigned_names(tree: ast.Module) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for statement in tree.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.setdefault(node.id, None)
    return tuple(names)


def set_before_read(cell: CellCode, names: Iterable[str]) -> list[str]:
    """Of ``names`` (values nbjournal binds before the cell runs: ``-p``, a grid's point),
    those the cell binds itself before it reads them: its own value would run, not the
    recorded one."""
    read, bound = set(cell.free_names), set(cell.bound_names)
    return [name for name in dict.fromkeys(names) if name in bound and name not in read]


def bound_names(tree: ast.Module) -> tuple[str, ...]:
    """Names the cell binds in the namespace, in order: assignments, ``for``/``with`` targets,
    imports, ``def`` and ``class`` at top level (inside ``if``/``for``/``try``... too, as a
    loop leaves its last values), never the locals of functions or comprehensions. These are
    what a cell "made", and what restoring it must give back."""
    names: dict[str, None] = {}
    for statement in tree.body:
        _bindings(statement, names)
    return tuple(names)


#: scopes whose names stay inside them
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _bindings(node: ast.AST, names: dict[str, None]) -> None:
    """Adds to ``names`` what ``node`` binds in the namespace (and drops what it deletes)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.setdefault(node.name, None)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            if alias.name != "*":
                names.setdefault((alias.asname or alias.name).split(".")[0], None)
    elif isinstance(node, ast.Delete):
        for target in node.targets:
            if isinstance(target, ast.Name):
                names.pop(target.id, None)
    elif not isinstance(node, _OWN_SCOPES):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.setdefault(node.id, None)
        for child in ast.iter_child_nodes(node):
            _bindings(child, names)


def literal_assignments(tree: ast.Module) -> dict[str, object]:
    """Top-level ``name = <literal>`` statements: the knobs people turn."""
    found: dict[str, Any] = {}
    for statement in tree.body:
        targets: list[ast.expr]
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        try:
            literal = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = literal
            elif (
                isinstance(target, ast.Tuple)
                and isinstance(literal, tuple)
                and len(target.elts) == len(literal)
            ):
                for element, item in zip(target.elts, literal, strict=True):
                    if isinstance(element, ast.Name):
                        found[element.id] = item
    return found


def fitted_receivers(tree: ast.Module) -> tuple[str, ...]:
    """Names whose ``.fit``-like method the cell calls (``clf.fit(X, y)``)."""
    names: dict[str, None] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FIT_METHODS
            and isinstance(node.func.value, ast.Name)
        ):
            names.setdefault(node.func.value.id, None)
    return tuple(names)


def string_literals(tree: ast.Module) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for node in walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if 0 < len(text) < 4096 and "\n" not in text:
                found.setdefault(text, None)
    return tuple(found)


def last_expression(tree: ast.Module) -> ast.expr | None:
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        return tree.body[-1].value
    return None


def result_name(expression: ast.expr | None) -> str:
    """A metric name for the cell's last expression: ``accuracy_score(...)`` → ``accuracy_score``."""
    if isinstance(expression, ast.Call):
        function = expression.func
        if isinstance(function, ast.Name):
            return function.id
        if isinstance(function, ast.Attribute):
            return function.attr
    if isinstance(expression, ast.Name):
        return expression.id
    if isinstance(expression, ast.Attribute):
        return expression.attr
    return "result"


#: Fields that hold only ``Load``/``Store`` and operators: nothing a reader looks at.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops"})


def walk(node: ast.AST, skip_scopes: bool = False) -> list[ast.AST]:
    """Every node under ``node`` (itself included), as ``ast.walk`` finds them but several
    times faster (no ``Load``/operator nodes; a cell is read in the experiment's time).
    ``skip_scopes``: a lambda or comprehension is listed, not what is inside it."""
    found: list[ast.AST] = []
    stack = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if skip_scopes and current is not node and isinstance(current, _OWN_SCOPES):
            continue
        for name in current._fields:
            if name in _SKIPPED_FIELDS:
                continue
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
    return found
