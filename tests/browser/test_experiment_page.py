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
    """The table's rows in their sorted place (the pinned ones above left out)."""
    return view.locator(
        ".jp-nbjournal-RunsTable tbody:not(.jp-nbjournal-RunsTable-pinned) tr[data-run-id]"
    )


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
    view.get_by_role("button", name="Compare", exact=True).click()  # ticking opens nothing
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
    # the key metric by each varying parameter, then parallel coordinates (brushable: below)
    expect(charts).to_have_count(3)
    for index in range(3):
        expect(charts.nth(index).locator(".vega-embed svg").first).to_be_visible()
    expect(
        view.locator('.jp-nbjournal-Parallel[data-chart="parallel coordinates"] svg')
    ).to_be_visible()
    expect(view.locator('[data-section="charts"] .jp-nbjournal-Section-note')).to_have_text(
        "the newest 1,000 of 10,000 runs"
    )
    page.screenshot(path=str(folder / f"experiment-page-{name}.png"))
    view.locator('[data-section="charts"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"experiment-charts-{name}.png"))
    box = view.get_by_role("searchbox", name="Query the runs")
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"query-placeholder-{name}.png"))
    box.click()
    box.press_sequentially("va")
    expect(view.get_by_role("option").first).to_have_text("val_accuracymetric")
    page.screenshot(path=str(folder / f"query-completion-{name}.png"))
    # a pause after `va` runs it as free text (no run matches, the charts go): clear it
    box.press("Escape")  # closes the offers
    box.press("Escape")  # clears the query
    expect(box).to_have_value("")
    for section in ("curves", "explore"):
        view.locator(f'[data-section="{section}"]').scroll_into_view_if_needed()
        expect(view.locator(f'[data-section="{section}"] .vega-embed svg').first).to_be_visible()
        page.screenshot(path=str(folder / f"experiment-{section}-{name}.png"))
    assert page_errors == []


def planted(store: Any, keep: Any) -> int:
    """How many of the sweep's runs have parameters ``keep`` accepts, read from the rows."""
    import json

    from nbjournal.store import schema

    with store.engine.connect() as connection:
        rows = connection.execute(
            schema.runs.select()
            .with_only_columns(schema.runs.c.params_flat)
            .where(schema.runs.c.experiment == SWEEP)
        ).scalars()
        return sum(1 for text in rows if keep(json.loads(text)))


def matches(count: int) -> str:
    return f"{count:,} {'run matches' if count == 1 else 'runs match'}"


