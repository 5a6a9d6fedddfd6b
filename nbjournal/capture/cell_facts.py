"""What one executed cell binds, may change and reads, from its code alone (pure: no IPython).

The rules (bindings, possible changes, aliases, opaque cells) are listed in
``capture/procedure.py``, which builds the backward slice from these facts.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .code import walk

#: Python's own names: never read from an upstream cell.
BUILTINS = frozenset(dir(builtins))
#: Calls that never change what they are given (unless the cell rebinds them).
PURE_CALLS = frozenset(
    {"print", "len", "repr", "type", "isinstance", "issubclass", "id", "display", "hasattr"}
)
#: Calls through a module that change its state (``np.random.seed(0)``, ``tf.config.set_…``).
SETTING_CALLS = re.compile(r"^(seed|set_.*|manual_seed|use|enable.*|disable.*|update|reset.*)$")
#: Line magics that bind no name and change nothing a cell reads.
HARMLESS_MAGICS = frozenset(
    {"load_ext", "reload_ext", "matplotlib", "pip", "conda", "who", "whos", "lsmagic",
     "history", "pwd", "config", "precision", "pdb", "xmode", "autoreload", "aimport",
     "journal", "inference", "pinfo", "pinfo2", "psearch", "page", "ls", "timeit"}
)  # fmt: skip
#: Cell magics whose body runs as Python in the user's namespace.
PYTHON_CELL_MAGICS = frozenset({"experiment", "time", "capture", "prun"})
#: Methods that read their arguments and change only their receiver (Keras, scikit-learn).
READING_METHODS = frozenset(
    {"fit", "fit_transform", "fit_predict", "partial_fit", "predict", "predict_proba",
     "evaluate", "score", "transform", "inverse_transform", "decision_function"}
)  # fmt: skip
#: Cell magics that show or write something, or run a shell: they bind no Python name.
_DISPLAY_OR_SHELL_MAGICS = frozenset(
    {"html", "markdown", "latex", "javascript", "js", "svg", "bash", "sh", "script",
     "writefile", "file", "sql"}
)  # fmt: skip
_PARAM = re.compile(r"(?:^|\s)(?:-p|--param|-g|--grid)[\s=]+([A-Za-z_]\w*)\s*=")


@dataclass(frozen=True)
class CellFacts:
    """What one executed cell bound, may have changed and read: parsed once per execution."""

    binds: frozenset[str] = frozenset()
    #: the names of ``binds`` bound whatever happens (not only inside an ``if``, a loop, a
    #: ``try``): the others are possible changes, and an earlier binding still counts
    sure: frozenset[str] = frozenset()
    #: names bound by ``import`` (only setting calls change a module)
    modules: frozenset[str] = frozenset()
    changes: frozenset[str] = frozenset()
    #: possible changes of a module: attribute assignment, a setting call
    module_changes: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    #: names read inside ``def``/``lambda``/``class`` bodies: read when called, not when run
    deferred: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()
    opaque: str | None = None
    #: names read as ``_N``/``Out[N]``: the output of execution N
    outputs: frozenset[int] = frozenset()
    #: names called as functions (``prep()``): a call runs what the function changes
    calls: frozenset[str] = frozenset()
    #: per function or class defined here, the outside names its body may change
    function_changes: tuple[tuple[str, frozenset[str]], ...] = ()


def cell_facts(source: str, transform: object = None) -> CellFacts:
    """The facts of a cell's Python (IPython's transformed source). A cell that does not
    parse ran nothing, so it binds nothing. ``transform`` turns a magic's body into Python."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return CellFacts()
    reader = _Reader(transform)
    for statement in tree.body:
        bound, deferred = set(reader.sure), set(reader.deferred)
        reader.statement(statement)
        # a name the cell surely bound before is its own, not read from upstream
        reader.deferred -= (reader.deferred - deferred) & bound
    return reader.facts()


