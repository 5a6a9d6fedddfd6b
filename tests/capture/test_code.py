"""The cell's code: its normal form, what it reads and assigns, the literals it names."""

from __future__ import annotations

from nbjournal.capture.code import parse_cell, result_name


def test_comments_whitespace_and_a_leading_string_do_not_change_the_normal_form() -> None:
    plain = parse_cell("x = 1\ny = f(x)\n")
    commented = parse_cell(
        '"""Hypothesis: x helps."""\n# a comment\nx  =  1\n\ny = f( x )  # why\n'
    )
    assert plain.normal_form == commented.normal_form
    assert parse_cell("x = 2\ny = f(x)\n").normal_form != plain.normal_form


def test_free_names_are_what_the_cell_reads_before_assigning() -> None:
    cell = parse_cell("import numpy as np\nz = np.mean(X) + lr\nlr = 3\nprint(z, lr, len(X))\n")
    assert set(cell.free_names) == {"X", "lr"}  # builtins and the cell's own imports are not inputs


def test_literal_assignments_become_params() -> None:
    cell = parse_cell(
        "lr = 1e-3\nunits = 64\nact = 'relu'\nlayers = [64, 32]\nmodel = make(units)\n"
    )
    assert cell.literal_assignments == {
        "lr": 0.001,
        "units": 64,
        "act": "relu",
        "layers": [64, 32],
    }
    assert "model" in cell.assigned_names


def test_fitted_receivers_and_string_literals() -> None:
    cell = parse_cell("clf = LogisticRegression()\nclf.fit(X, y)\ndf = read_csv('train.csv')\n")
    assert cell.fitted_receivers == ("clf",)
    assert "train.csv" in cell.string_literals


def test_the_result_is_named_after_its_expression() -> None:
    cell = parse_cell("acc = 0.9\naccuracy_score(y, p)\n")
    assert result_name(cell.tree.body[-1].value) == "accuracy_score"  # type: ignore[attr-defined]


def test_a_loop_or_function_name_is_not_read_from_the_namespace() -> None:
    """Issue 21.8: ``act = "stale"`` in an earlier cell, then ``for act in …``: not an input."""
    cell = parse_cell("for act in ['relu', 'tanh']:\n    r = f(act, lr)\n")
    assert cell.free_names == ("f", "lr")
    cell = parse_cell(
        "xs = [g(a) for a in items if a > k]\n"
        "def h(z, w=q):\n    return z + y\n"
        "lam = lambda t: t * m\n"
    )
    assert cell.free_names == ("g", "items", "k", "q", "y", "m")
    assert parse_cell("for x in x:\n    pass\n").free_names == ("x",)  # the iterable is read
