"""The procedure against planted truth: small notebooks executed in one real kernel, cell by
cell in a planted order with JupyterLab's cell ids, their saved copy then edited or cut.

For each: the run's slice holds every cell the experiment depended on (never a missed
binder or mutation), and the run's status is the planted one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest

from .kernel_driver import Executed, PlantedKernel
from .planted import CASES, Case

pytestmark = pytest.mark.slow


@dataclass
class Outcome:
    case: Case
    executed: list[Executed]
    procedure: Any
    by_count: dict[int, str]


def _save(case: Case, path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    for cell_id, source in case.cells:
        if cell_id in case.deleted:
            continue
        cell = nbformat.v4.new_code_cell(case.edits.get(cell_id, source))
        cell["id"] = cell_id
        notebook.cells.append(cell)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every planted notebook, run once in one kernel (a fresh session each)."""
    import nbjournal
    from nbjournal.store import forget_stores

    folder = tmp_path_factory.mktemp("planted")
    url = f"sqlite:///{folder / 'journal.db'}"
    env = {"NBJOURNAL_URL": url, "NBJOURNAL_LIVE": "off", "NBJOURNAL_HOME": str(folder / "h")}
    kernel = PlantedKernel(env, folder)
    found: dict[str, Outcome] = {}
    try:
        for case in CASES:
            for name, text in case.files.items():
                (folder / name).write_text(text)
            path = folder / f"{case.name}.ipynb"
            kernel.fresh(path)
            code = dict(case.cells)
            executed = []
            for step in case.order:
                cell_id, source = step if isinstance(step, tuple) else (step, code[step])
                executed.append(kernel.run(source, cell_id if case.ids else None))
            _save(case, path)
            by_count = {
                e.count: (step if isinstance(step, str) else step[0])
                for e, step in zip(executed, case.order, strict=True)
                if e.count is not None
            }
            found[case.name] = Outcome(case, executed, None, by_count)
    finally:
        kernel.close()
    forget_stores()
    journal = nbjournal.Journal(url)
    for outcome in found.values():
        runs = journal.runs(experiment=f"case-{outcome.case.name}")
        assert len(runs) == 1, (outcome.case.name, [e.error for e in outcome.executed])
        outcome.procedure = journal.procedure(int(runs["id"].iloc[0]))
    yield found
    forget_stores()


def test_at_least_thirty_planted_notebooks() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_slice_and_status(outcomes: dict[str, Outcome], name: str) -> None:
    # Given a notebook executed in a planted order, then saved (edited, cut) as planted
    outcome = outcomes[name]
    case, frame = outcome.case, outcome.procedure
    errors = [e.error for e in outcome.executed if e.error]
    assert not errors, errors
    # When its run's procedure is read
    sliced = [outcome.by_count[int(n)] for n in frame["execution_count"]]
    # Then no cell the experiment depended on is missing, nothing unrelated is held,
    assert case.must <= set(sliced), (sliced, frame.reason)
    assert not case.never & set(sliced), sliced
    if case.twice:
        assert sliced.count(case.twice) == 2, sliced
    # and the status is the planted one
    assert (frame.status, name) == (case.status, name), frame.reason
    assert frame.notebook is not None
    if case.ids:
        assert set(frame["cell_id"]) <= {cell_id for cell_id, _ in case.cells}
    else:
        assert frame["cell_id"].isna().all()


def test_magics_are_recorded_as_written(outcomes: dict[str, Outcome]) -> None:
    frame = outcomes["percent-run"].procedure
    assert list(frame["code"]) == ["%run helper.py"]
    assert "h" in frame.reason and "%run" in frame.reason
    assert list(outcomes["time-magic"].procedure["code"]) == ["%time t = 5"]
    assert list(outcomes["shell-line"].procedure["code"]) == ["lines = !echo hi"]


def test_reasons_name_the_cells(outcomes: dict[str, Outcome]) -> None:
    edited = outcomes["edited"].procedure
    assert edited.reason == "In [1] has other code in the notebook now"
    gone = outcomes["deleted"].procedure
    assert gone.reason == "In [1] is no longer in the notebook"
    twice = outcomes["augmented-twice"].procedure
    assert "In [2] and In [3] are one cell run twice" in twice.reason
    below = outcomes["bound-below-experiment"].procedure
    assert "In [2] ran before the experiment cell but sits below it" in below.reason