class _Reader:
    def __init__(self, transform: object) -> None:
        self.transform = transform
        self.binds: dict[str, None] = {}
        self.modules: set[str] = set()
        self.changes: set[str] = set()
        self.module_changes: set[str] = set()
        self.reads: set[str] = set()
        self.deferred: set[str] = set()
        self.aliases: list[tuple[str, str]] = []
        self.opaque: str | None = None
        self.outputs: set[int] = set()
        self.calls: set[str] = set()
        #: names surely bound by the cell so far (not inside a branch): read from the cell
        self.sure: set[str] = set()
        self.branch = 0
        self.function_changes: list[tuple[str, frozenset[str]]] = []

    def _read(self, name: str) -> None:
        if name not in self.sure:
            self.reads.add(name)

    def _bind(self, name: str) -> None:
        self.binds[name] = None
        if not self.branch:
            self.sure.add(name)

    def facts(self) -> CellFacts:
        return CellFacts(
            binds=frozenset(self.binds),
            sure=frozenset(self.sure) & frozenset(self.binds),
            modules=frozenset(self.modules),
            changes=frozenset(self.changes),
            module_changes=frozenset(self.module_changes),
            reads=frozenset(self.reads - BUILTINS),
            deferred=frozenset(self.deferred - BUILTINS),
            aliases=tuple(self.aliases),
            opaque=self.opaque,
            outputs=frozenset(self.outputs),
            calls=frozenset(self.calls),
            function_changes=tuple(self.function_changes),
        )

    # -- statements ------------------------------------------------------------------

    def statement(self, node: ast.stmt) -> None:
        handler = _STATEMENTS.get(type(node))
        if handler is not None:
            handler(self, node)
            return
        # if / while / try / match / expression statements / return ...: walk the parts;
        # what a branch binds may not be bound after it
        nested = isinstance(node, (ast.If, ast.While, ast.Try, ast.Match)) or (
            type(node).__name__ == "TryStar"
        )
        self.branch += nested
        self._parts(node)
        self.branch -= nested

    def _definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.expression(decorator)
        if isinstance(node, ast.ClassDef):
            for base in [*node.bases, *(k.value for k in node.keywords)]:
                self.expression(base)
        else:
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self.expression(default)
        self._defer(node)
        self._bind(node.name)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.opaque = self.opaque or "import *"
                continue
            name = (alias.asname or alias.name).split(".")[0]
            self._bind(name)
            if isinstance(node, ast.Import):
                self.modules.add(name)

    def _assign(self, node: ast.Assign) -> None:
        self.expression(node.value)
        for target in node.targets:
            self.target(target)
            self._alias(target, node.value)

    def _annotated(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.expression(node.value)
            self.target(node.target)
            self._alias(node.target, node.value)

    def _augmented(self, node: ast.AugAssign) -> None:
        self.expression(node.value)
        if isinstance(node.target, ast.Name):
            self._read(node.target.id)
        self.target(node.target)

    def _delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.target(target)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        self.expression(node.iter)
        self.branch += 1
        self.target(node.target)
        self._alias(node.target, node.iter)
        before = set(self.sure)
        self.sure |= set(_target_names(node.target))  # the body runs with them bound
        self._block(node.body + node.orelse)
        self.sure = before
        self.branch -= 1

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.expression(item.context_expr)
            if item.optional_vars is not None:
                self.target(item.optional_vars)
                self._alias(item.optional_vars, item.context_expr)
        self._block(node.body)

    def _nothing(self, node: ast.stmt) -> None:
        """``global``: binds nothing by itself."""

    def _parts(self, node: ast.stmt) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, ast.expr):
                self.expression(child)
            elif isinstance(child, ast.ExceptHandler):
                if child.type is not None:
                    self.expression(child.type)
                if child.name:
                    self._bind(child.name)
                self._block(child.body)
            elif isinstance(child, ast.match_case):
                self._match_case(child)

    def _match_case(self, case: ast.match_case) -> None:
        for node in walk(case.pattern):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                self.binds[name] = None
            if isinstance(node, ast.expr):
                self.expression(node)
        if case.guard is not None:
            self.expression(case.guard)
        self._block(case.body)

    def _block(self, statements: Iterable[ast.stmt]) -> None:
        for statement in statements:
            self.statement(statement)

    def _defer(self, node: ast.AST) -> None:
        """Names a function or class body reads: read when it is called."""
        inside = walk(node)
        local: set[str] = set()
        declared: set[str] = set()
        for inner in inside:
            if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
                local.add(inner.id)
            elif isinstance(inner, ast.arg):
                local.add(inner.arg)
            elif isinstance(inner, (ast.Global, ast.Nonlocal)):
                declared.update(inner.names)
        for inner in inside:
            if (
                isinstance(inner, ast.Name)
                and isinstance(inner.ctx, ast.Load)
                and (inner.id not in local or inner.id in declared)
            ):
                self.deferred.add(inner.id)
        for name in declared:
            self.binds[name] = None  # a global statement lets the function rebind it
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner_reader = _Reader(self.transform)
            inner_reader._block(node.body)
            outside = (inner_reader.changes - (local - declared)) | declared
            if outside:
                self.function_changes.append((node.name, frozenset(outside)))

    def target(self, node: ast.expr) -> None:
        """An assignment target: a name is bound; ``x[i]``/``x.a`` changes ``x``."""
        if isinstance(node, ast.Name):
            self._bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)
        elif isinstance(node, (ast.Subscript, ast.Attribute)):
            root = _root(node)
            if root is not None:
                self.changes.add(root)
                self.module_changes.add(root)
                self._read(root)
            self.expression(node.value)
            if isinstance(node, ast.Subscript):
                self.expression(node.slice)

    def _alias(self, target: ast.expr, value: ast.expr) -> None:
        sources = _alias_sources(value)
        for name in _target_names(target):
            for source in sources:
                if source != name:
                    self.aliases.append((name, source))

    # -- expressions -----------------------------------------------------------------

    def expression(self, node: ast.expr) -> None:
        for inner in walk(node, skip_scopes=True):
            if isinstance(inner, ast.Name):
                if isinstance(inner.ctx, ast.Load):
                    self._read(inner.id)
                    output = _output_number(inner.id)
                    if output is not None:
                        self.outputs.add(output)
                else:  # a walrus
                    self._bind(inner.id)
            elif isinstance(inner, ast.Call):
                self._call(inner)
            elif isinstance(inner, (ast.Lambda, ast.FunctionDef, ast.ClassDef)):
                self._defer(inner)
            elif isinstance(inner, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                self._comprehension(inner)
            elif (
                isinstance(inner, ast.Subscript)
                and isinstance(inner.value, ast.Name)
                and inner.value.id == "Out"
                and isinstance(inner.slice, ast.Constant)
                and isinstance(inner.slice.value, int)
            ):
                self.outputs.add(inner.slice.value)

    def _comprehension(self, node: ast.expr) -> None:
        local = {
            inner.id
            for generator in node.generators  # type: ignore[attr-defined]
            for inner in walk(generator.target)
            if isinstance(inner, ast.Name)
        }
        for inner in walk(node):
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
                if inner.id not in local:
                    self._read(inner.id)
            elif isinstance(inner, ast.Call):
                self._call(inner)

    def _call(self, node: ast.Call) -> None:
        changes = self.changes
        function = node.func
        name = _function_name(function)
        if isinstance(function, ast.Attribute):
            root = _root(function.value)
            if root is not None:
                changes.add(root)  # a method called on it
                if SETTING_CALLS.match(function.attr):
                    self.module_changes.add(root)
        self._magic(node, name)
        if name in {"exec", "eval", "globals", "vars", "setattr", "locals"} and isinstance(
            function, ast.Name
        ):
            self.opaque = self.opaque or f"{name}()"
        if isinstance(function, ast.Name):
            self.calls.add(function.id)
            if function.id in PURE_CALLS:
                return
        if isinstance(function, ast.Attribute) and function.attr in READING_METHODS:
            return
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(argument, ast.Starred):
                argument = argument.value
            root = _root(argument)
            if root is not None:
                changes.add(root)  # passed to a call
                if isinstance(function, ast.Name) and function.id in {"setattr", "delattr"}:
                    self.module_changes.add(root)

    def _magic(self, node: ast.Call, name: str) -> None:
        """``get_ipython().run_line_magic('run', ...)`` and friends: IPython's magics."""
        function = node.func
        if not (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Call)
            and _function_name(function.value.func) == "get_ipython"
        ):
            return
        arguments = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if name == "run_line_magic" and arguments and isinstance(arguments[0], str):
            magic = arguments[0]
            line = arguments[1] if len(arguments) > 1 and isinstance(arguments[1], str) else ""
            if magic in {"time"} and callable(self.transform):
                self._python(line)
            elif magic not in HARMLESS_MAGICS:
                self.opaque = self.opaque or f"%{magic}"
        elif name == "run_cell_magic" and len(arguments) >= 3:
            cell_magic, magic_line, body = arguments[0], arguments[1], arguments[2]
            if cell_magic in PYTHON_CELL_MAGICS and isinstance(body, str):
                for param in _PARAM.findall(magic_line if isinstance(magic_line, str) else ""):
                    self._bind(param)
                if cell_magic == "experiment" and "--repeat" in str(magic_line):
                    self._bind("seed")
                self._python(body)
            elif cell_magic not in _DISPLAY_OR_SHELL_MAGICS:
                self.opaque = self.opaque or "%%" + str(cell_magic)

    def _python(self, code: str) -> None:
        transform = self.transform
        source = transform(code) if callable(transform) else code
        inner = cell_facts(source, transform)
        self.binds.update(dict.fromkeys(inner.binds))
        if not self.branch:
            self.sure |= inner.sure
        self.modules |= inner.modules
        self.changes |= inner.changes
        self.module_changes |= inner.module_changes
        self.reads |= inner.reads
        self.deferred |= inner.deferred
        self.aliases.extend(inner.aliases)
        self.outputs |= inner.outputs
        self.opaque = self.opaque or inner.opaque


