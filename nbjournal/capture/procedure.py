"""The backward slice of an experiment cell over the kernel's history (pure: no IPython).

A run's result depends on more than its cell: on the cells that loaded, cleaned
and split the data before it. From the names the experiment cell reads, the
slice takes the latest earlier executed cell that bound each name, every cell
after it that may have changed the name, and, recursively, what those cells
read. Everything is read from the code (the AST), never traced:

- **bindings**: assignments (also augmented and annotated), imports, ``def``,
  ``class``, ``for`` and ``with`` targets, ``del``;
- **possible changes**: a method called on a name (``x.append(1)``), an item or
  attribute assigned into it (``x[i] = v``, ``x.a = v``), the name passed to a
  call (``shuffle(x)``); for a name bound by ``import`` only attribute
  assignments and setting calls (``np.random.seed``) count;
- **aliases**: ``b = a``, ``b = a[1:]``, ``b = a.values``, ``for row in rows``
  and containers of those make ``a`` and ``b`` one object: a change of one is a
  change of the other;
- **opaque cells** (``%run``, ``exec``, ``import *``, ``globals()``, unknown
  magics) may bind anything: they are kept between a name's binding and its read,
  and a name nothing bound is *hidden state*.

The slice may be larger than needed, never smaller for these forms. What a static
reading cannot see (a function returning its argument, mutation through an
object reached another way, side effects on files) is listed in the README.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_BUILTINS = frozenset(dir(builtins))
#: Calls that never change what they are given (unless the cell rebinds them).
PURE_CALLS = frozenset(
    {"print", "len", "repr", "type", "isinstance", "issubclass", "id", "display", "hasattr"}
)
#: Calls through a module that change its state (``np.random.seed(0)``, ``tf.config.set_…``).
_SETTING = re.compile(r"^(seed|set_.*|manual_seed|use|enable.*|disable.*|update|reset.*)$")
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
            reads=frozenset(self.reads - _BUILTINS),
            deferred=frozenset(self.deferred - _BUILTINS),
            aliases=tuple(self.aliases),
            opaque=self.opaque,
            outputs=frozenset(self.outputs),
            calls=frozenset(self.calls),
            function_changes=tuple(self.function_changes),
        )

    # -- statements ------------------------------------------------------------------

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
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
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    self.opaque = self.opaque or "import *"
                    continue
                name = (alias.asname or alias.name).split(".")[0]
                self._bind(name)
                if isinstance(node, ast.Import):
                    self.modules.add(name)
            return
        if isinstance(node, ast.Assign):
            self.expression(node.value)
            for target in node.targets:
                self.target(target)
                self._alias(target, node.value)
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.expression(node.value)
                self.target(node.target)
                self._alias(node.target, node.value)
            return
        if isinstance(node, ast.AugAssign):
            self.expression(node.value)
            if isinstance(node.target, ast.Name):
                self._read(node.target.id)
            self.target(node.target)
            return
        if isinstance(node, ast.Delete):
            for target in node.targets:
                self.target(target)
            return
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.expression(node.iter)
            self.branch += 1
            self.target(node.target)
            self._alias(node.target, node.iter)
            before = set(self.sure)
            self.sure |= set(_target_names(node.target))  # the body runs with them bound
            self._block(node.body + node.orelse)
            self.sure = before
            self.branch -= 1
            return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expression(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
                    self._alias(item.optional_vars, item.context_expr)
            self._block(node.body)
            return
        if isinstance(node, ast.Global):
            return
        # if / while / try / match / expression statements / return ...: walk the parts;
        # what a branch binds may not be bound after it
        nested = isinstance(node, (ast.If, ast.While, ast.Try, ast.Match)) or (
            type(node).__name__ == "TryStar"
        )
        self.branch += nested
        self._parts(node)
        self.branch -= nested

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
        for node in ast.walk(case.pattern):
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
        local: set[str] = set()
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
                local.add(inner.id)
            elif isinstance(inner, ast.arg):
                local.add(inner.arg)
        declared = {
            name
            for inner in ast.walk(node)
            if isinstance(inner, (ast.Global, ast.Nonlocal))
            for name in inner.names
        }
        for inner in ast.walk(node):
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
        for inner in _walk_skipping_scopes(node):
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
            for inner in ast.walk(generator.target)
            if isinstance(inner, ast.Name)
        }
        for inner in ast.walk(node):
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
                if _SETTING.match(function.attr):
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
            magic, line, body = arguments[0], arguments[1], arguments[2]
            if magic in PYTHON_CELL_MAGICS and isinstance(body, str):
                for param in _PARAM.findall(line if isinstance(line, str) else ""):
                    self._bind(param)
                if magic == "experiment" and "--repeat" in str(line):
                    self._bind("seed")
                self._python(body)
            elif magic not in _DISPLAY_OR_SHELL_MAGICS:
                self.opaque = self.opaque or f"%%{magic}"

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


def _walk_skipping_scopes(node: ast.AST) -> Iterable[ast.AST]:
    """``ast.walk`` that yields a lambda or comprehension but not what is inside it."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(
            current, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
        ):
            continue
        stack.extend(ast.iter_child_nodes(current))


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


# -- the slice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """The upstream cells of one experiment cell and the names nothing recorded bound."""

    #: execution counts of the upstream cells, in execution order
    cells: tuple[int, ...]
    #: per upstream cell, the names it bound or may have changed that the slice follows
    names: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: names read that no recorded cell bound (hidden state), with opaque cells that may have
    hidden: tuple[str, ...] = ()
    #: execution counts of opaque cells kept in the slice (``%run``, ``exec``...)
    opaque: tuple[int, ...] = ()
    #: per upstream cell, earlier cells outside the slice that bound the same names: run
    #: top to bottom, one sitting below it would win
    shadows: dict[int, tuple[int, ...]] = field(default_factory=dict)


