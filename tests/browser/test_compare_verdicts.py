"""The compare view's differences (issue 20): for each metric the sides' values, the
difference with its 95 % interval and the comparison rule's verdict, repeats grouped
by configuration as the REST payload says, in a real ``jupyter lab`` in Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from analysis.synthetic import add_run  # tests/analysis, as the server tests use it
from playwright.sync_api import expect

from nbjournal.rules import format as fmt

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

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

EXPERIMENT = "compare-repeats"


@pytest.fixture(scope="module")
def repeats(store: Any) -> dict[int, list[int]]:
    """units=64 beats units=32 by ten noise widths of val_accuracy, 4 seeds each."""
    rng = np.random.default_rng(11)
    found: dict[int, list[int]] = {}
    for units, level in ((32, 0.80), (64, 0.90)):
        found[units] = []
        for seed in range(4):
            run_id = add_run(
                store, EXPERIMENT, {"units": units, "seed": seed}, level + rng.normal(0, 0.01)
            )
            found[units].append(run_id)
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _readable(table: Any) -> bool:
    """Whether no cell clips its text and no number is broken across lines (a number
    wraps whole, before its ``±``; a table wider than its place scrolls sideways)."""
    return bool(
        table.evaluate(
            "node => [...node.querySelectorAll('td, th')].every("
            "   cell => cell.scrollWidth <= cell.clientWidth + 1)"
            " && [...node.querySelectorAll('.jp-nbjournal-DifferencesTable-part')].every("
            "   part => { const tops = [...part.getClientRects()].map(r => r.top);"
            "     return Math.max(...tops) - Math.min(...tops) < 4; })"
            " && getComputedStyle(node.parentElement).overflowX === 'auto'"
        )
    )


@pytest.mark.parametrize("theme", [LIGHT, DARK])
def test_the_compare_view_gives_each_metrics_difference_interval_and_verdict(
    page: Any,
    lab: Lab,
    repeats: dict[int, list[int]],
    page_errors: list[str],
    folder: Path,
    theme: str,
) -> None:
    weak, strong = repeats[32], repeats[64]
    ticked = [strong[0], weak[0], strong[1], weak[1], strong[2], weak[2], strong[3], weak[3]]
    answer = lab.get("nbjournal/api/compare?runs=" + ",".join(map(str, ticked)) + "&group=repeats")
    assert answer["grouped"] and answer["runs"] == [strong, weak]
    evidence = answer["comparisons"][0]["metrics"]["val_accuracy"]
    assert evidence["verdict"] == "better" and evidence["n_a"] == evidence["n_b"] == 4

    name = "light" if theme == LIGHT else "dark"
    page.set_viewport_size({"width": 1280, "height": 800})
    open_lab(page, lab, theme=theme)
    open_journal(page)
    for run_id in ticked:
        run_row(page, run_id).get_by_role("checkbox").check()
    view = compare_selected(page)
    table = view.get_by_role("table", name="Differences and verdicts")
    expect(table).to_be_visible()
    # the repeats are one side each, headed as %journal compare heads them
    expect(table.locator("thead th")).to_have_text(
        [
            "metric",
            "verdict",
            f"#{strong[0]} +3 repeats",
            f"#{weak[0]} +3 repeats",
            f"#{strong[0]} +3 repeats − #{weak[0]} +3 repeats",
        ]
    )
    row = table.locator('tr[data-metric="val_accuracy"]')
    side = answer["sides"][0]["metrics"]["val_accuracy"]
    mean, half = side["mean"], (side["high"] - side["low"]) / 2
    cells = row.locator("td")
    # the values as the notebook says them: mean ± the interval to the mean's precision
    expect(cells.nth(1)).to_have_text(fmt.spread(mean, half))
    expect(cells.nth(1)).to_have_attribute("title", re.compile(r"mean of 4 runs"))
    low, high = evidence["interval"]
    expect(cells.nth(3)).to_have_text(
        re.compile(rf"^\+{re.escape(fmt.number(evidence['difference']))} \[\+0\.\d+, \+0\.\d+\]$")
    )
    assert 0 < low < evidence["difference"] < high
    badge = cells.nth(0).locator(".jp-nbjournal-Badge")
    expect(badge).to_have_text("better")
    expect(badge).to_have_attribute("title", re.compile("4 vs 4 runs"))
    expect(view.locator('[data-section="differences"]')).to_contain_text(
        "repeats grouped by configuration"
    )
    # the badge reads: its text is not the colour of its background
    colours = badge.evaluate(
        "node => [getComputedStyle(node).color, getComputedStyle(node).backgroundColor]"
    )
    assert colours[0] != colours[1]
    assert _readable(table), "the differences table clips or breaks a number in a main-area tab"
    # wide enough, it is one line a metric
    assert row.evaluate("node => node.getBoundingClientRect().height") < 40
    page.mouse.move(0, 0)
    view.locator('[data-section="differences"]').screenshot(
        path=str(folder / f"compare-verdicts-{name}.png"), animations="disabled"
    )

    # narrow (the main area about as wide as the sidebar's default): wraps, scrolls, clips nothing
    page.set_viewport_size({"width": 700, "height": 800})
    expect(table).to_be_visible()
    scroller = view.locator('[data-section="differences"] .jp-nbjournal-TableScroll')
    assert scroller.evaluate("node => node.clientWidth") < 450
    assert _readable(table), "the differences table clips or breaks a number when narrow"
    # the verdict is in sight without scrolling
    assert badge.evaluate(
        "node => node.getBoundingClientRect().right"
        " <= node.closest('.jp-nbjournal-TableScroll').getBoundingClientRect().right"
    )
    view.locator('[data-section="differences"]').screenshot(
        path=str(folder / f"compare-verdicts-narrow-{name}.png"), animations="disabled"
    )
    page.get_by_role("button", name="Clear").click()
    assert page_errors == []


def test_runs_of_different_configurations_are_compared_run_against_run(
    page: Any, lab: Lab, repeats: dict[int, list[int]], page_errors: list[str]
) -> None:
    one, other = repeats[64][0], repeats[32][0]
    open_lab(page, lab)
    open_journal(page)
    run_row(page, one).get_by_role("checkbox").check()
    run_row(page, other).get_by_role("checkbox").check()
    view = compare_selected(page)
    table = view.get_by_role("table", name="Differences and verdicts")
    row = table.locator('tr[data-metric="val_accuracy"]')
    expect(table.locator("thead th").nth(2)).to_have_text(f"#{one}")
    # one run a side: never better or worse, and the noise is borrowed from the repeats
    expect(row.locator(".jp-nbjournal-Badge")).not_to_have_text(re.compile("^(better|worse)$"))
    expect(row).to_contain_text("noise from configuration #")
    expect(view.locator('[data-section="differences"]')).to_contain_text("run against run")
    page.get_by_role("button", name="Clear").click()
    assert page_errors == []
