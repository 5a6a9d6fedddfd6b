"""The experiment page's Insights: verdict, importances, effects, best, suggestions, conclusions.

Pictures go to ``$NBJOURNAL_SCREENSHOTS`` when set (``docs/screenshots``), else to a
temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from analysis.synthetic import lr_drives, sweep  # tests/analysis, as the server tests use it
from playwright.sync_api import expect

from .conftest import DARK, LIGHT, PATIENCE_MS, Lab, open_journal, open_lab

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

NAME, SMALL = "lr-sweep", "tiny-sweep"


@pytest.fixture(scope="module")
def runs(store: Any) -> list[int]:
    ids = sweep(store, NAME, 30, lr_drives, seed=3)
    store.add_inference(ids[4], "too large a step: <b>diverged</b>", "refuted")
    store.add_inference(ids[9], "the peak is near 3e-3", "supported")
    sweep(store, SMALL, 3, lr_drives)
    return ids


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def open_insights(page: Any, name: str) -> Any:
    panel = open_journal(page)
    panel.locator(f'section[data-experiment="{name}"] .jp-nbjournal-ExperimentGroup-name').click()
    view = page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{name}"]')
    section = view.locator('[data-section="insights"]')
    # read on demand: they cost the server a model over every run
    section.get_by_role("button", name="Show insights").click()
    expect(section.get_by_role("status")).to_be_visible()
    return section


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_insights_view(
    page: Any, lab: Lab, runs: list[int], folder: Path, theme: str, page_errors: list[str]
) -> None:
    name = "light" if theme == LIGHT else "dark"
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_lab(page, lab, theme)
    section = open_insights(page, NAME)
    expect(section.get_by_role("status")).to_contain_text("lr")
    expect(section.get_by_role("list", name="Importances")).to_contain_text("lr")
    charts = section.locator(".jp-nbjournal-Chart .vega-embed svg")
    expect(charts).to_have_count(2)
    expect(section.get_by_role("table", name="Best configurations").locator("tbody tr").first)\
        .to_contain_text("#")  # fmt: skip
    expect(section.get_by_role("table", name="Suggestions")).to_be_visible()
    conclusions = section.get_by_role("definition")
    expect(conclusions.first).to_be_visible()
    expect(section).to_contain_text("too large a step: <b>diverged</b>")
    assert section.locator(".jp-nbjournal-Conclusions b").count() == 0
    section.evaluate("e => e.scrollIntoView()")
    page.mouse.move(0, 0)
    page.screenshot(path=folder / f"insights-{name}.png", animations="disabled")
    section.locator('[data-block="best"]').evaluate("e => e.scrollIntoView()")
    page.screenshot(path=folder / f"insights-tables-{name}.png", animations="disabled")

    # a best run opens
    section.get_by_role("table", name="Best configurations").get_by_role("button").first.click()
    expect(page.locator(".jp-nbjournal-RunView")).to_be_visible()
    assert page_errors == []


def test_too_few_runs_to_tell(page: Any, lab: Lab, runs: list[int]) -> None:
    open_lab(page, lab, LIGHT)
    section = open_insights(page, SMALL)
    expect(section.get_by_role("status")).to_contain_text("too few runs to tell")
    expect(section.get_by_role("list", name="Importances")).to_have_count(0)
