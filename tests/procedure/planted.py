"""Planted notebooks: cells in notebook order, the order they are executed in, what happens
to the saved notebook afterwards, and the truth: the cells the experiment cell depends on
(the slice must hold each of them) and the status the run must get.

Every in-place mutation case plants a stale dependency through the mutating cell (edited,
deleted, run twice, run below the experiment): none may come out ``clean``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    #: ``(cell id, code)`` in the notebook's order; ``e`` is the experiment cell
    cells: tuple[tuple[str, str], ...]
    #: cell ids in execution order (``(id, code)`` runs other code in that cell)
    order: tuple[str | tuple[str, str], ...]
    must: frozenset[str]
    status: str
    #: cells the slice must not hold (nothing the experiment depends on)
    never: frozenset[str] = frozenset()
    edits: dict[str, str] = field(default_factory=dict)
    deleted: frozenset[str] = frozenset()
    #: whether executions carry cell ids (JupyterLab) or not (a plain client)
    ids: bool = True
    files: dict[str, str] = field(default_factory=dict)
    #: the cell that must appear twice in the slice (a mutation run twice)
    twice: str | None = None


def experiment(name: str, expression: str) -> str:
    # the case's name in the code: two cases never share a fingerprint (no restore)
    return f"%%experiment case-{name}\nplanted = {name!r}\nresult = {expression}\nresult"


def case(
    name: str,
    cells: list[tuple[str, str]],
    expression: str,
    order: str | list[str | tuple[str, str]],
    must: str,
    status: str,
    *,
    at: int | None = None,
    **options: object,
) -> Case:
    """``cells`` without the experiment cell, which goes at position ``at`` (default: last)."""
    placed = list(cells)
    placed.insert(len(placed) if at is None else at, ("e", experiment(name, expression)))
    sequence = list(order)
    options = {k: frozenset(v) if k in {"never", "deleted"} else v for k, v in options.items()}
    return Case(name, tuple(placed), tuple(sequence), frozenset(must), status, **options)  # type: ignore[arg-type]


CASES = [
    # -- rebinding ---------------------------------------------------------------------
    case("rebind", [("a", "x = [1, 2]"), ("b", "x = [1, 2, 3]")], "float(len(x))",
         "abe", "b", "clean", never="a"),
    case("rebind-stale-order", [("a", "x = [1, 2]"), ("b", "x = [1, 2, 3]")], "float(len(x))",
         "bae", "a", "out of order"),
    case("rebind-unrelated-edit", [("a", "x = 1"), ("b", "z = 2")], "float(x)", "abe", "a",
         "clean", never="b", edits={"b": "z = 3"}),
    case("rebind-unrelated-delete", [("a", "x = 1"), ("b", "z = 2")], "float(x)", "abe", "a",
         "clean", never="b", deleted="b"),
    case("augmented", [("a", "n = 1"), ("b", "n += 1")], "float(n)", "abe", "ab", "clean"),
    case("augmented-twice", [("a", "n = 1"), ("b", "n += 1")], "float(n)", "abbe", "ab",
         "out of order", twice="b"),
    case("del-then-bind", [("a", "x = 1"), ("b", "del x"), ("c", "x = 5")], "float(x)",
         "abce", "c", "clean", never="a"),
    # -- in-place mutation ---------------------------------------------------------------
    case("append", [("a", "xs = []"), ("b", "xs.append(4)")], "float(sum(xs))", "abe", "ab",
         "clean"),
    case("append-edited", [("a", "xs = []"), ("b", "xs.append(4)")], "float(sum(xs))", "abe",
         "ab", "upstream edited", edits={"b": "xs.append(5)"}),
    case("pop-deleted", [("a", "xs = [1, 2, 3]"), ("b", "xs.pop()")], "float(sum(xs))", "abe",
         "ab", "upstream gone", deleted="b"),
    case("inplace-edited", [
        ("a", "import pandas as pd\ndf = pd.DataFrame({'v': [1.0, None, 3.0]})"),
        ("b", "df.dropna(inplace=True)")], "float(len(df))", "abe", "ab", "upstream edited",
        edits={"b": "df.fillna(0, inplace=True)"}),
    case("inplace-twice", [
        ("a", "import pandas as pd\ndf = pd.DataFrame({'v': [1.0, 2.0]})"),
        ("b", "df.drop(df.index[:1], inplace=True)")], "float(len(df))", "abbe", "ab",
        "out of order", twice="b"),
    case("setitem-below", [("a", "xs = [0, 0]"), ("b", "xs[0] = 5")], "float(xs[0])", "abe",
         "ab", "out of order", at=1),
    case("setitem-pandas-edited", [
        ("a", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})"),
        ("b", "df['c'] = df['a'] * 2")], "float(df['c'].sum())", "abe", "ab",
        "upstream edited", edits={"b": "df['c'] = df['a'] * 3"}),
    case("setattr-deleted", [
        ("a", "class Box:\n    pass"), ("b", "box = Box()\nbox.v = 1"), ("c", "box.v = 2")],
        "float(box.v)", "abce", "abc", "upstream gone", deleted="c"),
    case("shuffle-twice", [
        ("a", "import random\nitems = [3, 1, 2]"), ("b", "random.seed(0)\nrandom.shuffle(items)")],
        "float(items[0])", "abbe", "ab", "out of order", twice="b"),
    case("mutating-loop-edited", [
        ("a", "rows = [[1], [2]]"), ("b", "for row in rows:\n    row.append(0)")],
        "float(sum(map(len, rows)))", "abe", "ab", "upstream edited",
        edits={"b": "for row in rows:\n    row.extend([0, 0])"}),
    case("function-mutates-deleted", [
        ("a", "data = [1]"), ("b", "def grow():\n    data.append(2)"), ("c", "grow()")],
        "float(len(data))", "abce", "abc", "upstream gone", deleted="c"),
    # -- aliasing ------------------------------------------------------------------------
    case("alias-append", [("a", "a = [1]"), ("b", "b = a"), ("c", "b.append(2)")],
         "float(len(a))", "abce", "abc", "clean"),
    case("alias-append-edited", [("a", "a = [1]"), ("b", "b = a"), ("c", "b.append(2)")],
         "float(len(a))", "abce", "abc", "upstream edited", edits={"c": "b.append(3)"}),
    case("alias-reverse-twice", [("a", "a = [1]"), ("b", "b = a"), ("c", "a.append(2)")],
         "float(len(b))", "abcce", "abc", "out of order", twice="c"),
    case("alias-slice-view", [
        ("a", "import numpy as np\narr = np.zeros(4)"), ("b", "view = arr[1:]"),
        ("c", "view[0] = 7.0")], "float(arr.sum())", "abce", "abc", "upstream edited",
        edits={"c": "view[0] = 8.0"}),
    # -- functions, classes, imports, loops, with ------------------------------------------
    case("function", [("a", "def double(v):\n    return v * 2"), ("b", "k = 3")],
         "float(double(k))", "abe", "ab", "clean"),
    case("function-global", [("a", "scale = 2"), ("b", "def f(v):\n    return v * scale")],
         "float(f(1))", "abe", "ab", "clean"),
    case("function-global-edited", [("a", "scale = 2"),
                                    ("b", "def f(v):\n    return v * scale")],
         "float(f(1))", "abe", "ab", "upstream edited", edits={"a": "scale = 3"}),
    case("class", [("a", "class Model:\n    def __init__(self):\n        self.w = 1.5")],
         "Model().w", "ae", "a", "clean"),
    case("import", [("a", "import math"), ("b", "unrelated = 1")], "math.sqrt(16.0)", "abe",
         "a", "clean", never="b"),
    case("module-seed-edited", [("a", "import random"), ("b", "random.seed(1)")],
         "random.random()", "abe", "ab", "upstream edited", edits={"b": "random.seed(2)"}),
    case("loop", [("a", "total = 0\nfor i in range(4):\n    total += i")], "float(total)",
         "ae", "a", "clean"),
    case("with", [("a", "import contextlib"),
                  ("b", "with contextlib.nullcontext(5) as v:\n    w = v + 1")],
         "float(w)", "abe", "ab", "clean"),
    # -- order -----------------------------------------------------------------------------
    case("bound-below-experiment", [("a", "x = 1"), ("b", "y = x * 2")], "float(y)", "abe",
         "ab", "out of order", at=1),
    case("run-above-after-below", [("a", "y = x * 2"), ("b", "x = 3")], "float(y)", "bae",
         "ab", "out of order"),
    case("edited-then-rerun", [("a", "x = 2")], "float(x)", [("a", "x = 1"), "a", "e"], "a",
         "clean"),
    case("run-twice-rebinding", [("a", "x = 1")], "float(x)", "aae", "a", "clean"),
    # -- edits and deletions ---------------------------------------------------------------
    case("edited", [("a", "x = [1, 2]")], "float(len(x))", "ae", "a", "upstream edited",
         edits={"a": "x = [9]"}),
    case("deleted", [("a", "x = [1, 2]")], "float(len(x))", "ae", "a", "upstream gone",
         deleted="a"),
    # -- hidden state, magics as written -----------------------------------------------------
    case("percent-run", [("a", "%run helper.py")], "float(h)", "ae", "a", "hidden state",
         files={"helper.py": "h = 5\n"}),
    case("exec", [("a", "exec('q = 4')")], "float(q)", "ae", "a", "hidden state"),
    case("time-magic", [("a", "%time t = 5")], "float(t)", "ae", "a", "clean"),
    case("shell-line", [("a", "lines = !echo hi")], "float(len(lines))", "ae", "a", "clean"),
    # -- no cell ids (a client that sends none): cells matched by their code --------------
    case("no-ids-clean", [("a", "x = 4"), ("b", "z = 1")], "float(x)", "abe", "a", "clean",
         ids=False),
    case("no-ids-edited", [("a", "x = 4")], "float(x)", "ae", "a", "upstream gone",
         ids=False, edits={"a": "x = 5"}),
    case("no-ids-order", [("a", "y = x * 2"), ("b", "x = 3")], "float(y)", "bae", "ab",
         "out of order", ids=False),
]  # fmt: skip
