"""The slice rule on code alone (no kernel): what binds, what may change, what is read."""

from __future__ import annotations

import pytest

from nbjournal.capture.procedure import backward_slice, cell_facts


def sliced(cells: list[str], experiment: str, known: set[str] | None = None) -> tuple[int, ...]:
    """Execution counts (1-based) of the upstream cells of ``experiment`` run after ``cells``."""
    history = [(n, cell_facts(code)) for n, code in enumerate(cells, start=1)]
    return backward_slice(history, cell_facts(experiment), len(cells) + 1, known=known).cells


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("x = 1", "x"),
        ("x: int = 1", "x"),
        ("a, (b, x) = 1, (2, 3)", "x"),
        ("x += 1", "x"),
        ("import x", "x"),
        ("import x.y as z\nx = z", "x"),
        ("from m import x", "x"),
        ("def x(): pass", "x"),
        ("class x: pass", "x"),
        ("for x in range(3): pass", "x"),
        ("with open('f') as x: pass", "x"),
        ("if (x := 3): pass", "x"),
        ("try:\n    pass\nexcept ValueError as x:\n    pass", "x"),
        ("del x", "x"),
    ],
)
def test_every_binding_form_binds(code: str, name: str) -> None:
    assert name in cell_facts(code).binds


@pytest.mark.parametrize(
    "code",
    ["x.append(1)", "x.pop()", "x[0] = 1", "x.a = 1", "x.a.b[2] = 1", "shuffle(x)",
     "f(y, key=x)", "x.sort()", "x.fillna(0, inplace=True)", "del x[0]", "f(*x)"],
)  # fmt: skip
def test_possible_changes(code: str) -> None:
    assert "x" in cell_facts(code).changes


@pytest.mark.parametrize("code", ["print(x)", "len(x)", "y = x + 1", "model.fit(x, y)"])
def test_reads_that_are_not_changes(code: str) -> None:
    facts = cell_facts(code)
    assert "x" in facts.reads and "x" not in facts.changes


def test_a_module_function_is_no_change_of_the_module_but_a_seed_is() -> None:
    cells = ["import numpy as np", "a = np.zeros(3)", "np.random.seed(0)", "b = np.ones(2)"]
    assert sliced(cells, "np.random.rand()") == (1, 3)


def test_the_latest_binding_and_every_change_after_it() -> None:
    cells = ["x = []", "x = [0]", "x.append(1)", "y = 2", "x[0] = 5"]
    assert sliced(cells, "r = sum(x)") == (2, 3, 5)


def test_aliases_share_changes_both_ways() -> None:
    assert sliced(["a = [1]", "b = a", "b.append(2)"], "r = len(a)") == (1, 2, 3)
    assert sliced(["a = [1]", "b = a", "a.append(2)"], "r = len(b)") == (1, 2, 3)
    assert sliced(["rows = [[1]]", "for r in rows:\n    r.append(0)"], "n = rows") == (1, 2)


def test_a_function_read_at_call_time_and_its_changes_at_the_call() -> None:
    cells = ["scale = 2", "def f(v):\n    return v * scale", "scale = 3"]
    # f may be called at any time up to the experiment: every scale it may have seen
    assert sliced(cells, "r = f(1)") == (1, 2, 3)
    assert sliced(cells[:2], "r = f(1)") == (1, 2)
    cells = ["data = [1]", "def grow():\n    data.append(2)", "grow()", "other = 1"]
    assert sliced(cells, "r = len(data)") == (1, 2, 3)


def test_a_binding_in_a_branch_does_not_hide_the_earlier_one() -> None:
    cells = ["x = 1", "if flag:\n    x = 2"]
    assert sliced(cells, "y = x") == (1, 2)
    # but a name the cell itself surely bound first is its own
    assert sliced(["x = 1"], "x = 5\ny = x") == ()


def test_a_name_nothing_bound_is_hidden_and_opaque_cells_are_kept() -> None:
    history = [
        (1, cell_facts("get_ipython().run_line_magic('run', 'prep.py')")),
        (2, cell_facts("z = 1")),
    ]
    found = backward_slice(history, cell_facts("r = h"), 3, known={"h", "z"})
    assert found.hidden == ("h",) and found.cells == (1,) and found.opaque == (1,)
    # a name the namespace does not hold is no hidden state: the cell would fail instead
    found = backward_slice(history, cell_facts("r = nowhere"), 3, known={"z"})
    assert found.hidden == ()


def test_magics_bind_what_their_python_binds() -> None:
    def transform(code: str) -> str:
        return code  # the bodies here are plain Python

    timed = cell_facts("get_ipython().run_line_magic('time', 't = 5')", transform)
    assert "t" in timed.binds and timed.opaque is None
    body = "get_ipython().run_cell_magic('experiment', 'e -p lr=0.1', 'model = build(lr)')"
    facts = cell_facts(body, transform)
    assert {"lr", "model"} <= facts.binds and "build" in facts.reads
    assert cell_facts("get_ipython().run_line_magic('load_ext', 'nbjournal')").opaque is None
    assert cell_facts("exec('q = 1')").opaque == "exec()"
    assert cell_facts("from m import *").opaque == "import *"


def test_earlier_cells_that_bound_the_same_name_are_its_shadows() -> None:
    history = [(1, cell_facts("x = 2")), (2, cell_facts("x = 1")), (3, cell_facts("y = 0"))]
    found = backward_slice(history, cell_facts("r = x"), 4)
    assert found.cells == (2,) and found.shadows == {2: (1,)}


def test_outputs_read_by_number() -> None:
    assert sliced(["1 + 1", "x = 3"], "r = _1 * 2") == (1,)


def test_an_experiment_cell_in_the_history_binds_what_its_body_binds() -> None:
    cell = "get_ipython().run_cell_magic('experiment', 'e', 'model = make()\\nscore = 1')"
    facts = cell_facts(cell, lambda code: code)
    assert {"model", "score"} <= facts.sure
