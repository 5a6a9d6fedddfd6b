"""A grid in the sidebar (its runs under it, inside their experiment) and in the main area.

Pictures go to ``$NBJOURNAL_SCREENSHOTS`` when set (``docs/screenshots``), else to a
temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DARK, LIGHT, PATIENCE_MS, Lab, open_journal, open_lab, run_row
from .journal_data import mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="module")
def grid(store: Any) -> dict[str, Any]:
    """A 3 × 2 grid of units and lr, each point twice; one point failed once."""
    axes = {"units": [32, 64, 128], "lr": [0.001, 0.01]}
    grid_id, _ = store.open_grid(
        experiment="digits-grid",
        fingerprint="grid-cell",
        spec_key="units-lr",
        spec={"axes": axes, "repeat": 2},
        total=12,
        hypothesis="width matters more than the learning rate",
        code="model.fit(X_train, y_train)",
    )
    links, runs = [], []
    point = 0
    for units in axes["units"]:
        for lr in axes["lr"]:
            for seed in range(2):
                ceiling = 0.9 + units / 2000 - (0.03 if lr == 0.01 else 0) + seed * 0.004
                finish = not (units == 128 and lr == 0.01 and seed == 1)
                run_id = mlp_run(
                    store, experiment="digits-grid", units=units, lr=lr, epochs=6,
                    ceiling=ceiling, finish=finish,
                )  # fmt: skip
                if not finish:
                    store.finish_run(run_id, "failed", error="ValueError: boom")
                links.append((run_id, point, {"units": units, "lr": lr, "seed": seed}))
                runs.append(run_id)
                point += 1
    store.link_grid_runs(grid_id, links)
    store.add_grid_inference(grid_id, "Width helps; **lr 0.01** hurts.", "supported")
    loose = mlp_run(store, experiment="digits-grid", units=16)
    return {"id": grid_id, "runs": runs, "loose": loose}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_grid_view(
    page: Any,
    lab: Lab,
    store: Any,
    grid: dict[str, Any],
    folder: Path,
    theme: str,
    page_errors: list[str],
) -> None:
    name = "light" if theme == LIGHT else "dark"
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_lab(page, lab, theme)
    panel = open_journal(page)

    # the sidebar: the grid inside its experiment, its runs under it, a loose run apart
    group = page.locator(f'#nbjournal-sidebar .jp-nbjournal-GridGroup[data-grid-id="{grid["id"]}"]')
    item = group.locator(".jp-nbjournal-GridItem")
    expect(item).to_contain_text("11/12 done, 1 failed")
    expect(item).to_contain_text("best lr=0.001 units=128")
    expect(group.locator(".jp-nbjournal-RunItem")).to_have_count(12)
    expect(run_row(page, grid["loose"])).to_be_visible()
    expect(group.locator(f'[data-run-id="{grid["loose"]}"]')).to_have_count(0)
    panel.screenshot(path=folder / f"sidebar-grid-{name}.png", animations="disabled")

    # the grid view: summary table, heatmap, inferences and a form
    item.click()
    view = page.locator(f'.jp-nbjournal-GridView[data-grid-id="{grid["id"]}"]')
    table = view.get_by_role("table", name="Grid summary")
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table.locator("tr.jp-mod-best")).to_contain_text("128")
    expect(view.locator(".jp-nbjournal-Chart .vega-embed svg").first).to_be_visible()
    expect(view.get_by_role("list", name="Inferences", exact=True)).to_contain_text("Width helps")
    page.mouse.move(0, 0)
    page.screenshot(path=folder / f"grid-{name}.png", animations="disabled")

    # a run id opens the run
    first = grid["runs"][0]
    table.get_by_role("button", name=f"#{first}").first.click()
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{first}"]')).to_be_visible()

    # its inference is edited (issue 22.8), the earlier text kept below; in the dark, deleted
    page.locator(f'.lm-TabBar-tab:has-text("grid #{grid["id"]}")').click()
    inferences = view.get_by_role("list", name="Inferences", exact=True)
    first_inference = inferences.locator(".jp-nbjournal-Inference").first
    first_inference.get_by_role("button", name="Edit this inference").click()
    form = view.get_by_role("form", name="Edit the inference")
    form.get_by_role("textbox").fill(f"Width helps; **lr 0.01** hurts ({name} check).")
    form.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    view.screenshot(path=folder / f"grid-inference-edit-{name}.png", animations="disabled")
    form.get_by_role("button", name="Save").click()
    expect(form).to_have_count(0)
    expect(first_inference).to_contain_text(f"({name} check)")
    expect(first_inference.locator(".jp-nbjournal-Inference-edited")).to_be_visible()
    history = view.locator(".jp-nbjournal-InferenceHistory")
    history.locator("summary").click()
    expect(history.locator('[data-action="edited"]').first).to_contain_text("Width helps")
    page.mouse.move(0, 0)
    view.screenshot(path=folder / f"grid-inference-edited-{name}.png", animations="disabled")
    stored = store.get_grid(grid["id"]).inferences
    assert stored[0].text.endswith(f"({name} check).") and stored[0].edited is not None
    if theme == DARK:
        count = inferences.locator(".jp-nbjournal-Inference").count()
        first_inference.get_by_role("button", name="Delete this inference").click()
        expect(view.locator(".jp-nbjournal-Inference")).to_have_count(count - 1)
        expect(history.locator('[data-action="deleted"]')).to_contain_text("(dark check)")

    # an inference on the grid is recorded and shown
    if theme == LIGHT:
        view.get_by_role("textbox").fill("seed noise is small")
        view.get_by_role("button", name="Add inference").click()
        expect(view.get_by_role("list", name="Inferences", exact=True)).to_contain_text(
            "seed noise is small"
        )
    assert page_errors == []
