"""What the benchmarks of the REST API and the experiment page share: one way to time a
request (median of its answer and JSON text, after a warm-up), a throw-away journal for
the server's part, a real ``jupyter lab`` in headless Chromium for the person's part.

Not a benchmark itself (``python -m benchmarks`` runs ``bench_*.py`` only): used by
``bench_table``, ``bench_table_insights``, ``bench_table_overlay`` and ``bench_server``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

#: The experiment the page benchmarks read, and its runs (``tests.browser.journal_data.bulk_sweep``).
SWEEP = "lr-sweep"
RUNS = 10_000

T = TypeVar("T")

#: In the page: ``act(section)`` once, resolve with the milliseconds until
#: ``drawn(section)`` holds (``section``: the element ``selector`` finds).
_ACT_AND_WAIT = """
async ([selector, args]) => {
  const section = document.querySelector(selector);
  const drawn = (%(drawn)s);
  const act = (%(act)s);
  const started = performance.now();
  const finished = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (drawn(section, args)) { observer.disconnect(); resolve(performance.now() - started); }
    });
    observer.observe(section, { childList: true, subtree: true, attributes: true });
  });
  act(section, args);
  return await finished;
}
"""


def act_and_wait(drawn: str, act: str) -> str:
    """The page function of :data:`_ACT_AND_WAIT` for two JS arrows ``(section, args) => …``."""
    return _ACT_AND_WAIT % {"drawn": drawn, "act": act}


def encode(payload: Any) -> str:
    """The JSON text a handler sends (a text payload, CSV, as it is)."""
    return payload if isinstance(payload, str) else json.dumps(payload, allow_nan=False)


def median_ms(request: Callable[[], Any], repeats: int) -> float:
    """Median of the request and its JSON text, after one warm-up (a server that has been up)."""
    return medians_ms(request, repeats)[0]


def medians_ms(request: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Medians of the request and its JSON text, wall and CPU (this process's): on a shared,
    loaded machine the wall is mostly waiting for a core, the CPU what the request costs."""
    encode(request())
    walls, cpus = [], []
    for _ in range(repeats):
        started, cpu = time.perf_counter(), time.process_time()
        encode(request())
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1)


@contextmanager
def scratch_store() -> Iterator[Any]:
    """A journal in a temporary SQLite file, gone afterwards."""
    from nbjournal.store import Store

    with tempfile.TemporaryDirectory(prefix="nbjournal-bench-") as folder:
        store = Store("sqlite:///" + str(Path(folder) / "journal.db"))
        try:
            yield store
        finally:
            store.engine.dispose()


def in_lab(fill: Callable[[Any], T], measure: Callable[[Any, Any, Any, T], Any]) -> Any:
    """``measure(page, lab, open_lab, filled)`` in a real lab whose journal ``fill(store)``
    wrote (the browser tests' ``Lab``; ``filled``: what ``fill`` returned); a ``skipped: …``
    line instead when the test extra, Chromium or a built lab extension is missing."""
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

            filled = fill(Store(lab.url_db))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                return measure(page, lab, open_lab, filled)
        finally:
            lab.stop()


def open_experiment(page: Any, lab: Any, open_lab: Any, experiment: str) -> None:
    """Open the lab, its journal sidebar, and the experiment's page."""
    open_lab(page, lab)
    page.click('li.lm-TabBar-tab[data-id="nbjournal-sidebar"]')
    page.click(f'section[data-experiment="{experiment}"] .jp-nbjournal-ExperimentGroup-name')