def test_the_query_box_completes_says_the_closest_names_and_the_view_is_kept(
    page: Any, lab: Lab, store: Any, sweep: list[int], folder: Path
) -> None:
    open_lab(page, lab)
    view = open_page(page)
    from .console import Console

    console = Console(page).messages
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    count = view.locator(".jp-nbjournal-ExperimentView-count")
    box = view.get_by_role("searchbox", name="Query the runs")
    options = view.get_by_role("listbox", name="Completions").get_by_role("option")

    # typing a name offers the names; Tab takes one, then its values are offered
    box.click()
    box.press_sequentially("un")
    expect(options.first).to_have_text(re.compile(r"^unitsparameter$"))
    box.press("Tab")
    expect(box).to_have_value("units=")
    expect(options).to_have_count(4)  # 32, 64, 128, 256: the values the runs have
    values = options.all_inner_texts()
    assert sorted(int(v.removesuffix("units")) for v in values) == [32, 64, 128, 256]
    box.press("ArrowDown")
    chosen = int(options.first.inner_text().removesuffix("units"))
    box.press("Enter")
    expect(box).to_have_value(f"units={chosen} ")
    shown = matches(planted(store, lambda p: p["units"] == chosen))
    expect(count).to_have_text(shown)
    box.press_sequentially("ver")
    expect(options.first).to_have_text("verdict:filter")
    page.screenshot(path=str(folder / "query-values-light.png"))
    box.press("Tab")
    expect(options).to_have_count(4)  # supported, refuted, inconclusive, none
    box.press("Escape")  # closes the list, keeps the text
    expect(options).to_have_count(0)
    expect(box).to_have_value(f"units={chosen} verdict:")

    # a name no run has, or a bare value, says the closest names; no failed request
    box.fill(f"units={chosen}")
    box.press("Enter")
    expect(count).to_have_text(shown)
    box.fill("learning_rate=0.01 val_acc>0.9")
    box.press("Enter")
    error = view.locator(".jp-nbjournal-QueryBox-error")
    expect(error).to_have_text(
        "no run in lr-sweep has the parameters or metrics learning_rate (did you mean lr?); "
        "val_acc (did you mean val_accuracy?)"
    )
    expect(count).to_have_text(shown)
    expect(box).to_have_value("learning_rate=0.01 val_acc>0.9")  # the refused query stays
    page.screenshot(path=str(folder / "query-did-you-mean-light.png"))
    box.fill("tanh")
    box.press("Enter")
    expect(error).to_contain_text("did you mean act=tanh?")

    # OR and in (…), as the CLI reads them
    box.fill("act in (relu, gelu) OR units=32")
    box.press("Enter")
    expect(error).to_have_count(0)
    either = planted(store, lambda p: p["act"] in ("relu", "gelu") or p["units"] == 32)
    expect(count).to_have_text(matches(either))

    # the view is kept: closed and opened again, the query, sort and columns are back
    view.locator('th[data-column="param.units"] button').click()
    expect(view.locator('th[data-column="param.units"]')).to_have_attribute(
        "aria-sort", "ascending"
    )
    view.locator("summary", has_text="Columns").click()
    view.get_by_role("checkbox", name="started", exact=True).uncheck()
    page.wait_for_timeout(600)  # the state database's write is spaced by 300 ms
    page.locator(
        ".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon"
    ).click()
    expect(view).to_have_count(0)
    view = open_page(page)
    box = view.get_by_role("searchbox", name="Query the runs")
    expect(box).to_have_value("act in (relu, gelu) OR units=32")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(matches(either))
    expect(view.locator('th[data-column="param.units"]')).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(view.locator('th[data-column="started"]')).to_have_count(0)
    assert failed == [] and console == []

    # a link opens a run, or the page with a query
    page.goto(f"{lab.base}/lab?token={lab.token}&nbjournal-run={sweep[3]}")
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{sweep[3]}"]')).to_be_visible()
    page.goto(f"{lab.base}/lab?token={lab.token}&nbjournal-experiment={SWEEP}"
              "&nbjournal-query=units%3D256")  # fmt: skip
    linked = page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{SWEEP}"]')
    expect(linked.get_by_role("searchbox", name="Query the runs")).to_have_value("units=256")
    expect(linked.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(
        matches(planted(store, lambda p: p["units"] == 256))
    )


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
    open_lab(page, lab)
    # what our actions print, from here on (the lab's own start-up may warn of slow plugins)
    from .console import Console

    warnings = Console(page).messages
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


def _lr_count(store: Any, low: float, high: float) -> int:
    """Planted truth: the sweep's kept runs with low ≤ lr ≤ high, read from the rows."""
    import json

    from nbjournal.store import schema

    with store.engine.connect() as connection:
        flats = connection.execute(
            schema.runs.select()
            .with_only_columns(schema.runs.c.params_flat)
            .where(schema.runs.c.experiment == SWEEP)
        ).scalars()
        return sum(1 for text in flats if low <= json.loads(text)["lr"] <= high)


def _drag(page: Any, axis: Any, start: float, end: float) -> None:
    """Drag along an axis from `start` to `end` (fractions of its height, 0 = top).

    The charts above may still be drawing and move the axis: the button goes down only
    once the axis' grab strip is what lies under the pointer."""
    grab = axis.locator(".jp-nbjournal-Parallel-grab")
    grab.scroll_into_view_if_needed()
    for _ in range(300):
        box = grab.bounding_box()
        x = box["x"] + box["width"] / 2
        y = box["y"] + 4 + start * (box["height"] - 8)
        page.mouse.move(x, y)
        if (
            page.evaluate(
                "([x, y]) => !!document.elementFromPoint(x, y)"
                "?.classList.contains('jp-nbjournal-Parallel-grab')",
                [x, y],
            )
            and grab.bounding_box() == box
        ):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"the grab strip of the axis never came under the pointer: {box}")
    page.mouse.down()
    page.mouse.move(x, box["y"] + 4 + end * (box["height"] - 8), steps=5)
    page.mouse.up()


