"""The live training view in a real JupyterLab, in headless Chromium, with no network.

A notebook runs an ``%%experiment`` cell that trains the digits MLP. While it
trains, the chart must be drawn and must change (more points, more marks);
when it ends a static record of the same layout takes the view's place. Saved,
with the kernel gone and the page reloaded, the static record and chart are
what show. A second notebook (a tiny fit) checks the browser's console stays
quiet (no Vega warning, no error, on reopening no "widget model not found")
and that the view keeps one height from its first draw to its static record.

Screenshots (mid-training, the end, the reopened notebook) go to
``$NBJOURNAL_SCREENSHOTS`` when set, else to a temporary folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import expect

from .conftest import PATIENCE_MS, Lab, open_lab, run_all, wait_for_kernel, write_notebook
from .console import Console

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


def outputs_script(kinds: list[tuple[str, str]]) -> str:
    """JS: how each output of the last cell is shown, ``[display, kind]``; the kind is that of
    the first ``(selector, kind)`` it holds, ``widget-error`` or ``other``."""
    tests = "".join(
        f"child.querySelector({json.dumps(css)}) ? {json.dumps(kind)} : " for css, kind in kinds
    )
    return f"""() => Array.from([...document.querySelectorAll('.jp-Notebook .jp-Cell')].at(-1)
  .querySelectorAll('.jp-OutputArea-child')).map(child => [
    getComputedStyle(child).display,
    {tests}child.textContent.includes('Error displaying widget') ? 'widget-error' : 'other',
  ])"""


#: How each output of the experiment cell is shown: [display, what it holds].
OUTPUTS = outputs_script(
    [(".nbj-live", "view"), (".nbj-static", "record"), ('img[src*="nbj-static"]', "chart")]
)


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


def test_the_live_view_is_drawn_changes_while_training_and_leaves_its_record(
    page: Any, lab: Lab, chromium: Any, page_errors: list[str], folder: Path
) -> None:
    write_notebook(lab, "live-view.ipynb", SETUP, EXPERIMENT)
    open_lab(page, lab, path="live-view.ipynb")
    run_all(page, 3)

    view = page.locator(".nbj-live")
    expect(view.locator(".nbj-chart svg .mark-line path").first).to_be_attached()
    samples: list[dict[str, Any]] = []
    shot_mid = False
    light_colours: dict[str, Any] = {}
    while True:  # sample the view until the run ends (the run ends: PATIENCE guards a hang)
        sample = page.evaluate(PROBE)
        if sample is None:  # replaced by its static record
            break
        samples.append(sample)
        if sample["status"] != "running":
            break
        if not shot_mid and sample["width"] >= 45 and sample["points"] > 0:
            view.screenshot(path=str(folder / "live-running.png"))
            light_colours = page.evaluate(AXIS_LABEL_COLOURS)
            shot_mid = True
        page.wait_for_timeout(200)
        assert len(samples) < PATIENCE_MS / 200, "the run did not end"

    running = [s for s in samples if s["status"] == "running" and s["points"] > 0]
    distinct = sorted({s["points"] for s in running})
    assert len(distinct) >= 3, f"the chart should change while training: {samples}"
    marks = [s["marks"] for s in running]
    assert max(marks) > min(marks), "more marks are drawn as epochs come in"
    assert light_colours["label"] == light_muted(page)  # read while it trained
    assert light_colours["background"] is None
    # at the end the static record takes the view's place, in the same layout: words, chart, words
    area = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-Cell-outputArea")
    expect(area.locator('img[src*="nbj-static"]')).to_be_visible()
    expect(view).to_have_count(0)
    record = area.locator(".nbj-static").first
    expect(record).to_contain_text("epoch 40 of 40")
    hypothesis = record.locator(".nbj-hyp")  # shown whole, wrapped, not cut mid-sentence
    expect(hypothesis).to_have_text(
        "256 ReLU units overfit 900 training digits within a few dozen epochs."
    )
    assert hypothesis.evaluate("e => e.scrollWidth <= e.clientWidth")
    expect(area).to_contain_text("overfitting")  # the diagnosis, as it appeared
    expect(area.locator("table.nbj-best")).to_contain_text("val_accuracy")
    shown = [kind for display, kind in page.evaluate(OUTPUTS) if display != "none"]
    assert shown == ["record", "chart", "record"]
    area.screenshot(path=str(folder / "live-finished.png"))

    # the dark theme: the static chart is shown inverted, light on black, not a white box
    page.locator(".lm-MenuBar-item", has_text="Settings").first.click()
    page.locator(".lm-Menu-item", has_text="Theme").first.hover()
    page.locator(".lm-Menu-item", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'")
    chart = area.locator('img[src*="nbj-static"]')
    assert "invert(1)" in chart.evaluate("e => getComputedStyle(e).filter")
    page.wait_for_timeout(500)  # the theme's own transition
    area.screenshot(path=str(folder / "live-finished-dark.png"))
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
    outputs = reopened.evaluate(OUTPUTS)
    assert outputs == [["flex", "record"], ["flex", "chart"], ["flex", "record"]]
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
    expect(outputs.locator(".nbj-static").first).to_contain_text("finished digits-mlp run #1")
    best = outputs.locator(".nbj-static table.nbj-best th").nth(1)
    assert best.evaluate("e => getComputedStyle(e).textAlign") == "left"
    outputs.screenshot(path=str(folder / "live-untrusted.png"))
    shared.context.close()


QUIET_SETUP = """import time
import numpy as np
import keras
from nbjournal.live import preparation
preparation.wait(600)  # the chart's script and Altair ready: the chart joins at the first draw
X = np.random.default_rng(0).normal(size=(48, 8)).astype("float32")
y = (X[:, 0] > 0).astype("int32")

