"""Where people see a run's procedure in the notebook: ``%journal show`` and the line under the
closest-run notice when that earlier run is not clean (a real IPython shell)."""

from __future__ import annotations

from IPython.utils.capture import capture_output


def run(shell, code: str, cell_id: str | None = None):
    with capture_output() as captured:
        shell.run_cell(code, store_history=True, cell_id=cell_id)
    return "\n".join(o.data.get("text/plain", "") for o in captured.outputs) + captured.stdout


def test_show_lists_the_upstream_cells_and_the_status(shell, journal) -> None:
    run(shell, "import math", "a")
    run(shell, "radius = 2.0", "b")
    run(shell, "unrelated = 1", "c")
    run(shell, "%%experiment area\narea = math.pi * radius ** 2\narea", "d")
    frame = journal.procedure(1)
    assert list(frame["cell_id"]) == ["a", "b"] and list(frame["execution_count"]) == [1, 2]
    assert frame.cell["code"].startswith("%%experiment area") and frame.cell["cell_id"] == "d"
    shown = run(shell, "%journal show 1")
    assert "procedure: clean — the kernel's history shows nothing stale" in shown
    assert "2 upstream cells" in shown and "  In [2] (radius)\n    radius = 2.0" in shown


def test_the_closest_run_line_says_the_earlier_run_is_not_clean(shell, journal) -> None:
    run(shell, "exec('factor = 3')", "a")
    run(shell, "%%experiment scaled -p base=1\nscaled = base * factor\nscaled", "b")
    assert journal.procedure(1).status == "hidden state"
    shown = run(shell, "%%experiment scaled -p base=2\nscaled = base * factor\nscaled", "c")
    assert "closest earlier run: #1" in shown
    assert (
        "⚠ run #1's procedure is hidden state: no recorded cell bound factor; In [1] ran exec()"
        in shown
    )


def test_a_cell_run_without_history_still_records_its_upstream_cells(shell, journal) -> None:
    shell.run_cell("data = [1, 2]", store_history=True)
    with capture_output():
        shell.run_cell("%%experiment nohistory\ntotal = sum(data)\ntotal")  # store_history=False
    frame = journal.procedure(1)
    assert list(frame["code"]) == ["data = [1, 2]"] and frame.cell["execution_count"] == 2


def test_the_export_names_each_runs_upstream_cells_and_status(shell, journal) -> None:
    from nbjournal.analysis import lab_notebook_page
    from nbjournal.analysis.lab_notebook import lab_notebook

    run(shell, "radius = 2.0", "a")
    run(shell, "%%experiment disc\narea = 3.0 * radius ** 2\narea", "b")
    report = lab_notebook_page.write(lab_notebook(journal.store, ["disc"]), "md", None)
    assert (
        "Upstream cells: In [1] (radius); clean: the kernel's history shows nothing stale" in report
    )
    page = lab_notebook_page.write(lab_notebook(journal.store, ["disc"]), "html", None)
    assert "<p>Upstream cells: In [1] (radius); clean: " in page
