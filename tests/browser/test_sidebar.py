"""The Journal sidebar in a real JupyterLab, in Debian's Chromium, over a real journal.

Runs are written through the store (as kernels write them), the page is only
looked at and clicked: no request is faked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nbjournal.store import MetricPoint

from .conftest import PATIENCE_MS, Lab, open_journal, open_lab, run_row
from .console import Console
from .journal_data import logreg_run, mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)


def group(page: Any, experiment: str) -> Any:
    return page.locator(f'#nbjournal-sidebar section[data-experiment="{experiment}"]')


def run_view(page: Any, run_id: int) -> Any:
    return page.locator(f'.jp-nbjournal-RunView[data-run-id="{run_id}"]')


def legend_labels(section: Any) -> list[str]:
    """The labels of the one legend a view draws above its charts."""
    expect(section.locator(".jp-nbjournal-Legend")).to_have_count(1)
    return [text.strip() for text in section.locator(".jp-nbjournal-Legend li").all_text_contents()]


def css_rgb(hex_colour: str) -> str:
    """`#4c78a8` as the browser computes it: `rgb(76, 120, 168)`."""
    red, green, blue = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def legend_colours(section: Any) -> dict[str, str]:
    """Legend label → the colour of its line."""
    return section.locator(".jp-nbjournal-Legend").evaluate(
        """legend => {
            const colours = {};
            legend.querySelectorAll('li').forEach(item => {
                colours[item.textContent.trim()] = item.querySelector('line').getAttribute('stroke');
            });
            return colours;
        }"""
    )


def line_colours(chart: Any) -> set[str]:
    """The colours of the lines Vega drew into a chart's SVG, once it has drawn them."""
    lines = chart.locator(".vega-embed svg .mark-line path")
    expect(lines.first).to_be_attached()
    return set(lines.evaluate_all("paths => paths.map(p => p.getAttribute('stroke'))"))


def test_sidebar_lists_experiments_and_their_runs(page: Any, lab: Lab, store: Any) -> None:
    baseline = logreg_run(store)
    first = mlp_run(store, experiment="list-mlp", units=32)
    store.add_inference(first, "Too small.", "refuted")
    second = mlp_run(store, experiment="list-mlp", units=64, hypothesis="Wider is better.\nsee #1")
    live = mlp_run(store, experiment="list-mlp", units=128, finish=False, epochs=3)

    open_lab(page, lab)
    open_journal(page)

    mlp = group(page, "list-mlp")
    expect(mlp.locator(".jp-nbjournal-ExperimentGroup-header")).to_contain_text("3")
    rows = mlp.locator(".jp-nbjournal-RunItem")
    expect(rows).to_have_count(3)
    # newest first
    assert [int(rows.nth(i).get_attribute("data-run-id")) for i in range(3)] == [
        live,
        second,
        first,
    ]
    # newest activity first: list-mlp was written after digits-logreg
    headers = page.locator("#nbjournal-sidebar section[data-experiment]")
    names = [headers.nth(i).get_attribute("data-experiment") for i in range(headers.count())]
    assert names.index("list-mlp") < names.index("digits-logreg")

    row = run_row(page, second)
    expect(row).to_contain_text(f"#{second}")
    expect(row.locator(".jp-nbjournal-RunItem-time")).to_have_text(
        re.compile(r"^(just now|\d+s ago|\d+m ago)$")
    )
    expect(row.locator(".jp-nbjournal-RunItem-hypothesis")).to_have_text("Wider is better.")
    # the key metric is named once, in the group's header; rows show its value
    expect(mlp.locator(".jp-nbjournal-ExperimentGroup-metric")).to_have_text("val_accuracy")
    expect(row.locator(".jp-nbjournal-RunItem-metricName")).to_have_count(0)
    expect(row.locator(".jp-nbjournal-RunItem-metricValue")).to_have_text(re.compile(r"^0\.\d+$"))
    expect(row.locator(".jp-nbjournal-needs-inference")).to_have_text("needs inference")
    expect(run_row(page, first).locator(".jp-nbjournal-verdict-refuted")).to_have_text("refuted")
    # a live marker while running, and no prompt for an inference yet
    expect(
        run_row(page, live).locator('[aria-label="running"] .jp-nbjournal-LiveDot')
    ).to_be_visible()
    expect(run_row(page, live).locator(".jp-nbjournal-needs-inference")).to_have_count(0)
    expect(
        group(page, "digits-logreg").locator(".jp-nbjournal-ExperimentGroup-metric")
    ).to_have_text("accuracy_score")
    expect(run_row(page, baseline).locator(".jp-nbjournal-RunItem-metricValue")).to_have_text(
        "0.951"
    )

    # experiments fold by their caret (their name opens their page)
    fold = mlp.locator(".jp-nbjournal-ExperimentGroup-fold")
    fold.click()
    expect(fold).to_have_attribute("aria-expanded", "false")
    expect(rows).to_have_count(0)
    fold.press("Enter")
    expect(rows).to_have_count(3)
    store.finish_run(live, "interrupted")