class Slow(keras.callbacks.Callback):  # a few draws per epoch, as a larger model would give
    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.3)"""

QUIET_EXPERIMENT = """%%experiment quiet-console
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, validation_split=0.25, epochs=3, batch_size=12, verbose=0, callbacks=[Slow()]);"""

#: A run whose fit raises after its first epoch: a second live chart in the kernel, closed by
#: the failure (issue 21.14: a failed cell left "[anywidget] Failed to initialize model.").
FAILING_EXPERIMENT = """%%experiment quiet-console
class Boom(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        raise RuntimeError("boom after the first epoch")
model.fit(X, y, validation_split=0.25, epochs=3, batch_size=12, verbose=0, callbacks=[Slow(), Boom()])"""

#: Selects the cell at ``index`` and runs a notebook command (not waiting for it).
RUN = """([index, command]) => {
  window.jupyterapp.shell.currentWidget.content.activeCellIndex = index;
  window.jupyterapp.commands.execute(command);
}"""

#: The run's output in the third cell: its status, whether the live widget is still there, the
#: height from the header's top to the best-values table's bottom (the notes of diagnoses,
#: which may come at any time, are below it), and what the progress line says.
FRAME = """() => {
  const area = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].at(2)
    .querySelector('.jp-Cell-outputArea');
  const badge = area.querySelector('.nbj-badge');
  const best = area.querySelector('table.nbj-best');
  if (!badge || !best) return null;
  return {
    status: badge.textContent,
    live: !!area.querySelector('.nbj-live'),
    drawn: !!area.querySelector('.nbj-chart svg .mark-line path'),
    frame: Math.round(best.getBoundingClientRect().bottom - badge.getBoundingClientRect().top),
    line: area.querySelector('.nbj-line')?.textContent || '',
  };
}"""


def save_and_reopen(page: Any, lab: Lab, chromium: Any, name: str) -> tuple[Any, Console]:
    """Save the notebook, shut its kernel down, and open it again in a new browser context;
    the new page and its console."""
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')")
    for kernel in lab.get("api/kernels") or []:
        lab.request(f"api/kernels/{kernel['id']}", method="DELETE")
    reopened = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reopened.set_default_timeout(PATIENCE_MS)
    console = Console(reopened)
    reopened.goto(lab.lab_url(name))
    return reopened, console


def test_a_live_fit_keeps_the_console_quiet_and_its_height_from_first_draw_to_reopening(
    page: Any, lab: Lab, chromium: Any, folder: Path
) -> None:
    """Issue 10, defect 14: ~37 Vega warnings per view ("Infinite extent", "Log scale domain
    includes zero": layers drawn on no data), a height that jumped 68 → 384 → 450 px, and
    "widget model not found" when the saved notebook was opened again."""
    write_notebook(lab, "quiet.ipynb", QUIET_SETUP, QUIET_EXPERIMENT, FAILING_EXPERIMENT)
    console = Console(page)
    received: list[int] = []  # the sizes of what the page receives on its websockets
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: received.append(len(data))))
    open_lab(page, lab, path="quiet.ipynb")
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(4)
    wait_for_kernel(page)
    page.evaluate(RUN, [3, "notebook:run-all-above"])  # the failing cell runs later, alone

    view = page.locator(".nbj-live")
    samples: list[dict[str, Any]] = []
    shots: set[str] = set()
    while True:  # until the run ends (PATIENCE guards a hang)
        sample = page.evaluate(FRAME)
        if sample is not None:
            samples.append(sample)
            if not sample["live"] or sample["status"] != "running":
                break
            for name, due in (
                ("quiet-epoch-1.png", sample["drawn"] and "epoch 1 of 3" in sample["line"]),
                ("quiet-mid.png", "epoch 2 of 3" in sample["line"]),
            ):
                if due and name not in shots:
                    view.screenshot(path=str(folder / name))
                    shots.add(name)
        page.wait_for_timeout(50)
        assert len(samples) < PATIENCE_MS / 50, "the run did not end"
    assert console.messages == []  # no Vega warning while the chart was drawn
    # the static record takes the view's place
    area = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-Cell-outputArea")
    expect(area.locator(".nbj-live")).to_have_count(0)
    expect(area.locator('img[src*="nbj-static"]')).to_be_visible()
    page.wait_for_timeout(300)  # every output of the record laid out
    samples.append(page.evaluate(FRAME))
    area.screenshot(path=str(folder / "quiet-end.png"))

    live = [s for s in samples if s["live"]]
    assert any(s["drawn"] for s in live) and any("epoch 1 of 3" in s["line"] for s in live)
    assert samples[-1]["status"] == "finished" and not samples[-1]["live"]
    frames = sorted({s["frame"] for s in samples})
    assert len(frames) == 1, f"the view's height changed: {frames} over {samples}"
    assert console.messages == []

    # a second run in the kernel, whose fit fails: its view closed, no uncaught anywidget error
    wait_for_kernel(page)
    page.evaluate(RUN, [3, "notebook:run-cell"])
    failed = page.locator(".jp-Notebook .jp-Cell").nth(3)
    expect(failed.locator(".jp-OutputArea")).to_contain_text("boom after the first epoch")
    expect(failed.locator(".nbj-badge")).to_have_text("failed")
    page.wait_for_timeout(3000)  # anywidget gives a model 2 s to initialize
    assert console.messages == []
    # the charts' library (Vega, ~0.9 MB) reached the page once for the kernel's two views
    assert len([size for size in received if size > 500_000]) == 1, sorted(received)[-4:]

    # saved, the kernel gone, opened again: the record shows, the console stays quiet
    reopened, again = save_and_reopen(page, lab, chromium, "quiet.ipynb")
    saved = nbformat.read(lab.root / "quiet.ipynb", as_version=4)
    kinds = [sorted(o.get("data", {})) for o in saved.cells[2].outputs]
    assert not [k for k in kinds if "application/vnd.jupyter.widget-view+json" in k]
    reopened.locator('img[src*="nbj-static"]').first.wait_for(state="visible")
    expect(reopened.locator(".jp-Notebook .jp-Cell")).to_have_count(4)
    reopened.wait_for_timeout(1000)  # a missing widget model is reported as its output renders
    assert reopened.evaluate(FRAME)["frame"] == frames[0]
    assert again.messages == []
    reopened.context.close()


GRID = """%%experiment ended-grid --grid a=[1,2,3]
import time
time.sleep(0.5)
{"score": a / 3}"""

#: The grid cell's outputs: [display, what it holds].
GRID_OUTPUTS = outputs_script(
    [
        (".nbj-grid-live", "widget"),
        (".nbj-grid-ended table", "ended"),
        (".nbj-grid-summary", "summary"),
    ]
)


def test_a_grid_leaves_its_summary_alone_and_no_widget_behind(
    page: Any, lab: Lab, chromium: Any
) -> None:
    """The grid's live table is a widget while it runs; at the end it leaves its place to the
    summary (the points are listed once, trusted or not: no style is needed), and a reopened
    notebook finds no widget whose model is gone."""
    write_notebook(lab, "grid.ipynb", GRID)
    console = Console(page)
    open_lab(page, lab, path="grid.ipynb")
    run_all(page, 2)

    expect(page.locator(".nbj-grid-live")).to_be_visible()  # the live table, while it runs
    expect(page.locator(".nbj-grid-summary")).to_be_visible()
    page.wait_for_timeout(300)  # every output laid out
    shown = [kind for display, kind in page.evaluate(GRID_OUTPUTS) if display != "none"]
    assert "summary" in shown and "widget" not in shown and "ended" not in shown
    assert console.messages == []

    reopened, again = save_and_reopen(page, lab, chromium, "grid.ipynb")
    reopened.locator(".nbj-grid-summary").wait_for(state="visible")
    reopened.wait_for_timeout(1000)  # a missing widget model is reported as its output renders
    kinds = [kind for display, kind in reopened.evaluate(GRID_OUTPUTS) if display != "none"]
    assert "summary" in kinds and "widget-error" not in kinds and "ended" not in kinds
    assert again.messages == []
    reopened.context.close()