def _overlaps(chart: Any) -> list[str]:
    """Titles and tick labels of the chart whose boxes intersect."""
    return chart.evaluate(
        """node => {
          const boxes = [...node.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()]);
          const hits = [];
          boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
            if (p.x < q.x + q.width && q.x < p.x + p.width &&
                p.y < q.y + q.height && q.y < p.y + p.height) hits.push(a + ' / ' + b);
          }));
          return hits;
        }"""
    )


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_brushing_the_parallel_coordinates_filters_the_page(
    page: Any, lab: Lab, store: Any, sweep: list[int], folder: Path, theme: str
) -> None:
    from .console import Console

    console = Console(page)
    open_lab(page, lab, theme=theme)
    view = open_page(page)
    chart = view.locator('.jp-nbjournal-Parallel[data-chart="parallel coordinates"]')
    chart.scroll_into_view_if_needed()
    svg = chart.locator("svg")
    expect(svg).to_be_visible()
    # the page's width; titles clear of every tick label
    section = view.locator('[data-section="charts"]').bounding_box()
    assert svg.bounding_box()["width"] >= 0.9 * section["width"]
    assert [a.get_attribute("data-axis") for a in chart.locator("[data-axis]").all()] == [
        "act", "lr", "units", "val_accuracy"
    ]  # fmt: skip
    assert _overlaps(chart) == []

    # When the lr axis (log: 3e-4 at the bottom, 1e-2 at the top) is brushed around 1e-3–3e-3
    box = view.get_by_role("searchbox", name="Query the runs")
    _drag(page, chart.locator('[data-axis="lr"]'), 0.2, 0.75)

    # Then the query box shows the equivalent query, and the table and charts follow it
    expect(box).to_have_value(re.compile(r"^lr>=[\d.e-]+ lr<=[\d.e-]+$"))
    low, high = (float(t.split("=")[1]) for t in box.input_value().split())
    assert low < 1e-3 and 3e-3 <= high < 1e-2
    matched = _lr_count(store, low, high)
    assert 0 < matched < RUNS
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(
        f"{matched:,} runs match"
    )
    expect(view.locator('[data-section="charts"] .jp-nbjournal-Section-note')).to_have_text(
        f"the newest 1,000 of {matched:,} runs"
    )
    expect(chart.locator('[data-axis="lr"] .jp-nbjournal-Parallel-brush')).to_be_visible()
    expect(chart.locator(".jp-nbjournal-Parallel-faded path").first).to_be_attached()

    # a second brush on a categorical axis adds its term; the first stays
    _drag(page, chart.locator('[data-axis="act"]'), 0.0, 0.2)  # tanh, at the top
    expect(box).to_have_value(re.compile(r"^lr>=\S+ lr<=\S+ act=tanh$"))
    # over two of its three categories, it keeps them: `act in (a, b)` (issue 22.4)
    _drag(page, chart.locator('[data-axis="act"]'), 0.0, 0.6)
    expect(box).to_have_value(re.compile(r"^lr>=\S+ lr<=\S+ act in \(\w+, \w+\)$"))
    kept = re.search(r"act in \((\w+), (\w+)\)$", box.input_value()).groups()
    assert "tanh" in kept and len(set(kept)) == 2
    page.screenshot(path=str(folder / f"experiment-brushed-{theme_name(theme)}.png"))
    chart.screenshot(path=str(folder / f"experiment-parallel-{theme_name(theme)}.png"))

    # a click on an axis clears its brush; a term typed in the box draws one
    _drag(page, chart.locator('[data-axis="lr"]'), 0.5, 0.5)
    expect(box).to_have_value(f"act in ({kept[0]}, {kept[1]})")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text(
        matches(planted(store, lambda p: p["act"] in kept))
    )
    box.fill("act=tanh units>=128")
    box.press("Enter")
    expect(chart.locator('[data-axis="units"]')).to_have_attribute("data-brushed", "true")
    expect(chart.locator('[data-axis="lr"]')).not_to_have_attribute("data-brushed", "true")
    assert console.messages == []


