"""How fast the experiment page overlays curves: 20 runs' curves of a 10,000-run sweep.

Two figures. The server's part: ``GET curves`` for 20 runs (and the bound: 50 runs
of 1,000 epochs each) as the handler computes it (store query, down-sampling,
JSON), without HTTP. Then what the person waits for: in a real ``jupyter lab``
in headless Chromium, from choosing another metric in the overlay's picker to
its 20 curves drawn (goal: 500 ms), measured in the page with
``performance.now()`` and a ``MutationObserver``.

Run with ``python -m benchmarks table_overlay`` from the repository's root (the lab and
the sweep: :mod:`benchmarks.page_timing`).
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks import page_timing
from benchmarks.page_timing import RUNS, SWEEP

CURVED = 1_000
OVERLAID = 20
GOAL_MS = 500.0
REPEATS = 7

#: In the page: choose ``metric`` in the overlay's picker, resolve with the
#: milliseconds until ``count`` curves of it are drawn.
_CHOOSE_AND_WAIT = page_timing.act_and_wait(
    drawn="""(section, [metric, count]) => section.querySelectorAll(
    `.jp-nbjournal-CurvesOverlay[data-metric="${metric}"] svg [aria-label^="run #"]`
  ).length >= count""",
    act="""(section, [metric]) => {
    const select = section.querySelector('select[aria-label="metric"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
    setter.call(select, metric);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }""",
)


def run() -> dict[str, Any]:
    """Time the server's answer and the browser's drawing; print both."""
    figures: dict[str, Any] = {}
    with page_timing.scratch_store() as store:
        figures["server"] = _server(store, _fill(store))
    figures["browser"] = page_timing.in_lab(_fill, _draw_times)
    _print(figures)
    return figures


def _fill(store: Any) -> list[int]:
    """The sweep, its last :data:`CURVED` runs with curves; the runs' ids."""
    from tests.browser.journal_data import bulk_curves, bulk_sweep

    ids = bulk_sweep(store, SWEEP, RUNS)
    bulk_curves(store, ids[-CURVED:])
    return ids


def _server(store: Any, ids: list[int]) -> dict[str, float]:
    from nbjournal.server.overlay import MAX_CURVE_RUNS, curves
    from nbjournal.store import MetricPoint

    long = ids[:MAX_CURVE_RUNS]  # the bound: 50 runs of 1,000 epochs each
    for run_id in long:
        store.add_points(run_id, [MetricPoint("val_loss", 1.0 / (e + 1), step=e, kind="epoch",
                                              epoch=e) for e in range(1000)])  # fmt: skip
    return {
        f"GET curves, {OVERLAID} runs × 30 epochs": page_timing.median_ms(
            lambda: curves(store, ids[-OVERLAID:], "val_accuracy", None, 300), REPEATS
        ),
        f"GET curves, {MAX_CURVE_RUNS} runs × 1,000 epochs": page_timing.median_ms(
            lambda: curves(store, long, "val_loss", None, 300), REPEATS
        ),
    }


def _draw_times(page: Any, lab: Any, open_lab: Any, ids: list[int]) -> dict[str, float]:
    page_timing.open_experiment(page, lab, open_lab, SWEEP)
    section = page.locator('[data-section="curves"]')
    section.scroll_into_view_if_needed()
    section.get_by_label("how many runs").fill(str(OVERLAID))
    page.wait_for_selector(f'.jp-nbjournal-CurvesOverlay[data-curves="{OVERLAID}"] svg')
    times = []
    for index in range(REPEATS + 1):
        metric = "loss" if index % 2 == 0 else "val_accuracy"
        times.append(
            float(page.evaluate(_CHOOSE_AND_WAIT, ['[data-section="curves"]', [metric, OVERLAID]]))
        )
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
