"""Pictures of the sidebar, a run and a comparison, in the light and the dark theme.

They go to ``$NBJOURNAL_SCREENSHOTS`` when set (``docs/screenshots`` holds the
committed ones), else to a temporary folder: the test still checks that every
view renders, charts included, without a script error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import (
    DARK,
    LIGHT,
    PATIENCE_MS,
    Lab,
    compare_selected,
    open_journal,
    open_lab,
    run_row,
)
from .journal_data import backdate, logreg_run, mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

MINUTE, HOUR = 60.0, 3600.0


@pytest.fixture(scope="module")
def story(store: Any) -> dict[str, int]:
    """A small, plausible journal: a baseline, a few networks, one still training."""
    base = logreg_run(store, C=1.0, score=0.951)
    backdate(store, base, 26 * HOUR, 3.2)
    store.add_inference(base, "Solid baseline: **95.1 %** with a linear model.", "supported")
    weak = logreg_run(store, C=0.05, score=0.912)
    backdate(store, weak, 25 * HOUR, 2.1)

    small = mlp_run(store, units=32, ceiling=0.94)
    backdate(store, small, 5 * HOUR, 41.0)
    store.add_inference(small, "32 units stay *below* the baseline.", "refuted")
    mlp = mlp_run(store, units=64, notebook="digits.ipynb")
    backdate(store, mlp, 3 * HOUR, 64.0)
    store.add_inference(
        mlp,
        "The MLP reached **97 %** on validation; one hidden layer is enough here.\n\n"
        "Next: try dropout to close the train/validation gap.",
        "supported",
    )
    store.update_run(
        mlp,
        diagnoses=[{"kind": "plateau", "metric": "val_loss", "epoch": 12, "part": 0,
                    "message": "val_loss stopped improving after epoch 12"}],
    )  # fmt: skip
    wide = mlp_run(store, units=128, dropout=0.2, ceiling=0.98)
    backdate(store, wide, 40 * MINUTE, 118.0)
    live = mlp_run(store, units=256, dropout=0.5, finish=False, epochs=7)
    return {"mlp": mlp, "wide": wide, "live": live}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def wait_for_charts(view: Any, count: int) -> None:
    charts = view.locator(".jp-nbjournal-Chart .vega-embed")
    expect(charts).to_have_count(count)
    for index in range(count):
        expect(charts.nth(index).locator("canvas, svg").first).to_be_visible()


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_screenshots(
    page: Any,
    lab: Lab,
    story: dict[str, int],
    folder: Path,
    theme: str,
    page_errors: list[str],
) -> None:
    name = "light" if theme == LIGHT else "dark"
    # tall enough for a run's curves, axes included, below its header
    page.set_viewport_size({"width": 1280, "height": 1100})
    open_lab(page, lab, theme)
    panel = open_journal(page)
    expect(run_row(page, story["live"]).locator(".jp-nbjournal-LiveDot")).to_be_visible()
    panel.screenshot(path=folder / f"sidebar-{name}.png", animations="disabled")

    run_row(page, story["mlp"]).click()
    view = page.locator(f'.jp-nbjournal-RunView[data-run-id="{story["mlp"]}"]')
    wait_for_charts(view, 2)
    page.mouse.move(0, 0)
    page.screenshot(path=folder / f"run-{name}.png", animations="disabled")

    run_row(page, story["mlp"]).get_by_role("checkbox").check()
    run_row(page, story["wide"]).get_by_role("checkbox").check()
    compare = compare_selected(page)
    wait_for_charts(compare, 4)
    page.mouse.move(0, 0)
    page.screenshot(path=folder / f"compare-{name}.png", animations="disabled")
    compare.locator('[data-section="code"]').scroll_into_view_if_needed()  # the code's diff
    page.screenshot(path=folder / f"compare-code-{name}.png", animations="disabled")

    for picture in ("sidebar", "run", "compare"):
        assert (folder / f"{picture}-{name}.png").stat().st_size > 10_000
    assert page_errors == []