def test_pinned_runs_stay_on_top_and_are_kept(
    page: Any, lab: Lab, store: Any, sweep: list[int], folder: Path
) -> None:
    """Issue 22.6: pinned runs stay at the top whatever the sort and query, marked, in the
    saved view: the browser reloaded (into the dark theme), they are there; unpinned, gone."""
    from .console import Console

    console = Console(page)
    open_lab(page, lab)
    view = open_page(page)
    pinned = view.locator(".jp-nbjournal-RunsTable-pinned tr[data-run-id]")
    expect(body_rows(view).nth(4)).to_be_visible()
    chosen = [int(body_rows(view).nth(i).get_attribute("data-run-id")) for i in (1, 4)]
    # a pin shows only on the row pointed at or focused (a pin on every row is clutter)
    page.mouse.move(0, 0)
    pin = view.get_by_role("button", name=f"Pin run #{chosen[0]}", exact=True)
    expect(pin).to_have_css("opacity", "0")
    body_rows(view).nth(1).hover()
    expect(pin).to_have_css("opacity", "1")
    expect(view.get_by_role("button", name=f"Pin run #{chosen[1]}")).to_have_css("opacity", "0")
    # one pinned by the mouse, one from the keyboard (Tab to its pin, Enter): it shows
    pin.click()
    view.get_by_role("checkbox", name=f"Select run #{chosen[1]}").first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == f"Pin run #{chosen[1]}"
    expect(page.locator(":focus")).to_have_css("opacity", "1")
    page.keyboard.press("Enter")
    expect(pinned).to_have_count(2)
    # pinned runs show their pin always; the others' hide again
    page.mouse.move(0, 0)
    view.get_by_role("searchbox", name="Query the runs").focus()
    for run_id in chosen:
        for unpin in view.get_by_role("button", name=f"Unpin run #{run_id}").all():
            expect(unpin).to_have_css("opacity", "1")
    expect(body_rows(view).nth(0).get_by_role("button", name=re.compile(r"^Pin run"))).to_have_css(
        "opacity", "0"
    )
    body_rows(view).nth(6).hover()
    view.locator(".jp-nbjournal-RunsTable").screenshot(path=str(folder / "pin-hover-light.png"))
    assert [int(r.get_attribute("data-run-id")) for r in pinned.all()] == chosen

    # whatever the sort and the query, they stay on top, marked
    view.locator('th[data-column="metric.val_accuracy"] button').click()
    box = view.get_by_role("searchbox", name="Query the runs")
    box.fill("lr>=0.009")
    box.press("Enter")
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).not_to_have_text(matches(RUNS))
    expect(pinned).to_have_count(2)
    for run_id in chosen:
        expect(
            pinned.filter(has=page.get_by_role("button", name=f"Unpin run #{run_id}"))
        ).to_have_count(1)
    page.mouse.move(0, 0)
    view.locator(".jp-nbjournal-RunsTable").screenshot(path=str(folder / "pinned-runs-light.png"))
    # the state database's write is spaced by 300 ms, the workspace's by 750 ms
    page.wait_for_timeout(1500)

    # the browser reloaded (in the dark theme; no `reset`: the workspace kept), still pinned
    lab.set_theme(DARK)
    page.goto(f"{lab.base}/lab?token={lab.token}")
    page.wait_for_function("expected => document.body.dataset.jpThemeName === expected", arg=DARK)
    view = open_page(page)
    pinned = view.locator(".jp-nbjournal-RunsTable-pinned tr[data-run-id]")
    expect(pinned).to_have_count(2)
    assert [int(r.get_attribute("data-run-id")) for r in pinned.all()] == chosen
    page.mouse.move(0, 0)
    view.locator(".jp-nbjournal-RunsTable").screenshot(path=str(folder / "pinned-runs-dark.png"))
    body_rows(view).nth(6).hover()
    view.locator(".jp-nbjournal-RunsTable").screenshot(path=str(folder / "pin-hover-dark.png"))

    # unpinned, they leave the top (and the saved view: the other tests see none)
    for run_id in chosen:
        pinned.get_by_role("button", name=f"Unpin run #{run_id}").click()
    expect(pinned).to_have_count(0)
    view.get_by_role("searchbox", name="Query the runs").fill("")
    view.get_by_role("searchbox", name="Query the runs").press("Enter")
    page.wait_for_timeout(600)
    assert console.messages == []