def test_search_and_status_filter(page: Any, lab: Lab, store: Any) -> None:
    plain = mlp_run(store, experiment="search-mlp", units=16)
    noted = mlp_run(store, experiment="search-mlp", units=24)
    store.add_inference(noted, "Batch norm would help with the zebra stripes.", None)
    tagged = mlp_run(store, experiment="search-mlp", units=40, tags=("walrus",))
    failing = mlp_run(store, experiment="search-mlp", units=48, finish=False, epochs=2)
    store.finish_run(failing, "failed", error="ValueError: shapes do not match")

    open_lab(page, lab)
    open_journal(page)
    expect(run_row(page, plain)).to_be_visible()
    box = page.get_by_role("searchbox")

    # the placeholder is read whole at the sidebar's default width; the label says it all
    assert "runs" in (box.get_attribute("aria-label") or "")
    room = box.evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement('canvas').getContext('2d');
            context.font = style.font;
            const text = context.measureText(input.placeholder).width;
            const inner = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return inner - text;
        }"""
    )
    assert room >= 0, f"the search placeholder is cut ({room:.0f} px short)"

    box.fill("zebra")  # text of an inference
    expect(page.locator("#nbjournal-sidebar .jp-nbjournal-RunItem")).to_have_count(1)
    expect(run_row(page, noted)).to_be_visible()

    box.fill("walrus")  # a tag
    expect(page.locator("#nbjournal-sidebar .jp-nbjournal-RunItem")).to_have_count(1)
    expect(run_row(page, tagged)).to_be_visible()

    box.fill("search-mlp")  # the experiment's name
    expect(page.locator("#nbjournal-sidebar .jp-nbjournal-RunItem")).to_have_count(4)

    page.get_by_label("Show runs of status").select_option("failed")
    expect(page.locator("#nbjournal-sidebar .jp-nbjournal-RunItem")).to_have_count(1)
    expect(run_row(page, failing)).to_have_attribute("data-status", "failed")

    box.fill("no run has this text")
    expect(page.locator("#nbjournal-sidebar")).to_contain_text("No run matches.")
    page.get_by_role("button", name="Clear search").click()
    expect(box).to_have_value("")
    expect(run_row(page, plain)).to_be_visible()
    expect(run_row(page, failing)).to_be_visible()


def test_open_a_run(page: Any, lab: Lab, store: Any) -> None:
    run_id = mlp_run(store, experiment="open-mlp", units=96, dropout=0.25, notebook="digits.ipynb")
    store.add_inference(run_id, "Dropout **helps**: see `val_loss`.", "supported")
    store.update_run(
        run_id,
        diagnoses=[{"kind": "plateau", "metric": "val_loss", "epoch": 14, "part": 0,
                    "message": "val_loss stopped improving after epoch 14"}],
    )  # fmt: skip

    open_lab(page, lab)
    open_journal(page)
    run_row(page, run_id).click()
    view = run_view(page, run_id)
    expect(view).to_be_visible()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")).to_contain_text(
        f"#{run_id} open-mlp"
    )

    section = lambda name: view.locator(f'[data-section="{name}"]')  # noqa: E731
    expect(section("hypothesis")).to_contain_text("96 hidden ReLU units with dropout 0.25")
    inference = section("inferences").locator(".jp-nbjournal-Inference")
    expect(inference).to_have_count(1)
    expect(inference.locator(".jp-nbjournal-verdict-supported")).to_have_text("supported")
    expect(inference.locator("strong")).to_have_text("helps")  # markdown, rendered
    expect(inference.locator("code")).to_have_text("val_loss")
    expect(section("result")).to_contain_text("plateau")
    expect(section("result").locator("tr.jp-nbjournal-KeyMetric")).to_contain_text("val_accuracy")

    params = section("parameters")
    expect(params.locator("tr", has_text="units")).to_contain_text("96")
    expect(params.locator("tr", has_text="optimizer.class")).to_contain_text("Adam")

    # curves, drawn by JupyterLab's own Vega renderer
    charts = section("curves").locator(".jp-nbjournal-Chart")
    expect(charts).to_have_count(2)
    expect(charts.first).to_have_attribute("data-metric", "loss")
    expect(charts.first.locator(".vega-embed canvas, .vega-embed svg").first).to_be_visible()
    # one legend says which line is training and which validation, in every chart
    assert legend_labels(section("curves")) == ["train", "validation"]
    colours = legend_colours(section("curves"))
    assert colours["train"] != colours["validation"]
    assert line_colours(charts.nth(0)) == set(colours.values())
    assert line_colours(charts.nth(1)) == set(colours.values())
    # losses on a log axis by default, linear at a click
    expect(charts.first.locator(".vega-embed svg")).to_contain_text("log scale")
    section("curves").get_by_label("log scale for losses").uncheck()
    expect(charts.first.locator(".vega-embed svg")).not_to_contain_text("log scale")

    code = section("code").locator("pre code")
    expect(code).to_contain_text("units = 96")
    assert code.locator("span[class]").count() > 5, "the code is not highlighted"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    section("code").get_by_role("button", name="Copy").click()
    expect(section("code").get_by_role("button", name="Copied")).to_be_visible()
    # the whole cell: its %%experiment line, then the recorded code
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("%%experiment open-mlp --tag mlp")
    assert copied.endswith("\n" + store.get_run(run_id).code)

    data = section("data")
    expect(data.locator("tr", has_text="X_train")).to_contain_text("1347 × 64")
    expect(data.locator("tr", has_text="X_train")).to_contain_text("xxh3:5b0e4c1f…")
    expect(section("environment").locator("tr", has_text="git.commit")).to_contain_text(
        "3fcd8971c2"
    )
    expect(view.get_by_role("button", name="Open notebook")).to_be_visible()

    # the same run again: the open tab comes forward, none is added
    run_row(page, run_id).press("Enter")
    expect(page.locator(f'.jp-nbjournal-RunView[data-run-id="{run_id}"]')).to_have_count(1)


def test_add_an_inference(page: Any, lab: Lab, store: Any, tmp_path: Path) -> None:
    run_id = mlp_run(store, experiment="infer-mlp", units=80)
    screenshots = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    console = Console(page).messages

    open_lab(page, lab)
    open_journal(page)
    row = run_row(page, run_id)
    expect(row.locator(".jp-nbjournal-needs-inference")).to_be_visible()
    row.click()
    view = run_view(page, run_id)
    form = view.get_by_role("form", name="Add an inference")
    form.get_by_role("textbox").fill("Eighty units are *enough*; the curve flattens at epoch 9.")
    form.get_by_label("Verdict").select_option("inconclusive")
    form.get_by_role("button", name="Add inference").click()

    listed = view.locator(".jp-nbjournal-Inference")
    expect(listed).to_have_count(1)
    expect(listed.locator("em")).to_have_text("enough")
    expect(listed.locator(".jp-nbjournal-verdict-inconclusive")).to_be_visible()
    expect(form.get_by_role("textbox")).to_have_value("")
    # the sidebar learns of it without a reload
    expect(row.locator(".jp-nbjournal-verdict-inconclusive")).to_have_text("inconclusive")
    # and the journal holds it
    stored = store.get_run(run_id).inferences
    assert [(i.text, i.verdict) for i in stored] == [
        ("Eighty units are *enough*; the curve flattens at epoch 9.", "inconclusive")
    ]

    # from the keyboard: Ctrl+Enter records, without a verdict
    form.get_by_role("textbox").fill("Second thought.")
    form.get_by_role("textbox").press("Control+Enter")
    expect(listed).to_have_count(2)
    assert store.get_run(run_id).inferences[-1].verdict is None

    # edit the first (22.8): the form starts from what it says; what it said is kept
    first = listed.nth(0)
    first.get_by_role("button", name="Edit this inference").click()
    edit = first.get_by_role("form", name="Edit the inference")
    expect(edit.get_by_role("textbox")).to_have_value(
        "Eighty units are *enough*; the curve flattens at epoch 9."
    )
    expect(edit.get_by_label("Verdict")).to_have_value("inconclusive")
    edit.get_by_role("textbox").fill("Eighty units are enough only up to epoch 9.")
    edit.get_by_label("Verdict").select_option("refuted")
    edit.get_by_role("button", name="Save").click()
    expect(first.locator(".jp-nbjournal-verdict-refuted")).to_have_text("refuted")
    expect(first.locator(".jp-nbjournal-Inference-edited")).to_be_visible()
    expect(row.locator(".jp-nbjournal-verdict-refuted")).to_have_text("refuted")
    # delete the second: it leaves the list, its text stays in the history
    listed.nth(1).get_by_role("button", name="Delete this inference").click()
    expect(listed).to_have_count(1)
    history = view.locator(".jp-nbjournal-InferenceHistory")
    history.locator("summary").click()
    versions = history.locator(".jp-nbjournal-InferenceHistory-version")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_have_attribute("data-action", "deleted")
    expect(versions.nth(0)).to_contain_text("Second thought.")
    expect(versions.nth(1).locator("em")).to_have_text("enough")  # as written, rendered
    stored = store.get_run(run_id)
    assert [(i.text, i.verdict) for i in stored.inferences] == [
        ("Eighty units are enough only up to epoch 9.", "refuted")
    ]
    assert [v.action for v in stored.inference_history] == ["edited", "deleted"]
    view.locator('[data-section="inferences"]').screenshot(
        path=str(screenshots / "inference-history-light.png")
    )
    assert console == []


def test_compare_two_runs(page: Any, lab: Lab, store: Any, tmp_path: Path) -> None:
    screenshots = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    console = Console(page).messages
    small = mlp_run(store, experiment="compare-mlp", units=32, dropout=0.0)
    large = mlp_run(store, experiment="compare-mlp", units=256, dropout=0.0, ceiling=0.98)

    open_lab(page, lab)
    open_journal(page)
    run_row(page, small).get_by_role("checkbox").check()
    run_row(page, large).get_by_role("checkbox").check()

    # ticking runs opens nothing (the person may still be choosing): the button compares
    view = page.locator(".jp-nbjournal-CompareView")
    expect(page.locator(".jp-nbjournal-SelectionBar")).to_contain_text("2 selected")
    expect(view).to_have_count(0)
    page.locator(".jp-nbjournal-SelectionBar").get_by_role(
        "button", name="Compare", exact=True
    ).click()
    expect(view).to_be_visible()
    expect(view.locator("h1")).to_have_text(f"Comparing #{small}, #{large}")
    params = view.get_by_role("table", name="Parameters side by side")
    units = params.locator('tr[data-param="units"]')
    expect(units).to_have_attribute("data-differ", "true")
    expect(units).to_have_class("jp-nbjournal-diff")
    expect(units.locator("td")).to_have_text(["32", "256"])
    # what is the same for all is folded into one place (22.9): dropout, the data
    expect(params.locator('tr[data-param="dropout"]')).to_have_count(0)
    shared = view.locator('[data-section="parameters"] .jp-nbjournal-SameForAll')
    shared.locator("summary").click()
    same = shared.get_by_role("table", name="Parameters the same for all")
    expect(same.locator('tr[data-param="dropout"]')).to_have_attribute("data-differ", "false")
    runs_table = view.get_by_role("table", name="Runs", exact=True)
    expect(runs_table.locator('tr[data-field="data"]')).to_have_count(0)
    same_runs = view.get_by_role("table", name="The same for all runs")
    expect(same_runs.locator('tr[data-field="data"]')).to_contain_text("the same")
    # the code: a row that says by how much, and a unified diff against the first run
    expect(runs_table.locator('tr[data-field="code"] td').nth(1)).to_have_text(f"+2 −2 vs #{small}")
    diff = view.get_by_label(f"Code of #{large} against #{small}")
    expect(diff.locator('[data-kind="removed"]')).to_have_text(
        ["-# Hypothesis: 32 hidden units with dropout 0.0 generalise.", "-units = 32"]
    )
    expect(diff.locator('[data-kind="added"]')).to_have_text(
        ["+# Hypothesis: 256 hidden units with dropout 0.0 generalise.", "+units = 256"]
    )
    view.locator('[data-section="code"]').scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "compare-code-light.png"))

    # one chart per metric, each with both runs
    charts = view.locator('[data-section="curves"] .jp-nbjournal-Chart')
    expect(charts).to_have_count(4)
    swatches = view.get_by_role("table", name="Runs", exact=True).locator(
        "thead .jp-nbjournal-RunSwatch"
    )
    expect(swatches).to_have_count(2)
    header_colours = [
        swatch.evaluate("node => getComputedStyle(node).backgroundColor")
        for swatch in swatches.all()
    ]
    # one legend maps each colour to its run, and to what differs (units)
    curves = view.locator('[data-section="curves"]')
    assert legend_labels(curves) == [f"#{small} units=32", f"#{large} units=256"]
    legend = list(legend_colours(curves).values())
    assert legend[0] != legend[1]
    for metric in ("accuracy", "loss", "val_accuracy", "val_loss"):
        chart = view.locator(f'.jp-nbjournal-Chart[data-metric="{metric}"]')
        expect(chart.locator(".vega-embed canvas, .vega-embed svg").first).to_be_visible()
        assert line_colours(chart) == set(legend), metric
    # the same colours as the runs' columns
    assert [css_rgb(colour) for colour in legend] == header_colours

    # an open comparison follows the selection in place, behind the tab in front
    third = mlp_run(store, experiment="compare-mlp", units=64, dropout=0.5)
    fourth = mlp_run(store, experiment="compare-mlp", units=128, dropout=0.5)
    view.locator(f'th[data-run-id="{small}"] button').click()
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    expect(current).to_contain_text(f"#{small} compare-mlp")
    expect(run_row(page, third)).to_be_visible()
    run_row(page, third).get_by_role("checkbox").check()
    expect(view.locator("h1")).to_have_text(f"Comparing #{small}, #{large}, #{third}")
    expect(current).to_contain_text(f"#{small} compare-mlp")
    expect(run_row(page, third).get_by_role("checkbox")).to_be_focused()
    page.get_by_role("button", name="Clear").click()
    expect(page.locator(".jp-nbjournal-SelectionBar")).to_have_count(0)

    # runs opened one after another leave three run tabs, not one each
    for run_id in (large, third, fourth):
        run_row(page, run_id).click()
        expect(current).to_contain_text(f"#{run_id} compare-mlp")
    tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="compare-mlp")
    expect(tabs).to_have_text([re.compile(f"#{i} ") for i in (large, third, fourth)])
    assert console == []


def test_the_fits_of_one_run_are_told_apart(page: Any, lab: Lab, store: Any) -> None:
    run_id = mlp_run(store, experiment="fits-mlp", units=64, epochs=6)
    store.add_points(
        run_id,
        [
            MetricPoint(name=name, value=value, step=epoch, kind="epoch", epoch=epoch, part=1)
            for epoch in range(4)
            for name, value in (("loss", 0.3 - 0.05 * epoch), ("val_loss", 0.4 - 0.04 * epoch))
        ],
    )

    open_lab(page, lab)
    open_journal(page)
    run_row(page, run_id).click()
    chart = run_view(page, run_id).locator('.jp-nbjournal-Chart[data-metric="loss"]')
    expect(chart.locator(".vega-embed svg").first).to_be_visible()
    labels = legend_labels(run_view(page, run_id).locator('[data-section="curves"]'))
    assert labels == ["train", "validation", "fit 1", "fit 2"], labels


def test_a_live_run_changes_state_without_reload(page: Any, lab: Lab, store: Any) -> None:
    run_id = mlp_run(store, experiment="live-mlp", units=64, finish=False, epochs=0)

    open_lab(page, lab)
    page.evaluate("window.__nbjournalSamePage = true")
    open_journal(page)
    row = run_row(page, run_id)
    expect(row).to_have_attribute("data-status", "running")
    expect(row.locator(".jp-nbjournal-LiveDot")).to_be_visible()
    expect(row.locator(".jp-nbjournal-RunItem-metric")).to_have_count(0)
    row.click()
    view = run_view(page, run_id)
    expect(view.locator(".jp-nbjournal-RunView-facts")).to_contain_text("running")

    # the kernel writes two epochs...
    store.add_points(
        run_id,
        [
            MetricPoint(name=name, value=value, step=epoch, kind="epoch", epoch=epoch)
            for epoch, (loss, accuracy) in enumerate([(1.2, 0.61), (0.7, 0.83)])
            for name, value in (("loss", loss), ("val_accuracy", accuracy))
        ],
    )
    expect(row.locator(".jp-nbjournal-RunItem-metricValue")).to_have_text("0.83")
    expect(view.locator('.jp-nbjournal-Chart[data-metric="loss"]')).to_be_visible()

    # ...and ends
    store.finish_run(run_id, "finished")
    expect(row).to_have_attribute("data-status", "finished")
    expect(row.locator(".jp-nbjournal-LiveDot")).to_have_count(0)
    expect(row.locator(".jp-nbjournal-needs-inference")).to_be_visible()
    expect(view.locator(".jp-nbjournal-RunView-facts .jp-nbjournal-Status")).to_have_text(
        "finished"
    )
    assert page.evaluate("window.__nbjournalSamePage === true"), "the page was reloaded"


def test_keyboard(page: Any, lab: Lab, store: Any) -> None:
    older = mlp_run(store, experiment="keys-mlp", units=8)
    newer = mlp_run(store, experiment="keys-mlp", units=12)

    open_lab(page, lab)
    open_journal(page)
    run_row(page, newer).focus()
    page.keyboard.press("ArrowDown")
    expect(run_row(page, older)).to_be_focused()
    page.keyboard.press("Space")
    expect(run_row(page, older)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(run_row(page, newer)).to_be_focused()
    page.keyboard.press("Enter")
    expect(run_view(page, newer)).to_be_visible()
    page.get_by_role("button", name="Clear").click()


def test_user_text_is_never_html(
    page: Any, lab: Lab, store: Any, dialogs: Any, page_errors: list[str]
) -> None:
    run_id = mlp_run(
        store,
        experiment="<b onmouseover=alert(4)>xss</b>",
        units=7,
        hypothesis="<img src=x onerror=alert(1)>",
    )
    store.add_inference(
        run_id,
        "<img src=x onerror=alert(2)> <script>alert(3)</script>"
        '<a href="javascript:alert(5)">link</a> **bold**',
        "refuted",
    )

    open_lab(page, lab)
    open_journal(page)
    row = run_row(page, run_id)
    expect(row.locator(".jp-nbjournal-RunItem-hypothesis")).to_have_text(
        "<img src=x onerror=alert(1)>"
    )
    header = page.locator(".jp-nbjournal-ExperimentGroup-name", has_text="xss")
    expect(header).to_have_text("<b onmouseover=alert(4)>xss</b>")
    header.hover()
    row.click()
    view = run_view(page, run_id)
    expect(view.locator('[data-section="hypothesis"]')).to_contain_text(
        "<img src=x onerror=alert(1)>"
    )
    inference = view.locator(".jp-nbjournal-Inference")
    expect(inference.locator("strong")).to_have_text("bold")
    link = inference.locator("a", has_text="link")
    if link.count():
        assert not (link.get_attribute("href") or "").startswith("javascript:")
        link.click()
    page.wait_for_timeout(500)  # give any injected handler its chance to run

    assert dialogs.messages == []
    assert page.locator("[onerror], [onmouseover]").count() == 0
    assert page.locator(".jp-nbjournal-Document script, #nbjournal-sidebar script").count() == 0
    assert page_errors == []


def test_charts_follow_the_theme(page: Any, lab: Lab, store: Any) -> None:
    run_id = mlp_run(store, experiment="theme-mlp", units=20)

    open_lab(page, lab)
    open_journal(page)
    run_row(page, run_id).click()
    chart = run_view(page, run_id).locator('.jp-nbjournal-Chart[data-metric="loss"] svg')
    label = chart.locator(".role-axis-label text").first
    expect(label).to_be_visible()
    light = label.get_attribute("fill")

    # JupyterLab's own menu: Settings › Theme › JupyterLab Dark
    page.locator(".lm-MenuBar-item", has_text="Settings").click()
    page.locator(".lm-Menu-item", has_text="Theme").first.hover()
    page.get_by_role("menuitem", name="JupyterLab Dark", exact=True).click()
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
    expect(chart.locator(".role-axis-label text").first).not_to_have_attribute("fill", light or "")
