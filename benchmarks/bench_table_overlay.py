"""How fast the experiment page overlays curves: 20 runs' curves of a 10,000-run sweep.

Two figures. The server's part: ``GET curves`` for 20 runs (and the bound: 50 runs
of 1,000 epochs each) as the handler computes it (store query, down-sampling,
JSON), without HTTP. Then what the person waits for: in a real ``jupyter lab``
in headless Chromium, from choosing another metric in the overlay's picker to
its 20 curves drawn (goal: 500 ms), measured in the page with
``performance.now()`` and a ``MutationObserver``.

Run with ``python -m benchmarks table_overlay`` from the repository's root (it
reuses the browser tests' ``Lab`` and journal data; the browser part needs the
test extra, Chromium and a built lab extension, and says so when missing).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SWEEP = "lr-sweep"
RUNS = 10_000
CURVED = 1_000
OVERLAID = 20
GOAL_MS = 500.0
REPEATS = 7

#: In the page: choose ``metric`` in the overlay's picker, resolve with the
#: milliseconds until ``count`` curves of it are drawn.
_CHOOSE_AND_WAIT = """
async ([metric, count]) => {
  const section = document.querySelector('[data-section="curves"]');
  const select = section.querySelector('select[aria-label="metric"]');
  const drawn = () => section.querySelectorAll(
    `.jp-nbjournal-CurvesOverlay[data-metric="${metric}"] svg [aria-label^="run #"]`
  ).length >= count;
  const started = performance.now();
  const done = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (drawn()) { observer.disconnect(); resolve(performance.now() - started); }
    });
    observer.observe(section, { childList: true, subtree: true, attributes: true });
  });
  const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
  setter.call(select, metric);
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return await done;
}
"""


def run() -> dict[str, Any]:
    """Time the server's answer and the browser's drawing; print both."""
    from nbjournal.store import Store
    from tests.browser.journal_data import bulk_curves, bulk_sweep

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-") as folder:
        store = Store("sqlite:///" + str(Path(folder) / "journal.db"))
        ids = bulk_sweep(store, SWEEP, RUNS)
        bulk_curves(store, ids[-CURVED:])
        figures["server"] = _server(store, ids)
        store.engine.dispose()
    figures["browser"] = _browser()
    _print(figures)
    return figures


def _server(store: Any, ids: list[int]) -> dict[str, float]:
    from nbjournal.server.overlay import MAX_CURVE_RUNS, curves
    from nbjournal.store import MetricPoint

    long = ids[:MAX_CURVE_RUNS]  # the bound: 50 runs of 1,000 epochs each
    for run_id in long:
        store.add_points(run_id, [MetricPoint("val_loss", 1.0 / (e + 1), step=e, kind="epoch",
                                              epoch=e) for e in range(1000)])  # fmt: skip
    return {
        f"GET curves, {OVERLAID} runs × 30 epochs": _median_ms(
            lambda: curves(store, ids[-OVERLAID:], "val_accuracy", None, 300)
        ),
        f"GET curves, {MAX_CURVE_RUNS} runs × 1,000 epochs": _median_ms(
            lambda: curves(store, long, "val_loss", None, 300)
        ),
    }


def _median_ms(request: Any) -> float:
    import json

    json.dumps(request())
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
            from tests.browser.journal_data import bulk_curves, bulk_sweep

            store = Store(lab.url_db)
            ids = bulk_sweep(store, SWEEP, RUNS)
            bulk_curves(store, ids[-CURVED:])
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                return _draw_times(page, lab, open_lab)
        finally:
            lab.stop()


def _draw_times(page: Any, lab: Any, open_lab: Any) -> dict[str, float]:
    open_lab(page, lab)
    page.click('li.lm-TabBar-tab[data-id="nbjournal-sidebar"]')
    page.click(f'section[data-experiment="{SWEEP}"] .jp-nbjournal-ExperimentGroup-name')
    section = page.locator('[data-section="curves"]')
    section.scroll_into_view_if_needed()
    section.get_by_label("how many runs").fill(str(OVERLAID))
    page.wait_for_selector(f'.jp-nbjournal-CurvesOverlay[data-curves="{OVERLAID}"] svg')
    times = []
    for index in range(REPEATS + 1):
        metric = "loss" if index % 2 == 0 else "val_accuracy"
        times.append(float(page.evaluate(_CHOOSE_AND_WAIT, [metric, OVERLAID])))
    return {
        f"overlay of {OVERLAID} runs' curves, picked → drawn": round(
            statistics.median(times[1:]), 1
        )
    }


def _print(figures: dict[str, Any]) -> None:
    print(f"Curves overlaid: {SWEEP}, {RUNS:,} runs, {CURVED:,} of them with curves (sqlite)")
    print(f"{'measure':52} {'median ms':>10}  goal")
    for name, ms in figures["server"].items():
        print(f"{name:52} {ms:10.1f}")
    browser = figures["browser"]
    if isinstance(browser, str):
        print(f"browser: {browser}")
    else:
        for name, ms in browser.items():
            verdict = "ok" if ms <= GOAL_MS else "MISSED"
            print(f"{name:52} {ms:10.1f}  ≤ {GOAL_MS:.0f} ms {verdict}")
    print(f"(median of {REPEATS})")
