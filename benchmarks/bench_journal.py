"""Cost of the journal around a cell: ``%load_ext``, a trivial run, data fingerprints.

Ratios are measured in one run, medians of several repetitions.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nbjournal.capture.fingerprint import hash_array

REPEATS = 7


def _median_time(function, repeats: int = REPEATS) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def load_ext_cost() -> dict[str, float]:
    """Import time of a bare IPython beside IPython plus ``%load_ext nbjournal``, in fresh processes."""
    bare = "import IPython"
    loaded = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance().run_line_magic('load_ext', 'nbjournal')"
    )
    bare_shell = (
        "from IPython.core.interactiveshell import InteractiveShell\nInteractiveShell.instance()"
    )

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    samples = {"import IPython": [], "shell": [], "shell + %load_ext nbjournal": []}
    for _ in range(9):  # interleaved
        samples["import IPython"].append(run(bare))
        samples["shell"].append(run(bare_shell))
        samples["shell + %load_ext nbjournal"].append(run(loaded))
    result = {name: statistics.median(values) for name, values in samples.items()}
    result["load_ext over bare shell (ms)"] = (
        result["shell + %load_ext nbjournal"] - result["shell"]
    ) * 1000
    return result


def trivial_run_cost() -> dict[str, float]:
    """Start and finish of a run for a trivial cell: capture, fingerprint, store, summary."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    with tempfile.TemporaryDirectory() as home:
        os.environ["NBJOURNAL_HOME"] = home
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "nbjournal")
        shell.run_cell("import numpy as np\ndata = np.arange(1000.0)")
        counter = iter(range(10**6))

        def plain() -> None:
            shell.run_cell(f"value = float(data.sum()) + {next(counter)}")

        def recorded() -> None:
            with capture_output():
                shell.run_cell(f"%%experiment bench\nvalue = float(data.sum()) + {next(counter)}")

        def duplicate() -> None:
            with capture_output():
                shell.run_cell("%%experiment bench\nvalue = float(data.sum()) + 0")

        recorded()  # open the journal once (as a kernel's first cell does)
        plain_s = _median_time(plain, 21)
        recorded_s = _median_time(recorded, 21)
        duplicate_s = _median_time(duplicate, 21)
    return {
        "plain cell (ms)": plain_s * 1000,
        "recorded cell (ms)": recorded_s * 1000,
        "journal cost per run (ms)": (recorded_s - plain_s) * 1000,
        "duplicate caught (ms)": duplicate_s * 1000,
    }


def fingerprint_speed(megabytes: int = 256) -> dict[str, float]:
    """xxh3 fingerprint of a float32 array beside a plain numpy copy of it, in GB/s."""
    array = np.random.default_rng(0).random(megabytes * (1 << 20) // 4, dtype=np.float32)
    gigabytes = array.nbytes / 1e9
    copy_s, hash_s = [], []
    for _ in range(REPEATS):  # interleaved
        start = time.perf_counter()
        array.copy()
        copy_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        hash_array(array)
        hash_s.append(time.perf_counter() - start)
    before = hash_array(array)
    array[len(array) // 2] += 1.0
    assert hash_array(array) != before, "a changed array must hash differently"
    copy_rate = gigabytes / statistics.median(copy_s)
    hash_rate = gigabytes / statistics.median(hash_s)
    return {
        "numpy copy (GB/s)": copy_rate,
        "fingerprint (GB/s)": hash_rate,
        "fingerprint / copy": hash_rate / copy_rate,
    }


def run() -> dict[str, dict[str, float]]:
    results = {
        "%load_ext (s, fresh process)": load_ext_cost(),
        "trivial %%experiment cell": trivial_run_cost(),
        "fingerprint of a 256 MB float32 array": fingerprint_speed(),
    }
    for title, figures in results.items():
        print(f"\n{title}")
        for name, value in figures.items():
            print(f"  {name:<40} {value:10.3f}")
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    run()
