"""The procedure: what recording an experiment cell's upstream cells costs.

A real IPython shell runs 300 small cells (loads, cleaning steps, in-place
changes, functions, imports, plots-like calls) and then an experiment cell that
reads a few of their names; :func:`record_procedure` computes the backward slice
over that history. ``first`` parses every earlier cell (the first experiment of
a session); ``next`` is a later experiment cell (each earlier cell is parsed
once and kept by execution count, so only the new cells are read). An earlier
cell is read only when its text spells a name the slice follows
(capture/slice_index.py). Figures are the median over 30 calls, in milliseconds,
of wall time and of the process's CPU time (the machine may be shared: CPU time
is what the cell costs). Goal: ≤ 5 ms per experiment cell with a 300-cell history.
"""

from __future__ import annotations

import statistics
import time

CELLS = 300
CALLS = 30


def _history_cells() -> list[str]:
    """300 cells of a plausible notebook: each name bound, changed, read later."""
    cells = ["import math\nimport random\nfrom collections import Counter"]
    for index in range(1, CELLS):
        kind = index % 6
        if kind == 0:
            cells.append(f"data_{index} = [random.random() for _ in range(10)]")
        elif kind == 1:
            cells.append(f"data_{index - 1}.append(1.0)\nscale = {index}")
        elif kind == 2:
            cells.append(f"def step_{index}(xs):\n    return [x * scale for x in xs]")
        elif kind == 3:
            cells.append(f"result_{index} = step_{index - 1}(data_{index - 3})")
        elif kind == 4:
            cells.append(f"counts = Counter(round(x) for x in result_{index - 1})\ncounts")
        else:
            cells.append(f"if scale > {index}:\n    data_{index - 5}[0] = math.pi")
    return cells


def measure() -> dict[str, float]:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from nbjournal.capture import history
    from nbjournal.rules import secrets

    shell = InteractiveShell.instance()
    with capture_output():
        for code in _history_cells():
            shell.run_cell(code, store_history=True)
    body = "model = step_296(data_294)\nscore = sum(model) / len(model)\n"
    first: list[tuple[float, float]] = []
    later: list[tuple[float, float]] = []
    for call in range(CALLS):
        history._history._facts.clear()  # a session's first experiment: nothing parsed yet
        history._history._by_code.clear()
        history._literals.cache_clear()
        secrets._redact_code.cache_clear()
        start = time.perf_counter(), time.process_time()
        history.record_procedure(shell, body, ())
        first.append((time.perf_counter() - start[0], time.process_time() - start[1]))
        with capture_output():
            shell.run_cell(f"note_{call} = {call}", store_history=True)
        start = time.perf_counter(), time.process_time()
        found = history.record_procedure(shell, body, ())
        later.append((time.perf_counter() - start[0], time.process_time() - start[1]))
    assert found is not None and found["cells"], "the slice found no upstream cell"
    return {
        "history": float(len(shell.history_manager.input_hist_raw) - 1),
        "upstream": float(len(found["cells"])),
        "first_ms": statistics.median(w for w, _ in first) * 1000,
        "first_cpu_ms": statistics.median(c for _, c in first) * 1000,
        "next_ms": statistics.median(w for w, _ in later) * 1000,
        "next_cpu_ms": statistics.median(c for _, c in later) * 1000,
    }


def run() -> None:
    figures = measure()
    print(
        f"procedure of an experiment cell over {figures['history']:.0f} executed cells "
        f"({figures['upstream']:.0f} upstream): first experiment of the session "
        f"{figures['first_ms']:.3g} ms wall, {figures['first_cpu_ms']:.3g} ms CPU (nothing "
        f"parsed before); a later one {figures['next_ms']:.3g} ms wall, "
        f"{figures['next_cpu_ms']:.3g} ms CPU (parsed cells kept)   [goal: <= 5 ms]"
    )


if __name__ == "__main__":
    run()
