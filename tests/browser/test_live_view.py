"""The live training view in a real JupyterLab, in headless Chromium, with no network.

A notebook runs an ``%%experiment`` cell that trains the digits MLP. While it
trains, the chart must be drawn and must change (more points, more marks);
when it ends the view stays, its saved static copy hidden while the widget is
alive. Saved, with the kernel gone and the page reloaded, the static record and
chart are what show, and the widget's "model not found" line is not.

Screenshots (mid-training, the end, the reopened notebook) go to
``$NBJOURNAL_SCREENSHOTS`` when set, else to a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import expect

from .conftest import PATIENCE_MS, Lab, open_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect.set_options(timeout=PATIENCE_MS)

SETUP = """import numpy as np
import keras  # imported here, so TensorFlow's start-up notes stay out of the experiment's output
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
X = (X / 16).astype("float32")"""

EXPERIMENT = """%%experiment digits-mlp --tag live
# Hypothesis: 256 ReLU units overfit 900 training digits within a few dozen epochs.
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(256, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, validation_split=0.5, epochs=40, batch_size=32, verbose=0);"""

#: What the page says about the live view, read in one go.
PROBE = """() => {
  const view = document.querySelector('.nbj-live');
  if (!view) return null;
  const chart = view.querySelector('.nbj-chart');
  const bar = view.querySelector('.nbj-bar > div');
  return {
    status: view.querySelector('.nbj-badge')?.textContent,
    points: Number(chart?.parentElement?.dataset.points || 0),
    marks: view.querySelectorAll('.nbj-chart svg .mark-symbol path, .nbj-chart svg .mark-line path').length,
    width: bar ? parseFloat(bar.style.width) : 0,
  };
}"""

#: How each output of the experiment cell is shown: [display, what it holds].
OUTPUTS = """() => Array.from([...document.querySelectorAll('.jp-Notebook .jp-Cell')].at(-1)
  .querySelectorAll('.jp-OutputArea-child')).map(child => [
    getComputedStyle(child).display,
    child.querySelector('.nbj-live') ? 'view'
      : child.querySelector('.nbj-static') ? 'record'
      : child.querySelector('img[src*="nbj-static"]') ? 'chart'
      : child.textContent.includes('Error displaying widget') ? 'widget-error'
      : 'other',
  ])"""


#: The fill of the chart's axis labels, and of its background rectangle if it has one.
AXIS_LABEL_COLOURS = """() => {
  const svg = document.querySelector('.nbj-live .nbj-chart svg');
  const label = svg.querySelector('.role-axis-label text');
  const background = svg.querySelector(':scope > rect.background, :scope > g > rect.background');
  return {label: label.getAttribute('fill'), background: background && background.getAttribute('fill')};
}"""


def light_muted(page: Any) -> str:
    return str(page.evaluate(
        "() => getComputedStyle(document.body).getPropertyValue('--jp-ui-font-color2').trim()"
    ))  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def write_notebook(lab: Lab, name: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext nbjournal"),
        nbformat.v4.new_code_cell(SETUP),
        nbformat.v4.new_code_cell(EXPERIMENT),
    ]
    nbformat.write(notebook, lab.root / name)


def test_the_live_view_is_drawn_changes_while_training_and_stays(
    page: Any, lab: Lab, chromium: Any, page_errors: list[str], folder: Path
) -> None:
    write_notebook(lab, "live-view.ipynb")
    open_lab(page, lab, path="live-view.ipynb")
    notebook = page.locator(".jp-NotebookPanel").first
    expect(notebook.locator(".jp-Cell")).to_have_count(3)
    notebook.locator(".jp-Cell").first.click()  # the notebook has the focus: Run All applies
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()

    view = page.locator(".nbj-live")
    expect(view.locator(".nbj-chart svg .mark-line path").first).to_be_attached()
    samples: list[dict[str, Any]] = []
    shot_mid = False
    while True:  # sample the view until the run ends (the run ends: PATIENCE guards a hang)
        sample = page.evaluate(PROBE)
        samples.append(sample)
        if sample["status"] != "running":
            break
        if not shot_mid and sample["width"] >= 45 and sample["points"] > 0:
            view.screenshot(path=str(folder / "live-running.png"))
            shot_mid = True
        page.wait_for_timeout(200)
        assert len(samples) < PATIENCE_MS / 200, "the run did not end"

    running = [s for s in samples if s["status"] == "running" and s["points"] > 0]
    distinct = sorted({s["points"] for s in running})
    assert len(distinct) >= 3, f"the chart should change while training: {samples}"
    marks = [s["marks"] for s in running]
    assert max(marks) > min(marks), "more marks are drawn as epochs come in"
    assert samples[-1]["status"] == "finished"

    expect(view.locator(".nbj-bar")).to_have_class("nbj-bar s-finished")
    expect(view).to_contain_text("epoch 40 of 40")
    expect(view).to_contain_text("overfitting")  # the diagnosis, as it appeared
    expect(view.locator("table.nbj-best")).to_contain_text("val_accuracy")
    page.wait_for_timeout(500)  # the last points drawn (the final copy arrives with the end)
    view.screenshot(path=str(folder / "live-finished.png"))
    shown = [kind for display, kind in page.evaluate(OUTPUTS) if display != "none"]
    hidden = [kind for display, kind in page.evaluate(OUTPUTS) if display == "none"]
    assert "view" in shown and {"record", "chart"} <= set(hidden)  # one copy on screen
    assert page.evaluate(AXIS_LABEL_COLOURS) == {"label": light_muted(page), "background": None}

    # the dark theme: the chart is drawn again in its colours, no white box, no black text
    page.locator(".lm-MenuBar-item", has_text="Settings").first.click()
    page.locator(".lm-Menu-item", has_text="Theme").first.hover()
    page.locator(".lm-Menu-item", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'")
    page.wait_for_function(
        f"() => ({AXIS_LABEL_COLOURS})().label === getComputedStyle(document.body)"
        ".getPropertyValue('--jp-ui-font-color2').trim()"
    )
    expect(view.locator(".nbj-chart svg .mark-line path").first).to_be_attached()
    page.wait_for_timeout(500)  # the theme's own transition
    view.screenshot(path=str(folder / "live-finished-dark.png"))
    assert page_errors == []

    # saved, kernel gone, opened again: the static record shows, the widget's error does not
    page.keyboard.press("Control+s")
    expect(page.locator(".jp-NotebookPanel-toolbar, .jp-Toolbar").first).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')")
    for kernel in lab.get("api/kernels") or []:
        lab.request(f"api/kernels/{kernel['id']}", method="DELETE")
    reopened = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reopened.set_default_timeout(PATIENCE_MS)
    reopened.goto(lab.lab_url("live-view.ipynb"))
    reopened.locator('img[src*="nbj-static"]').wait_for(state="visible")
    reopened.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".some(e => e.textContent.includes('Error displaying widget'))"
    )
    outputs = reopened.evaluate(OUTPUTS)
    assert ["flex", "record"] in outputs and ["flex", "chart"] in outputs
    assert ["none", "widget-error"] in outputs
    cell = reopened.locator(".jp-Notebook .jp-Cell").last
    cell.locator(".jp-Cell-outputArea").screenshot(path=str(folder / "live-reopened.png"))
    reopened.context.close()

    # the same notebook as a colleague's (not trusted here): no <style>, no SVG is rendered;
    # the PNG of the chart shows, and the record still reads as words in columns
    saved = nbformat.read(lab.root / "live-view.ipynb", as_version=4)
    saved.metadata["shared_by"] = "a colleague"  # another content: not signed by this server
    nbformat.write(saved, lab.root / "shared.ipynb")
    shared = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    shared.set_default_timeout(PATIENCE_MS)
    shared.goto(lab.lab_url("shared.ipynb"))
    outputs = shared.locator(".jp-Notebook .jp-Cell").last.locator(".jp-Cell-outputArea")
    expect(outputs.locator('img[src^="data:image/png"]')).to_be_visible()
    expect(outputs.locator(".nbj-static")).to_contain_text("finished digits-mlp run #1")
    best = outputs.locator(".nbj-static table.nbj-best th").nth(1)
    assert best.evaluate("e => getComputedStyle(e).textAlign") == "left"
    outputs.screenshot(path=str(folder / "live-untrusted.png"))
    shared.context.close()
