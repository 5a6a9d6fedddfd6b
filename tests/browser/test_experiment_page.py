"""The experiment page: an experiment's name in the sidebar opens every run of it
as a table (sorted, queried, paged as it scrolls, 10,000 runs), its charts, and
its CSV; looked at in the light and the dark theme.

Needs the server side of the page (``GET experiments/{name}/table``): a server
without it fails these tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DARK, LIGHT, PATIENCE_MS, Lab, open_journal, open_lab
from .journal_data import bulk_curves, bulk_sweep, mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

SWEEP = "lr-sweep"
RUNS = 10_000
CURVED = 20


@pytest.fixture(scope="module")
def sweep(lab: Lab, store: Any) -> list[int]:
    lab.get(f"nbjournal/api/experiments/{SWEEP}/table?limit=1")  # served: a 404 fails here
    mlp_run(store, experiment="digits-mlp", units=64)  # another experiment, listed beside
    ids = bulk_sweep(store, SWEEP, RUNS)
    bulk_curves(store, ids[-CURVED:])  # the newest runs' curves, for the overlay
    return ids


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def open_page(page: Any) -> Any:
    """Click the experiment's name in the sidebar; returns the page's view."""
    panel = page.locator("#nbjournal-sidebar")
    if not panel.is_visible():  # its tab toggles it
        panel = open_journal(page)
    panel.locator(f'section[data-experiment="{SWEEP}"] .jp-nbjournal-ExperimentGroup-name').click()
    view = page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{SWEEP}"]')
    expect(view).to_be_visible()
    return view


def body_rows(view: Any) -> Any:
    return view.locator(".jp-nbjournal-RunsTable tbody tr[data-run-id]")


def first_id(view: Any) -> int:
    return int(body_rows(view).first.get_attribute("data-run-id"))


def test_the_page_lists_sorts_queries_and_pages_10000_runs(
    page: Any, lab: Lab, sweep: list[int], page_errors: list[str]
) -> None:
    open_lab(page, lab)
    view = open_page(page)
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text("10,000 runs")
    # newest first, the key metric right after the run, only the rows in view drawn
    expect(body_rows(view).first).to_have_attribute("data-run-id", str(sweep[-1]))
    headings = view.locator(".jp-nbjournal-RunsTable thead th[data-column]")
    assert headings.nth(2).get_attribute("data-column") == "metric.val_accuracy"
    assert body_rows(view).count() < 100

    # scrolling to the end reads the last page and shows the oldest run
    table = view.locator(".jp-nbjournal-RunsTable")
    table.evaluate("node => { node.scrollTop = node.scrollHeight; }")
    expect(view.locator(f'tr[data-run-id="{sweep[0]}"]')).to_be_visible()
    assert body_rows(view).count() < 100

    # sort by the key metric: the best first, then the other way
    table.evaluate("node => { node.scrollTop = 0; }")
    accuracy = view.locator('th[data-column="metric.val_accuracy"]')
    accuracy.locator("button").click()
    expect(accuracy).to_have_attribute("aria-sort", "descending")
    expect(body_rows(view).first).not_to_have_attribute("data-run-id", str(sweep[-1]))
    best = float(lab.get(f"nbjournal/api/experiments/{SWEEP}/table?sort=val_accuracy&limit=1")[
        "rows"][0]["metrics"]["val_accuracy"])  # fmt: skip
    expect(body_rows(view).first.locator("td.jp-nbjournal-KeyMetric")).to_have_attribute(
        "title", str(best)
    )
    accuracy.locator("button").click()
    expect(accuracy).to_have_attribute("aria-sort", "ascending")

    # a query narrows the table; a bad one is said in the box and changes nothing
    box = view.get_by_role("searchbox", name="Query the runs")
    box.fill("units>=128 act=relu verdict:supported")
    box.press("Enter")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(
        re.compile(r"^[\d,]+ runs? match$")
    )
    matching = view.locator(".jp-nbjournal-ExperimentView-count").inner_text()
    box.fill("units>abc")
    box.press("Enter")
    expect(view.locator(".jp-nbjournal-QueryBox-error")).to_contain_text("units>abc")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(matching)
    box.fill("")
    box.press("Enter")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text("10,000 runs")
    expect(view.locator(".jp-nbjournal-QueryBox-error")).to_have_count(0)
    assert page_errors == []


def test_rows_open_runs_and_tick_for_comparison_and_the_table_exports(
    page: Any, lab: Lab, sweep: list[int], tmp_path: Path
) -> None:
    open_lab(page, lab)
    view = open_page(page)
    body_rows(view).nth(1).click()
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{sweep[-2]}"]')).to_be_visible()

    view = open_page(page)
    for index in (0, 2):
        body_rows(view).nth(index).locator('input[type="checkbox"]').check()
    expect(view.locator('[data-section="runs"] .jp-nbjournal-Section-actions')).to_contain_text(
        "2 selected"
    )
    compare = page.locator(".jp-nbjournal-CompareView")
    expect(compare).to_contain_text(f"#{sweep[-1]}")
    expect(compare).to_contain_text(f"#{sweep[-3]}")

    view = open_page(page)
    view.locator("summary", has_text="Columns").click()
    view.get_by_role("checkbox", name="act", exact=True).uncheck()
    expect(view.locator('th[data-column="param.act"]')).to_have_count(0)

    with page.expect_download() as download:
        view.get_by_role("button", name="Export CSV").click()
    target = tmp_path / "sweep.csv"
    download.value.save_as(target)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("id,status,started")
    assert len(lines) == RUNS + 1


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_charts_and_screenshots(
    page: Any, lab: Lab, sweep: list[int], folder: Path, theme: str, page_errors: list[str]
) -> None:
    name = "light" if theme == LIGHT else "dark"
    open_lab(page, lab, theme=theme)
    view = open_page(page)
    charts = view.locator(".jp-nbjournal-ExperimentCharts .jp-nbjournal-Chart")
    # the key metric by each varying parameter, then parallel coordinates
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index).locator(".vega-embed svg").first).to_be_visible()
    assert charts.nth(3).get_attribute("data-chart") == "parallel coordinates"
    expect(view.locator('[data-section="charts"] .jp-nbjournal-Section-note')).to_have_text(
        "the newest 1,000 of 10,000 runs"
    )
    page.screenshot(path=str(folder / f"experiment-page-{name}.png"))
    view.locator('[data-section="charts"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"experiment-charts-{name}.png"))
    for section in ("curves", "explore"):
        view.locator(f'[data-section="{section}"]').scroll_into_view_if_needed()
        expect(view.locator(f'[data-section="{section}"] .vega-embed svg').first).to_be_visible()
        page.screenshot(path=str(folder / f"experiment-{section}-{name}.png"))
    assert page_errors == []


def test_the_sidebar_search_takes_the_query_grammar(page: Any, lab: Lab, sweep: list[int]) -> None:
    open_lab(page, lab)
    panel = open_journal(page)
    search = panel.get_by_role("searchbox")
    search.fill(f"#{sweep[5]}")
    rows = panel.locator(".jp-nbjournal-RunItem")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-run-id", str(sweep[5]))
    # a query the server cannot read is said under the box; the list stays
    search.fill("units>abc")
    expect(panel.locator(".jp-nbjournal-SearchBar-error")).to_contain_text("units>abc")
    expect(search).to_have_attribute("aria-invalid", "true")
    expect(rows).to_have_count(1)
    search.fill("")
    expect(panel.locator(".jp-nbjournal-SearchBar-error")).to_have_count(0)


def test_the_sidebar_filters_by_verdict(page: Any, lab: Lab, sweep: list[int]) -> None:
    open_lab(page, lab)
    panel = open_journal(page)
    rows = panel.locator(f'section[data-experiment="{SWEEP}"] .jp-nbjournal-RunItem')
    expect(rows.first).to_be_visible()
    panel.get_by_label("Show runs of verdict").select_option("refuted")
    expect(rows.first.locator(".jp-nbjournal-verdict-refuted")).to_be_visible()
    expect(rows.locator(".jp-nbjournal-needs-inference")).to_have_count(0)
    assert rows.count() == rows.locator(".jp-nbjournal-verdict-refuted").count()
    panel.get_by_label("Show runs of verdict").select_option("needs-inference")
    expect(rows.first.locator(".jp-nbjournal-needs-inference")).to_be_visible()
    assert rows.count() == rows.locator(".jp-nbjournal-needs-inference").count()


def marks(chart: Any) -> Any:
    """The marks of a chart that name their run (``run #ID…``)."""
    return chart.locator('.vega-embed svg [aria-label^="run #"]')


def test_curves_overlaid_and_any_metric_against_any_parameter(
    page: Any, lab: Lab, sweep: list[int], folder: Path, page_errors: list[str]
) -> None:
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else 0)
    open_lab(page, lab)
    view = open_page(page)
    curves = view.locator('[data-section="curves"]')
    curves.scroll_into_view_if_needed()
    # the first 10 runs of the table's order (newest first), a line each, one request
    overlay = curves.locator('.jp-nbjournal-CurvesOverlay[data-curves="10"]')
    expect(overlay.locator(".vega-embed svg").first).to_be_visible()
    expect(marks(overlay)).to_have_count(10)
    labels = {marks(overlay).nth(i).get_attribute("aria-label") for i in range(10)}
    assert labels == {f"run #{i}" for i in sweep[-10:]}
    curves.get_by_label("how many runs").fill("20")
    expect(curves.locator('.jp-nbjournal-CurvesOverlay[data-curves="20"]')).to_be_visible()
    expect(marks(curves)).to_have_count(20)
    curves.get_by_label("y", exact=True).select_option("log")
    curves.get_by_label("x", exact=True).select_option("time")
    curves.get_by_label("metric", exact=True).select_option("loss")
    expect(curves.locator('[data-metric="loss"]')).to_be_visible()
    expect(curves.locator("svg text", has_text="seconds since the run started")).to_be_visible()
    curves.get_by_label("smoothing").fill("0.6")
    expect(marks(curves)).to_have_count(20)
    page.screenshot(path=str(folder / "experiment-curves-log-time.png"))

    # any metric against any parameter: lr spans decades (log axis), act is categorical
    explore = view.locator('[data-section="explore"]')
    explore.scroll_into_view_if_needed()
    explore.get_by_label("parameter").select_option("lr")
    expect(explore.locator("svg text", has_text="lr (log)")).to_be_visible()
    expect(marks(explore)).to_have_count(1000)
    page.screenshot(path=str(folder / "experiment-slice-lr.png"))
    explore.get_by_label("parameter").select_option("act")
    expect(explore.locator('svg [aria-roledescription="box"]').first).to_be_attached()
    explore.get_by_label("view").select_option("history")
    expect(explore.locator("svg text", has_text="best so far")).to_be_visible()
    page.screenshot(path=str(folder / "experiment-history.png"))
    explore.get_by_label("view").select_option("contour")
    explore.get_by_label("parameter").select_option("lr")
    explore.get_by_label("against").select_option("units")
    expect(explore.locator("svg text", has_text="by lr and units")).to_be_visible()
    page.screenshot(path=str(folder / "experiment-contour.png"))
    explore.get_by_label("view").select_option("slice")

    # a point clicked opens its run; so does a curve
    point = explore.locator(f'.vega-embed svg [aria-label^="run #{sweep[-4]}:"]')
    point.dispatch_event("click")
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{sweep[-4]}"]')).to_be_visible()
    view = open_page(page)
    line = view.locator(f'[data-section="curves"] .vega-embed svg [aria-label="run #{sweep[-2]}"]')
    line.dispatch_event("click")
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{sweep[-2]}"]')).to_be_visible()
    assert page_errors == []
    assert warnings == []