class _Index:
    """Per name, the execution counts that bind it, change it, or are opaque (sorted)."""

    def __init__(self, history: Sequence[tuple[int, CellFacts]]) -> None:
        self.facts = dict(history)
        self.counts = sorted(self.facts)
        self.binders: dict[str, list[int]] = {}
        self.changers: dict[str, list[int]] = {}
        self.module_changers: dict[str, list[int]] = {}
        self.opaque: list[int] = []
        aliases: list[tuple[str, str]] = []
        changed_by: dict[str, set[str]] = {}
        modules: set[str] = set()
        for count in self.counts:
            facts = self.facts[count]
            modules |= facts.modules
            aliases.extend(facts.aliases)
            for function, names in facts.function_changes:
                changed_by.setdefault(function, set()).update(names)
        for count in self.counts:
            facts = self.facts[count]
            for function in facts.calls & changed_by.keys():
                for name in changed_by[function]:
                    self.changers.setdefault(name, []).append(count)
                    self.module_changers.setdefault(name, []).append(count)
            for name in facts.binds:
                table = self.binders if name in facts.sure else self.changers
                table.setdefault(name, []).append(count)
                if name not in facts.sure:
                    self.module_changers.setdefault(name, []).append(count)
            for name in facts.changes:
                self.changers.setdefault(name, []).append(count)
            for name in facts.module_changes:
                self.module_changers.setdefault(name, []).append(count)
            if facts.opaque:
                self.opaque.append(count)
        self.group = _groups((a, b) for a, b in aliases if a not in modules and b not in modules)

    def binder(self, name: str, before: int) -> int | None:
        counts = self.binders.get(name, [])
        at = bisect.bisect_left(counts, before)
        return counts[at - 1] if at else None

    def between(self, counts: list[int], after: int, before: int) -> list[int]:
        return counts[bisect.bisect_right(counts, after) : bisect.bisect_left(counts, before)]


def backward_slice(
    history: Sequence[tuple[int, CellFacts]],
    cell: CellFacts,
    count: int,
    *,
    known: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> Slice:
    """The upstream cells of the cell executed as ``count`` (``history``: earlier cells).

    ``known`` are the names the namespace holds now: a name read that no cell bound
    is hidden state only when the namespace has it (else the code would fail, not
    mislead). ``ignore``: names the experiment binds itself (``-p``) or IPython's own.
    """
    index = _Index(history)
    known_names = None if known is None else set(known)
    skip = set(ignore)
    kept: dict[int, set[str]] = {}
    hidden: dict[str, None] = {}
    opaque_kept: set[int] = set()
    seen: set[tuple[str, int, int]] = set()
    # (name, read at, called until): a name read when ``read at`` ran, or, inside a function
    # defined then, whenever the function was called: up to the experiment cell, since a
    # function kept in an object may be called by any later cell
    work: list[tuple[str, int, int]] = [(n, count, count) for n in cell.reads | cell.deferred]
    outputs = list(cell.outputs)

    def keep(at: int, name: str) -> None:
        fresh = at not in kept
        kept.setdefault(at, set()).add(name)
        if fresh:
            facts = index.facts[at]
            work.extend((n, at, at) for n in facts.reads)
            work.extend((n, at, count) for n in facts.deferred)
            outputs.extend(facts.outputs)

    while work or outputs:
        while outputs:
            out = outputs.pop()
            if out in index.facts and out < count:
                keep(out, f"_{out}")
        if not work:
            break
        item = work.pop()
        name, read_at, until = item
        if name in skip or item in seen:
            continue
        seen.add(item)
        binder = index.binder(name, read_at)
        binders = index.between(index.binders.get(name, []), read_at - 1, until)
        candidates = ([binder] if binder is not None else []) + binders
        start = binder if binder is not None else 0
        maybe = index.between(index.changers.get(name, []), 0, until)
        if not candidates and not any(name in index.facts[c].binds for c in maybe):
            if (known_names is None or name in known_names) and name not in _BUILTINS:
                hidden.setdefault(name, None)
            candidates = [c for c in index.opaque if c < until]  # may have bound it
        is_module = binder is not None and name in index.facts[binder].modules
        for member in index.group.get(name, {name}):
            table = index.module_changers if is_module and member == name else index.changers
            candidates += index.between(table.get(member, []), start, until)
        candidates += index.between(index.opaque, start, until)
        for at in candidates:
            if at < count:
                if at in index.opaque:
                    opaque_kept.add(at)
                keep(at, name)
    cells = tuple(sorted(kept))
    shadows = {
        at: tuple(
            sorted(
                {
                    earlier
                    for name in kept[at]
                    for earlier in index.binders.get(name, [])
                    if earlier < at and earlier not in kept
                }
            )
        )
        for at in cells
    }
    return Slice(
        cells=cells,
        names={at: tuple(sorted(kept[at])) for at in cells},
        hidden=tuple(sorted(hidden)),
        opaque=tuple(sorted(opaque_kept)),
        shadows={at: found for at, found in shadows.items() if found},
    )


def _groups(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Names that may be one object, by union of alias pairs."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, set[str]] = {}
    for name in list(parent):
        groups.setdefault(find(name), set()).add(name)
    return {name: groups[find(name)] for name in parent}
