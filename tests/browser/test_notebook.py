"""A notebook executed in JupyterLab records a run; the sidebar shows it, opens
its notebook and inserts its code back into the notebook."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PATIENCE_MS, Lab, open_journal, open_lab, run_all, write_notebook
from .journal_data import mlp_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect.set_options(timeout=PATIENCE_MS)

EXPERIMENT_CELL = """%%experiment nb-tree --tag notebook
# Hypothesis: a decision tree of depth 4 gets most 8x8 digits right (> 70 %).
from sklearn.datasets import load_digits
from sklearn.tree import DecisionTreeClassifier

X, y = load_digits(return_X_y=True)
depth = 4
tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X[:1200], y[:1200])
tree.score(X[1200:], y[1200:])
"""


def test_a_notebook_run_in_lab_appears_in_the_sidebar(page: Any, lab: Lab, store: Any) -> None:
    # two runs with curves, for `%journal compare` (22.9: its chart fits the output)
    small, large = (mlp_run(store, experiment="cmp-mlp", units=u, epochs=12) for u in (32, 256))
    write_notebook(lab, "records.ipynb", EXPERIMENT_CELL, f"%journal compare {small} {large}")
    open_lab(page, lab, path="records.ipynb")
    notebook = page.locator(".jp-NotebookPanel").first
    open_journal(page)
    # Run All once the kernel is idle (clicked while it started, Run All ran nothing and a
    # fresh-clone run waited 270 s at "[ ]"), the notebook focused though the sidebar is open
    run_all(page, 3)
    # The experiment cell has run when its prompt shows its number. A kernel's first cells in a
    # new environment import (and compile) scikit-learn and friends: give them time, then ask
    # the sidebar to read the journal at once rather than at its next poll.
    expect(notebook.locator(".jp-Cell").nth(1).locator(".jp-InputPrompt")).to_contain_text(
        "[2]", timeout=3 * PATIENCE_MS
    )
    page.locator('[title="Read the journal anew"]').first.click()

    # `%journal compare`'s chart fits its output: no wider than the output area, no scrollbar
    chart = (
        notebook.locator(".jp-Cell").nth(2).locator(".jp-RenderedImage img, .jp-RenderedSVG img")
    )
    expect(chart).to_be_visible(timeout=3 * PATIENCE_MS)
    fit = chart.evaluate(
        """img => {
            const area = img.closest('.jp-OutputArea-output');
            return {natural: img.naturalWidth, shown: img.clientWidth, room: area.clientWidth,
                    overflow: area.scrollWidth - area.clientWidth};
        }"""
    )
    assert 0 < fit["natural"] <= fit["room"] and fit["overflow"] <= 0, fit
    assert fit["shown"] == fit["natural"], fit  # drawn at its size, not squeezed
    shots = os.environ.get("NBJOURNAL_SCREENSHOTS")
    if shots:
        chart.screenshot(path=str(Path(shots) / "journal-compare-in-lab.png"))

    row = page.locator(
        '#nbjournal-sidebar section[data-experiment="nb-tree"] .jp-nbjournal-RunItem'
    )
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "finished")
    expect(row.locator(".jp-nbjournal-RunItem-hypothesis")).to_have_text(
        "a decision tree of depth 4 gets most 8x8 digits right (> 70 %)."
    )
    run_id = int(row.get_attribute("data-run-id"))
    recorded = store.get_run(run_id)
    assert recorded.notebook and recorded.notebook.endswith("records.ipynb")

    row.click()
    view = page.locator(f'.jp-nbjournal-RunView[data-run-id="{run_id}"]')
    params = view.locator('[data-section="parameters"]')
    expect(params.get_by_role("row", name="depth 4", exact=True)).to_be_visible()

    # "Insert into notebook": a new cell below the active one, holding the run's code
    cells_before = notebook.locator(".jp-Cell").count()
    view.get_by_role("button", name="Insert into notebook").click()
    expect(notebook.locator(".jp-Cell")).to_have_count(cells_before + 1)
    inserted = notebook.locator(".jp-Cell.jp-mod-active")
    expect(inserted).to_contain_text("DecisionTreeClassifier(max_depth=depth")
    # with its %%experiment line, so that running it records again
    expect(inserted).to_contain_text("%%experiment nb-tree")

    # "Open notebook" brings the source notebook forward, at the cell that made the run (the
    # cell id JupyterLab sent with its execution, 22.10): the active one, scrolled into view
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=f"#{run_id}").click()
    button = view.get_by_role("button", name="Open notebook")
    expect(button).to_have_attribute("title", re.compile("at the cell that made this run$"))
    button.click()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")).to_contain_text(
        "records.ipynb"
    )
    experiment_cell = notebook.locator(".jp-Cell").nth(1)
    expect(experiment_cell).to_have_class(re.compile(r"\bjp-mod-active\b"))
    expect(notebook.locator(".jp-Cell.jp-mod-active")).to_have_count(1)
    expect(experiment_cell).to_be_in_viewport()