def test_a_run_is_pinned_from_its_run_view(
    page: Any, lab: Lab, sweep: list[int], folder: Path
) -> None:
    """Issue 22.6: a run pinned or unpinned in its run view is so on its experiment's page,
    at once when the page is open (its tab behind), from the saved view when it opens later;
    a pin made on the page shows in the run view."""
    from .console import Console

    console = Console(page)
    open_lab(page, lab)
    view = open_page(page)
    pinned = view.locator(".jp-nbjournal-RunsTable-pinned tr[data-run-id]")
    expect(body_rows(view).nth(2)).to_be_visible()
    chosen = int(body_rows(view).nth(2).get_attribute("data-run-id"))
    body_rows(view).nth(2).click()
    run = page.locator(f'.jp-nbjournal-RunView[data-run-id="{chosen}"]')
    expect(run).to_be_visible()
    run.get_by_role("button", name="Pin", exact=True).click()
    expect(run.get_by_role("button", name="Unpin", exact=True)).to_be_visible()
    page.mouse.move(0, 0)
    run.locator(".jp-nbjournal-RunView-header").screenshot(path=str(folder / "run-pin-light.png"))
    # the page, behind, shows the run on top: drawn before its tab is shown again
    expect(pinned).to_have_count(1)
    page.locator(f'li.lm-TabBar-tab[data-id="nbjournal-experiment-{SWEEP}"]').click()
    expect(view).to_be_visible()
    expect(pinned).to_have_count(1)
    expect(pinned.first).to_have_attribute("data-run-id", str(chosen))

    # unpinned on the page, the run view says so
    pinned.get_by_role("button", name=f"Unpin run #{chosen}").click()
    expect(pinned).to_have_count(0)
    page.locator(f'li.lm-TabBar-tab[data-id="nbjournal-run-{chosen}"]').click()
    expect(run.get_by_role("button", name="Pin", exact=True)).to_be_visible()

    # with the page closed, a pin from the run view is there when it opens
    page.locator(
        f'li.lm-TabBar-tab[data-id="nbjournal-experiment-{SWEEP}"] .lm-TabBar-tabCloseIcon'
    ).click()
    expect(view).to_have_count(0)
    run.get_by_role("button", name="Pin", exact=True).click()
    expect(run.get_by_role("button", name="Unpin", exact=True)).to_be_visible()
    view = open_page(page)
    pinned = view.locator(".jp-nbjournal-RunsTable-pinned tr[data-run-id]")
    expect(pinned).to_have_count(1)
    expect(pinned.first).to_have_attribute("data-run-id", str(chosen))

    # unpinned from the run view again: off the page (and the saved view: the others see none)
    page.locator(f'li.lm-TabBar-tab[data-id="nbjournal-run-{chosen}"]').click()
    run.get_by_role("button", name="Unpin", exact=True).click()
    expect(pinned).to_have_count(0)
    page.wait_for_timeout(600)
    assert console.messages == []


def theme_name(theme: str) -> str:
    return "light" if theme == LIGHT else "dark"


KERAS = "keras-mirrors"


