"""The index that reads a cell only when its text spells a name the slice follows gives the
same slice as reading every cell: checked on every planted notebook's history and on the
benchmark's 300-cell history (planted truth: the eager slice), and it reads fewer cells."""

from __future__ import annotations

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from benchmarks.bench_procedure import _history_cells
from nbjournal.capture.cell_facts import cell_facts
from nbjournal.capture.procedure import backward_slice
from nbjournal.capture.slice_index import SliceIndex, may_touch

from .planted import CASES

_transform = TransformerManager().transform_cell


def _both(sources: list[str], cell: str) -> tuple[object, object, int]:
    texts = {n: _transform(code) for n, code in enumerate(sources, start=1)}
    facts = {n: cell_facts(text, _transform) for n, text in texts.items()}
    count = len(sources) + 1
    experiment = cell_facts(_transform(cell), _transform)
    eager = backward_slice(sorted(facts.items()), experiment, count)
    index = SliceIndex(texts, facts.__getitem__)
    lazy = backward_slice(index, experiment, count)
    return eager, lazy, len(index.facts)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_lazy_index_slices_every_planted_notebook_as_the_full_one(case) -> None:
    code = dict(case.cells)
    executed = [step[1] if isinstance(step, tuple) else code[step] for step in case.order]
    last = max(i for i, source in enumerate(executed) if source.startswith("%%experiment"))
    eager, lazy, _ = _both(executed[:last], executed[last])
    assert lazy == eager


#: histories where a name is a module, an attribute read, an alias, read before its import
SYNTHETIC = [
    (
        ["import random", "random.seed(1)", "x = random.random()", "y = [random.random()]"],
        "x + y[0]",
    ),
    (["import numpy as np", "a = np.zeros(3)", "np.pi", "a.sum()", "b = a"], "b.sum() + np.pi"),
    (["values = [1]", "values.count(1)", "n = values.count(2) * 2"], "len(values) + n"),
    (["def f():\n    return random.random()", "import random", "f()"], "f()"),
    (["x = 1", "import x", "x.attr", "x.other()", "x = 2"], "x"),
    (["import math", "math.pi = 3", "r = math.pi * 2"], "r + math.tau"),
    (["import os as x", "x.path.join('a')", "x.environ['A'] = '1'"], "x.getcwd()"),
]


@pytest.mark.parametrize(("sources", "expression"), SYNTHETIC)
def test_the_lazy_index_follows_modules_attributes_and_aliases_as_the_full_one(
    sources: list[str], expression: str
) -> None:
    eager, lazy, _ = _both(sources, f"%%experiment synthetic\nresult = {expression}")
    assert lazy == eager


def test_the_lazy_index_reads_fewer_cells_of_a_long_history_and_slices_the_same() -> None:
    cells = _history_cells()
    eager, lazy, read = _both(cells, "model = step_296(data_294)\nscore = sum(model)\nscore")
    assert lazy == eager and eager.cells  # type: ignore[attr-defined]
    assert read < len(cells) / 2


@pytest.mark.parametrize(
    ("text", "touches"),
    [
        ("if scale > 5:\n    pass", False),
        ("return [x * scale for x in xs]", False),
        ("obj.scale = 1", False),
        ("rescale = 3", False),
        ("scale = 1", True),
        ("y = a * scale.sum()", True),
        ("f(*scale)", True),
        ("scale >>= 1", True),
        ("run()\n@scale\ndef f(): pass", True),
        ("for v in scale: pass", True),
        ("alias = scale", True),
        ("scale.pi", True),  # "attributes": read unless scale is a module
        ("scale.seed(0)", True),
        ("ｓｃａｌｅ = 2  # fullwidth: Python reads scale", True),
    ],
)
def test_a_cell_is_read_unless_it_only_uses_the_name_as_an_operand(
    text: str, touches: bool
) -> None:
    assert may_touch(text, "scale") is touches