#: the statements the reader handles one by one (the rest: walk their parts)
_STATEMENTS: dict[type[ast.stmt], Callable[[_Reader, Any], None]] = {
    ast.FunctionDef: _Reader._definition,
    ast.AsyncFunctionDef: _Reader._definition,
    ast.ClassDef: _Reader._definition,
    ast.Import: _Reader._import,
    ast.ImportFrom: _Reader._import,
    ast.Assign: _Reader._assign,
    ast.AnnAssign: _Reader._annotated,
    ast.AugAssign: _Reader._augmented,
    ast.Delete: _Reader._delete,
    ast.For: _Reader._for,
    ast.AsyncFor: _Reader._for,
    ast.With: _Reader._with,
    ast.AsyncWith: _Reader._with,
    ast.Global: _Reader._nothing,
}


def _root(node: ast.AST) -> str | None:
    """``x`` of ``x``, ``x.a.b``, ``x[i][j]``, ``x.a[i]``; ``None`` for anything else."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _function_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _alias_sources(value: ast.expr) -> list[str]:
    """Names whose object ``value`` may be (or be part of): ``a``, ``a.b``, ``a[1:]``,
    ``a.view()``, ``(a, b)``, ``[a, b]``, ``{"k": a}``, ``x if c else a``."""
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return [n for element in value.elts for n in _alias_sources(element)]
    if isinstance(value, ast.Dict):
        return [n for element in value.values for n in _alias_sources(element)]
    if isinstance(value, ast.IfExp):
        return _alias_sources(value.body) + _alias_sources(value.orelse)
    if isinstance(value, ast.NamedExpr):
        return _alias_sources(value.value)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        root = _root(value.func.value)
        return [root] if root is not None else []
    root = _root(value)
    return [root] if root is not None else []


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _output_number(name: str) -> int | None:
    if len(name) > 1 and name[0] == "_" and name[1:].isdigit():
        return int(name[1:])
    return None