@pytest.fixture(scope="module")
def keras_sweep(lab: Lab, store: Any) -> list[int]:
    """What a real Keras sweep records (lr × units × 2 seeds): lr and its mirror
    optimizer.learning_rate, units and its mirrors model.layers and model.params."""
    from nbjournal.store import MetricPoint

    from .journal_data import keras_params

    ids = []
    for lr in (1e-3, 3e-3, 1e-2):
        for units in (32, 128):
            for seed in (0, 1):
                run_id = store.create_run(
                    experiment=KERAS, fingerprint=f"fp-{KERAS}-{lr}-{units}-{seed}",
                    hypothesis="Wider layers learn the digits better.", code="model.fit(X, y)\n",
                    params=keras_params(lr=lr, units=units, seed=seed),
                )  # fmt: skip
                value = 0.9 + units / 5000 - abs(lr - 3e-3) + seed / 1000
                store.add_points(run_id, [MetricPoint("val_accuracy", value, step=0, kind="epoch")])
                store.finish_run(run_id, "finished")
                ids.append(run_id)
    return ids


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_mirrored_parameters_are_one_column_and_one_axis(
    page: Any, lab: Lab, keras_sweep: list[int], folder: Path, theme: str
) -> None:
    from .console import Console

    console = Console(page)
    open_lab(page, lab, theme=theme)
    open_journal(page).locator(
        f'section[data-experiment="{KERAS}"] .jp-nbjournal-ExperimentGroup-name'
    ).click()
    view = page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{KERAS}"]')
    params = view.locator('.jp-nbjournal-RunsTable thead th[data-column^="param."]')
    expect(params).to_have_count(3)
    assert [p.get_attribute("data-column") for p in params.all()] == [
        "param.lr", "param.seed", "param.units"
    ]  # fmt: skip
    chart = view.locator('.jp-nbjournal-Parallel[data-chart="parallel coordinates"]')
    assert [a.get_attribute("data-axis") for a in chart.locator("[data-axis]").all()] == [
        "lr", "seed", "units", "val_accuracy"
    ]  # fmt: skip
    charts = view.locator(".jp-nbjournal-ExperimentCharts .jp-nbjournal-Chart")
    expect(charts).to_have_count(3)  # val_accuracy by lr, seed, units: no chart of a mirror

    # the mirrors on demand: +2 beside units shows model.layers and model.params after it
    units = view.locator('th[data-column="param.units"]')
    units.get_by_role("button", name="+2").click()
    expect(params).to_have_count(5)
    assert [p.get_attribute("data-column") for p in params.all()][2:] == [
        "param.units", "param.model.layers", "param.model.params"
    ]  # fmt: skip
    expect(view.locator(f'tr[data-run-id="{keras_sweep[-1]}"]')).to_contain_text(
        re.compile(r"9,?610")
    )
    view.locator('th[data-column="param.model.params"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"experiment-mirrors-{theme_name(theme)}.png"))
    units.get_by_role("button", name="−2").click()
    expect(params).to_have_count(3)
    assert console.messages == []


def _finished_counts(store: Any, by: str, **where: Any) -> dict[Any, int]:
    """Planted truth: the sweep's finished runs per value of ``by`` (among those ``where``)."""
    import json
    from collections import Counter

    from nbjournal.store import schema

    runs = schema.runs
    with store.engine.connect() as connection:
        flats = connection.execute(
            runs.select()
            .with_only_columns(runs.c.params_flat)
            .where(runs.c.experiment == SWEEP, runs.c.status == "finished")
        ).scalars()
        found = [json.loads(text) for text in flats]
    return Counter(f[by] for f in found if all(f[k] == v for k, v in where.items()))


@pytest.fixture(scope="module")
def grid_then_run(lab: Lab, store: Any, sweep: list[int]) -> int:
    """A 4-point grid of digits-mlp, then a newer run of it outside the grid."""
    grid_id, _ = store.open_grid(
        experiment="digits-mlp", fingerprint="grid-base", spec_key="widths",
        spec={"axes": {"units": [32, 64], "lr": [0.01, 0.1]}, "repeat": 1}, total=4,
        hypothesis="width matters more than the learning rate", code="fit()",
    )  # fmt: skip
    links = []
    for index, (units, lr) in enumerate([(32, 0.01), (32, 0.1), (64, 0.01), (64, 0.1)]):
        run_id = mlp_run(store, experiment="digits-mlp", units=units, lr=lr, epochs=3)
        links.append((run_id, index, {"units": units, "lr": lr}))
    store.link_grid_runs(grid_id, links)
    return mlp_run(
        store,
        experiment="digits-mlp",
        units=512,
        epochs=3,
        hypothesis="A much wider hidden layer of 512 units closes the gap to the convolutional "
        "baseline on the digits",
    )


def _sidebar_at_default_width(page: Any, newest: int, folder: Path) -> None:
    panel = open_journal(page)
    group = panel.locator('section[data-experiment="digits-mlp"]')
    rows = group.locator(".jp-nbjournal-RunItem")
    expect(rows.first).to_be_visible()
    # the newest run first, above the older grid's block
    assert rows.first.get_attribute("data-run-id") == str(newest)
    body = panel.locator(".jp-nbjournal-Sidebar-body")
    widths = body.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"a horizontal scrollbar: {widths}"
    header = group.locator(".jp-nbjournal-ExperimentGroup-header")
    assert header.bounding_box()["width"] <= body.bounding_box()["width"] + 0.5
    # the hypothesis has the row's width (not squeezed beside the badge): more than 5 words
    hypothesis = rows.first.locator(".jp-nbjournal-RunItem-hypothesis")
    row_body = rows.first.locator(".jp-nbjournal-RunItem-body")
    assert hypothesis.bounding_box()["width"] >= 0.95 * row_body.bounding_box()["width"]
    visible_words = hypothesis.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return Array.from(r.getClientRects()).filter(x => x.bottom <= "
        "e.getBoundingClientRect().bottom + 1).length }"
    )
    assert visible_words >= 2  # two full lines of text
    page.screenshot(path=str(folder / "sidebar-default-width-light.png"))
    # a query's hits say the values it matched, not the sweep's shared hypothesis
    panel.get_by_role("searchbox").fill("lr=0.01 units>=128")
    hits = panel.locator(f'section[data-experiment="{SWEEP}"] .jp-nbjournal-RunItem')
    expect(hits.first.locator(".jp-nbjournal-RunItem-point")).to_have_text(
        re.compile(r"^lr=0\.01 units=(128|256)$")
    )
    panel.get_by_role("searchbox").fill("")


def test_group_by_insights_and_the_sidebar_at_10000_runs(
    page: Any, lab: Lab, store: Any, sweep: list[int], grid_then_run: int, folder: Path
) -> None:
    """One flow, pictures in the light theme and then (the theme switched in place) the dark."""
    from .console import Console

    open_lab(page, lab, theme=LIGHT)
    console = Console(page)
    _sidebar_at_default_width(page, grid_then_run, folder)

    # group by lr: one row per value, n as planted, every metric's mean ± interval
    view = open_page(page)
    view.locator(".jp-nbjournal-GroupBy-picker summary").click()
    view.get_by_role("group", name="Group by").get_by_role("checkbox", name="lr").check()
    table = view.get_by_role("table", name="Groups")
    groups = table.locator("tr[data-configuration-id]")
    expect(groups).to_have_count(4)
    planted = _finished_counts(store, "lr")
    shown = {
        float(groups.nth(i).locator("td").nth(5).inner_text()): int(
            groups.nth(i).locator('td[data-column="n"]').inner_text().replace(",", "")
        )
        for i in range(4)
    }  # fmt: skip
    assert shown == planted
    expect(groups.first.locator('td[data-column="metric.loss"]')).to_contain_text("±")
    # the query applies to the groups
    box = view.get_by_role("searchbox", name="Query the runs")
    box.fill("act=relu")
    box.press("Enter")
    relu = _finished_counts(store, "lr", act="relu")
    expect(view.locator(".jp-nbjournal-GroupNote")).to_contain_text(
        f"4 groups of {sum(relu.values()):,} finished runs matching the query"
    )
    # a group opens into its runs with their own values, the best first
    first = groups.first
    lr = first.locator("td").nth(5).inner_text()
    first.locator(".jp-nbjournal-ConfigurationsTable-toggle").click()
    runs = table.locator("tr.jp-nbjournal-ConfigurationsTable-run")
    expect(runs).to_have_count(50)
    expect(runs.first.locator("td").nth(5)).to_have_text(lr)
    values = [float(runs.nth(i).locator('td[data-column="mean"]').inner_text()) for i in range(5)]
    assert values == sorted(values, reverse=True)
    page.screenshot(path=str(folder / "experiment-groups-light.png"))

    # insights at 10,000 runs: counts and the first few ids, the rest on demand
    section = view.locator('[data-section="insights"]')
    section.scroll_into_view_if_needed()
    section.get_by_role("button", name="Show insights").click()
    expect(section.get_by_role("status")).to_be_visible()
    best = section.get_by_role("table", name="Best configurations").locator("tbody tr")
    expect(best.first).to_be_visible()
    for i in range(best.count()):
        assert best.nth(i).locator(".jp-nbjournal-InsightRun").count() <= 3
    expect(best.first.locator(".jp-nbjournal-MoreLink")).to_have_text(
        re.compile(r"^\+[\d,]+ more$")
    )
    assert section.locator(".jp-nbjournal-InsightRun").count() < 200
    more = section.get_by_role("button", name=re.compile(r"^Show [\d,]+ more groups$"))
    expect(more).to_be_visible()
    section.locator('[data-block="best"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "insights-10000-light.png"))
    best.first.locator(".jp-nbjournal-MoreLink").click()
    assert best.first.locator(".jp-nbjournal-InsightRun").count() > 3

    # the same views in the dark theme (switched in place: nothing is read again)
    page.evaluate(
        "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", DARK
    )
    page.wait_for_function("theme => document.body.dataset.jpThemeName === theme", arg=DARK)
    page.wait_for_timeout(500)  # the charts redraw in the theme's colours
    page.screenshot(path=str(folder / "insights-10000-dark.png"))
    view.locator('[data-section="runs"]').scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "experiment-groups-dark.png"))
    assert console.messages == []
