"""How fast the experiment page answers at 10,000 runs: its Insights section and its groups.

Two figures each. The server's part: ``GET experiments/{name}/insights`` and
``GET experiments/{name}/groups`` as the handler computes them (store query,
analysis, JSON), without HTTP. Then what the person waits for: in a real
``jupyter lab`` in headless Chromium, from the click on "Show insights" to the
section drawn (verdict, charts, best configurations; goal: 2 s), and from ticking
a parameter to group by to the groups' table drawn, measured in the page with
``performance.now()`` and a ``MutationObserver``.

Run with ``python -m benchmarks table_insights`` from the repository's root (it
reuses the browser tests' ``Lab`` and journal data; the browser part needs the
test extra, Chromium and a built lab extension, and says so when missing).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SWEEP = "lr-sweep"
RUNS = 10_000
INSIGHTS_GOAL_MS = 2000.0
GROUPS_GOAL_MS = 300.0
REPEATS = 3

#: In the page: click ``button`` inside ``selector``'s element, resolve with the
#: milliseconds until every selector of ``done`` matches inside it.
_CLICK_AND_WAIT = """
async ([selector, button, done]) => {
  const section = document.querySelector(selector);
  const drawn = () => done.every(s => section.querySelector(s) !== null);
  const started = performance.now();
  const finished = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (drawn()) { observer.disconnect(); resolve(performance.now() - started); }
    });
    observer.observe(section, { childList: true, subtree: true, attributes: true });
  });
  section.querySelector(button).click();
  return await finished;
}
"""
#: The Insights section drawn: its best table and its charts (what mattered, effects).
_INSIGHTS_DRAWN = [
    '[role="status"]',
    '[data-block="importances"] .vega-embed svg',
    '[data-block="effects"] .vega-embed svg',
    'table[aria-label="Best configurations"] tbody tr',
    '[data-block="conclusions"] dd',
]


def run() -> dict[str, Any]:
    """Time the server's answers and the browser's drawing; print them."""
    from nbjournal.store import Store
    from tests.browser.journal_data import bulk_sweep

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-") as folder:
        store = Store("sqlite:///" + str(Path(folder) / "journal.db"))
        bulk_sweep(store, SWEEP, RUNS)
        figures["server"] = _server(store)
        store.engine.dispose()
    figures["browser"] = _browser()
    _print(figures)
    return figures


def _server(store: Any) -> dict[str, float]:
    from nbjournal.server import endpoints

    def insights() -> Any:
        return endpoints.insights(store, SWEEP, same_data=False, metric=None, suggestions=5)

    return {
        f"GET insights, {RUNS:,} runs": _median_ms(insights),
        f"GET groups?by=lr, {RUNS:,} runs": _median_ms(
            lambda: endpoints.groups(store, SWEEP, ["lr"], None, None)
        ),
        f"GET groups (by configuration), {RUNS:,} runs": _median_ms(
            lambda: endpoints.groups(store, SWEEP, [], None, None)
        ),
    }


def _median_ms(request: Callable[[], Any]) -> float:
    json.dumps(request())  # warm: imports, a server that has been up
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        json.dumps(request(), allow_nan=False)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _browser() -> dict[str, float] | str:
    try:
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Lab, open_lab
    except ImportError as error:
        return f"skipped: {error} (pip install -e '.[test]')"
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-lab-") as folder:
        lab = Lab(Path(folder))
        try:
            lab.start()
        except RuntimeError as error:
            return f"skipped: {str(error).splitlines()[0]}"
        try:
            from nbjournal.store import Store
            from tests.browser.journal_data import bulk_sweep

            bulk_sweep(Store(lab.url_db), SWEEP, RUNS)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                return _draw_times(page, lab, open_lab)
        finally:
            lab.stop()


def _open_page(page: Any, lab: Any, open_lab: Any) -> None:
    open_lab(page, lab)
    page.click('li.lm-TabBar-tab[data-id="nbjournal-sidebar"]')
    page.click(f'section[data-experiment="{SWEEP}"] .jp-nbjournal-ExperimentGroup-name')
    page.wait_for_selector(".jp-nbjournal-RunsTable tbody tr[data-run-id]")


def _draw_times(page: Any, lab: Any, open_lab: Any) -> dict[str, float]:
    view = f'.jp-nbjournal-ExperimentView[data-experiment="{SWEEP}"]'
    insights, groups = [], []
    for _ in range(REPEATS + 1):  # the first: the server's first statistics imports
        _open_page(page, lab, open_lab)
        insights.append(
            float(
                page.evaluate(
                    _CLICK_AND_WAIT,
                    [f'{view} [data-section="insights"]', "button", _INSIGHTS_DRAWN],
                )
            )
        )
        page.click(f"{view} .jp-nbjournal-GroupBy-picker summary")
        groups.append(
            float(
                page.evaluate(
                    _CLICK_AND_WAIT,
                    [
                        f'{view} [data-section="runs"]',
                        '.jp-nbjournal-GroupBy-list input[type="checkbox"]',
                        ['table[aria-label="Groups"] tr[data-configuration-id]'],
                    ],
                )
            )
        )
    return {
        f"Insights section, click → drawn ({RUNS:,} runs)": round(
            statistics.median(insights[1:]), 1
        ),
        f"group by a parameter, tick → drawn ({RUNS:,} runs)": round(
            statistics.median(groups[1:]), 1
        ),
    }


def _print(figures: dict[str, Any]) -> None:
    print(f"Experiment page at scale: {SWEEP}, {RUNS:,} runs (sqlite)")
    print(f"{'measure':52} {'median ms':>10}  goal")
    for name, ms in figures["server"].items():
        goal = f"≤ {GROUPS_GOAL_MS:.0f} ms" if "groups" in name else ""
        verdict = ("ok" if ms <= GROUPS_GOAL_MS else "MISSED") if goal else ""
        print(f"{name:52} {ms:10.1f}  {goal} {verdict}")
    browser = figures["browser"]
    if isinstance(browser, str):
        print(f"browser: {browser}")
    else:
        for name, ms in browser.items():
            if name.startswith("Insights"):
                verdict = "ok" if ms <= INSIGHTS_GOAL_MS else "MISSED"
                print(f"{name:52} {ms:10.1f}  ≤ {INSIGHTS_GOAL_MS:.0f} ms {verdict}")
            else:
                print(f"{name:52} {ms:10.1f}")
    print(f"(median of {REPEATS}; the first of the browser's left out)")


if __name__ == "__main__":
    run()
