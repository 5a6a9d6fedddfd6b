"""The live view in Jupyter Notebook 7 (its own page, not JupyterLab), offline.

Notebook 7 loads the same prebuilt extensions as JupyterLab; the chart's
JavaScript ships in the package, so it must draw here too, with no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PATIENCE_MS, Lab, run_all, stop_in_background, write_notebook
from .test_live_view import EXPERIMENT, PROBE, SETUP, folder

__all__ = ["folder"]  # the screenshot folder fixture, shared with the JupyterLab test

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A ``jupyter notebook`` (7) server over an empty journal."""
    server = Lab(tmp_path_factory.mktemp("notebook7"), app="notebook")
    try:
        server.start()
        yield server
    finally:
        stop_in_background(server)


def test_the_live_view_draws_and_finishes_in_notebook_7(page: Any, lab: Lab, folder: Path) -> None:
    stacks: list[str] = []
    page.on("pageerror", lambda error: stacks.append(f"{error}\n{error.stack}"))
    write_notebook(lab, "live-view.ipynb", SETUP, EXPERIMENT)
    page.goto(lab.notebook_url("live-view.ipynb"))
    run_all(page, 3)

    view = page.locator(".nbj-live")
    expect(view.locator(".nbj-chart svg .mark-line path").first).to_be_attached()
    samples = []
    while True:  # until the run ends and its static record replaces the view (PATIENCE: hangs)
        sample = page.evaluate(PROBE)
        if sample is None:
            break
        samples.append(sample)
        page.wait_for_timeout(200)
        assert len(samples) < PATIENCE_MS / 200, "the run did not end"

    running = [s for s in samples if s["status"] == "running" and s["points"] > 0]
    assert len({s["points"] for s in running}) >= 3, f"the chart should change: {samples}"
    assert max(s["marks"] for s in running) > 0
    cell = page.locator(".jp-NotebookPanel .jp-Cell").last.locator(".jp-Cell-outputArea")
    expect(cell.locator(".nbj-static").first).to_contain_text("epoch 40 of 40")
    expect(cell.locator('img[src*="nbj-static"]')).to_be_visible()
    cell.screenshot(path=str(folder / "live-notebook7.png"))
    # Notebook 7.6 itself throws one settings error on load (with nbjournal disabled too);
    # nothing else may fail, nothing from the extensions' code
    assert [s for s in stacks if "/static/notebook/notebook_core." not in s] == []
