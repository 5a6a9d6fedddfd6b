"""How fast the experiment page answers at 10,000 runs: its Insights section and its groups.

Two figures each. The server's part: ``GET experiments/{name}/insights`` and
``GET experiments/{name}/groups`` as the handler computes them (store query,
analysis, JSON), without HTTP, wall and CPU time: *computed* (the answer made
anew, as after any change of the experiment's runs) and *kept* (the server's
answer for an unchanged journal, :mod:`nbjournal.server.answer_cache`). Then what
the person waits for: in a real ``jupyter lab`` in headless Chromium, from the
click on "Show insights" to the section drawn (verdict, charts, best
configurations; goal: 2 s), and from ticking a parameter to group by to the
groups' table drawn, measured in the page with ``performance.now()`` and a
``MutationObserver``; again after a change (a run tagged before the page opens:
the server computes) and unchanged (kept), with the lab's CPU time for each
click. Every figure says the machine's load (``uptime``'s first number).

Run with ``python -m benchmarks table_insights`` from the repository's root (the lab and
the sweep: :mod:`benchmarks.page_timing`).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.page_timing import (
    RUNS,
    SWEEP,
    act_and_wait,
    in_lab,
    open_experiment,
    scratch_store,
)

INSIGHTS_GOAL_MS = 2000.0
GROUPS_GOAL_MS = 300.0
REPEATS = 3

#: In the page: click the element ``button`` finds inside the section, resolve with
#: the milliseconds until every selector of ``done`` matches inside it.
_CLICK_AND_WAIT = act_and_wait(
    drawn="(section, [button, done]) => done.every(s => section.querySelector(s) !== null)",
    act="(section, [button]) => section.querySelector(button).click()",
)
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
    figures: dict[str, Any] = {}
    with scratch_store() as store:
        _fill(store)
        figures["server"] = _server(store)
    figures["browser"] = in_lab(_fill, _draw_times)
    _print(figures)
    return figures


def _fill(store: Any) -> Callable[[int], object]:
    """The sweep; what tags its ``i``-th run (a change of the experiment)."""
    from tests.browser.journal_data import bulk_sweep

    ids = bulk_sweep(store, SWEEP, RUNS)
    return lambda i: store.edit_tags(ids[i], ["b"])


def _server(store: Any) -> dict[str, tuple[float, float, float]]:
    from nbjournal.server import endpoints

    def insights() -> Any:
        return endpoints.insights(store, SWEEP, same_data=False, metric=None, suggestions=5)

    def by_lr() -> Any:
        return endpoints.groups(store, SWEEP, ["lr"], None, None)

    def by_configuration() -> Any:
        return endpoints.groups(store, SWEEP, [], None, None)

    figures = {}
    for name, request in (
        (f"GET insights, {RUNS:,} runs", insights),
        (f"GET groups?by=lr, {RUNS:,} runs", by_lr),
        (f"GET groups (by configuration), {RUNS:,} runs", by_configuration),
    ):
        figures[f"{name}, computed"] = _timed(computed(request))
        figures[f"{name}, kept"] = _timed(request)
    return figures


def computed(request: Callable[[], Any]) -> Callable[[], Any]:
    """``request`` with no answer kept: what the server does after the journal changed."""
    from nbjournal.server import answer_cache

    def anew() -> Any:
        answer_cache.forget()
        return request()

    return anew


def _timed(request: Callable[[], Any]) -> tuple[float, float, float]:
    """Median wall and CPU milliseconds of the request and its JSON, and the load meanwhile."""
    json.dumps(request())  # warm: imports, a server that has been up
    walls, cpus = [], []
    for _ in range(REPEATS):
        started, cpu = time.perf_counter(), time.process_time()
        json.dumps(request(), allow_nan=False)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return (
        round(statistics.median(walls), 1),
        round(statistics.median(cpus), 1),
        round(os.getloadavg()[0], 1),
    )


def _open_page(page: Any, lab: Any, open_lab: Any) -> None:
    open_experiment(page, lab, open_lab, SWEEP)
    page.wait_for_selector(".jp-nbjournal-RunsTable tbody tr[data-run-id]")
    page.wait_for_timeout(1000)  # the page's own requests answered: the click alone is timed


def _draw_times(
    page: Any, lab: Any, open_lab: Any, change: Callable[[int], object]
) -> dict[str, tuple[float, float, float]]:
    """Click → drawn for the Insights section and a group-by: after a change of the
    experiment (a run tagged before the page opens: the server computes; the first
    round, with the server's first statistics imports, left out), then unchanged."""
    view = f'.jp-nbjournal-ExperimentView[data-experiment="{SWEEP}"]'
    rounds: dict[str, list[tuple[float, float, float]]] = {}
    for index in range(2 * REPEATS + 1):
        changed = index <= REPEATS
        if changed:
            change(index)
        _open_page(page, lab, open_lab)
        insights = _click(
            page, lab, [f'{view} [data-section="insights"]', ["button", _INSIGHTS_DRAWN]]
        )
        page.click(f"{view} .jp-nbjournal-GroupBy-picker summary")
        groups = _click(
            page,
            lab,
            [
                f'{view} [data-section="runs"]',
                [
                    '.jp-nbjournal-GroupBy-list input[type="checkbox"]',
                    ['table[aria-label="Groups"] tr[data-configuration-id]'],
                ],
            ],
        )
        if index == 0:
            continue
        how = "after a change" if changed else "unchanged"
        rounds.setdefault(f"Insights section, click → drawn, {how}", []).append(insights)
        rounds.setdefault(f"group by a parameter, tick → drawn, {how}", []).append(groups)
    return {
        name: (
            round(statistics.median(t[0] for t in times), 1),
            round(statistics.median(t[1] for t in times), 1),
            round(statistics.median(t[2] for t in times), 1),
        )
        for name, times in rounds.items()
    }


def _click(page: Any, lab: Any, arguments: list[Any]) -> tuple[float, float, float]:
    """Milliseconds to drawn, the lab's CPU milliseconds meanwhile, the load."""
    before = _cpu_ms(lab.process.pid)
    drawn = float(page.evaluate(_CLICK_AND_WAIT, arguments))
    return drawn, _cpu_ms(lab.process.pid) - before, os.getloadavg()[0]


def _cpu_ms(pid: int) -> float:
    """A process's CPU time (user + system) so far, from /proc (Linux; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _print(figures: dict[str, Any]) -> None:
    print(f"Experiment page at scale: {SWEEP}, {RUNS:,} runs (sqlite; {os.cpu_count()} CPUs)")
    print(f"{'measure':58} {'wall ms':>8} {'cpu ms':>8} {'load':>5}  goal")
    browser = figures["browser"]
    rows = list(figures["server"].items()) + (
        list(browser.items()) if not isinstance(browser, str) else []
    )
    for name, (wall, cpu, load) in rows:
        goal = (
            GROUPS_GOAL_MS
            if name.startswith("GET groups")
            else INSIGHTS_GOAL_MS
            if name.startswith("Insights")
            else None
        )
        verdict = "" if goal is None else f"≤ {goal:.0f} ms {'ok' if wall <= goal else 'MISSED'}"
        print(f"{name:58} {wall:8.1f} {cpu:8.1f} {load:5.1f}  {verdict}")
    if isinstance(browser, str):
        print(f"browser: {browser}")
    print(
        f"(medians of {REPEATS}; cpu: this process's for GET, the lab's for a click; "
        "the browser's first round left out)"
    )


if __name__ == "__main__":
    run()
