"""The experiment page's "group" toggle, by repeats (issue 22 item 1, issue 20): runs alike
but for the seed become one row with n, the key metric's mean ± its 95 % interval and
the comparison rule's verdict against the best, in a real ``jupyter lab`` in Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from analysis.synthetic import add_run  # tests/analysis, as the server tests use it
from playwright.sync_api import expect

from nbjournal.store import MetricPoint

from .conftest import LIGHT, PATIENCE_MS, Lab, open_journal, open_lab

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

EXPERIMENT = "repeats"


@pytest.fixture(scope="module")
def repeats(store: Any) -> dict[int, list[int]]:
    """units=64 beats units=32 by ten noise widths, 4 seeds each; units=128 once."""
    rng = np.random.default_rng(3)
    found: dict[int, list[int]] = {}
    for units, level, seeds in ((32, 0.80, 4), (64, 0.90, 4), (128, 0.85, 1)):
        found[units] = [
            add_run(store, EXPERIMENT, {"units": units, "seed": s}, level + rng.normal(0, 0.01))
            for s in range(seeds)
        ]
        for seed, run_id in enumerate(found[units]):  # curves for the page's overlay
            store.add_points(run_id, [MetricPoint("val_loss", units / 64 / (e + 1) + 0.01 * seed,
                                                  e, "epoch", e) for e in range(10)])  # fmt: skip
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_group_repeats_shows_n_mean_and_verdict_and_opens_runs(
    page: Any, lab: Lab, repeats: dict[int, list[int]], page_errors: list[str], folder: Path
) -> None:
    answer = lab.get(f"nbjournal/api/experiments/{EXPERIMENT}/configurations")
    best = answer["configurations"][0]
    assert best["runs"] == repeats[64] and best["verdict"] == "best"

    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, lab, theme=LIGHT)
    panel = page.locator("#nbjournal-sidebar")
    if not panel.is_visible():
        panel = open_journal(page)
    name = f'section[data-experiment="{EXPERIMENT}"] .jp-nbjournal-ExperimentGroup-name'
    panel.locator(name).click()
    view = page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{EXPERIMENT}"]')
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text("9 runs")

    view.get_by_role("checkbox", name="group", exact=True).check()  # by repeats at first
    grouped = view.get_by_role("table", name="Configurations")
    rows = grouped.locator("tr[data-configuration-id]")
    expect(rows).to_have_count(3)
    expect(view.get_by_role("table", name="Runs")).to_have_count(0)

    top = rows.first
    expect(top).to_have_attribute("data-configuration-id", str(repeats[64][0]))
    expect(top.locator('td[data-column="n"]')).to_have_text("4")
    expect(top.locator('td[data-column="verdict"]')).to_have_text("best")
    mean = best["metrics"]["val_accuracy"]["mean"]
    cell = top.locator('td[data-column="mean"]')
    expect(cell).to_have_text(
        re.compile(r"^0\.\d{1,4} ± 0\.0*[1-9]\d{0,3}$")
    )  # ~4 significant digits
    expect(cell).to_have_attribute("title", re.compile(f"^mean {re.escape(str(mean))},"))
    # ten noise widths below with 4 seeds a side: the rule says the best beats it
    weak = grouped.locator(f'tr[data-configuration-id="{repeats[32][0]}"]')
    expect(weak.locator('td[data-column="n"]')).to_have_text("4")
    expect(weak.locator('td[data-column="verdict"]')).to_have_text("worse")
    single = grouped.locator(f'tr[data-configuration-id="{repeats[128][0]}"]')
    expect(single.locator('td[data-column="n"]')).to_have_text("1")
    expect(single.locator('td[data-column="verdict"]')).not_to_have_text(
        re.compile("^(best|worse|better)$")
    )  # never better or worse on one run

    # sortable by mean: the worst first, then back
    heading = grouped.locator('th[data-column="mean"]')
    expect(heading).to_have_attribute("aria-sort", "descending")
    heading.locator("button").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_have_attribute("data-configuration-id", str(repeats[32][0]))
    heading.locator("button").click()
    expect(rows.first).to_have_attribute("data-configuration-id", str(repeats[64][0]))

    # expandable into its runs
    top.get_by_role("button", name=f"Show the runs of configuration #{repeats[64][0]}").click()
    runs = grouped.locator("tr[data-run-id]")
    expect(runs).to_have_count(4)
    for run_id in repeats[64]:  # each once (waited for: the rows may still be drawing)
        expect(grouped.locator(f'tr[data-run-id="{run_id}"]')).to_have_count(1)
    # each with its own value, the best first
    values = [float(r.locator('td[data-column="mean"]').inner_text()) for r in runs.all()]
    assert values == sorted(values, reverse=True)
    view.screenshot(path=str(folder / "group-repeats-light.png"))
    # and a run opens as in the table (remembering the grouping while the page is open)
    second = runs.nth(1).get_attribute("data-run-id")
    runs.nth(1).get_by_role("button").click()
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{second}"]')).to_be_visible()
    if not panel.is_visible():
        panel = open_journal(page)
    panel.locator(name).click()  # back to the page, still open
    expect(view.get_by_role("checkbox", name="group", exact=True)).to_be_checked()
    expect(grouped.locator("tr[data-run-id]")).to_have_count(4)

    # grouped, the overlay draws each configuration's mean ± 1 sd over its repeats' curves
    curves = view.locator('[data-section="curves"]')
    curves.scroll_into_view_if_needed()
    curves.get_by_label("metric", exact=True).select_option("val_loss")
    overlay = curves.locator('.jp-nbjournal-CurvesOverlay[data-curves="9"][data-metric="val_loss"]')
    expect(overlay.locator(".vega-embed svg").first).to_be_visible()
    expect(curves).to_contain_text("the first 3 groups, their mean ± 1 sd")
    expect(overlay.locator('svg [aria-roledescription="area mark"]')).to_have_count(3)
    for units in (32, 64, 128):
        expect(overlay.locator("svg text", has_text=f"config #{repeats[units][0]}")).to_be_visible()
    view.screenshot(path=str(folder / "group-repeats-curves-light.png"))
    assert page_errors == []
