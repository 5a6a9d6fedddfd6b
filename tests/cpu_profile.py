"""CPU-seconds per test module, loaded only when asked: ``pytest -p tests.cpu_profile``.

Wall time of ``make test`` on two cores is about its total CPU over two, and a loaded
machine stretches ``--durations`` but not CPU: this counts, per module, the CPU-seconds
(user + system) of the pytest process and of everything it started (kernels, jupyter lab,
Chromium, Dask workers), read when a module's first test starts and when the next module's
does (its teardown included), and its wall-clock seconds: a module whose wall time is well
above its CPU time waits (polls, timeouts) while a core could work.

Where the cgroup v1 ``cpuacct`` controller is writable (root on this machine), each process
moves into a cgroup of its own and reads its ``cpuacct.usage``: every descendant counted,
those that ended unreaped or were re-parented too. Elsewhere psutil sums the live process
tree and the reaped children (a process that ends unreaped between two readings is lost, so
a module of the browser tests can read negative).

Each process (an xdist worker too) appends one line a module to the file named by
``NBJOURNAL_CPU_PROFILE`` (default ``.cpu-profile.tsv``): CPU-seconds, wall seconds, module,
process id. ``python tests/cpu_profile.py FILE [--top N]`` prints the modules, largest first, and the
total (``make test`` prints the 25 largest).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import psutil
import pytest

_OUT = Path(os.environ.get("NBJOURNAL_CPU_PROFILE", ".cpu-profile.tsv"))
_CPUACCT = Path("/sys/fs/cgroup/cpuacct")
_group: Path | None = None


def _own_cgroup() -> Path | None:
    """A cpuacct cgroup holding this process (and so what it starts), or ``None``."""
    group = _CPUACCT / f"nbjournal-cpu-profile-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        return None
    return group


def _leave_cgroup(group: Path) -> None:
    try:
        (_CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
        group.rmdir()  # fails while a process it started lives on: left for the system
    except OSError:
        pass


def _tree_cpu() -> float:
    """CPU-seconds of this process and of everything it started."""
    if _group is not None:
        return int((_group / "cpuacct.usage").read_text()) / 1e9
    me = psutil.Process()
    total = sum(me.cpu_times()[:4])
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):  # ended between the listing and the reading
            total += sum(child.cpu_times()[:4])
    return total


class _Profile:
    def __init__(self) -> None:
        # until the first test: the process's start-up, its imports and the collection
        self.module: str | None = "(start-up and collection)"
        self.began = _tree_cpu() if _group is not None else 0.0
        self.wall = time.monotonic()

    def _close(self) -> None:
        if self.module is not None:
            seconds, wall = _tree_cpu() - self.began, time.monotonic() - self.wall
            with _OUT.open("a") as out:
                out.write(f"{seconds:.2f}\t{wall:.2f}\t{self.module}\t{os.getpid()}\n")
        self.module = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
        module = item.nodeid.split("::")[0]
        if module != self.module:
            self._close()
            self.module, self.began, self.wall = module, _tree_cpu(), time.monotonic()
        yield

    def pytest_sessionfinish(self) -> None:
        self._close()


def pytest_configure(config: pytest.Config) -> None:
    global _group
    _group = _own_cgroup()
    config.pluginmanager.register(_Profile(), "nbjournal-cpu-profile")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _group is not None:
        _leave_cgroup(_group)


def report(path: Path, top: int | None = None) -> str:
    cpu: dict[str, float] = {}
    wall: dict[str, float] = {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        module = fields[-2]
        cpu[module] = cpu.get(module, 0.0) + float(fields[0])
        if len(fields) == 4:
            wall[module] = wall.get(module, 0.0) + float(fields[1])
    lines = ["    CPU-s   wall-s  module"]
    for module, seconds in sorted(cpu.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"{seconds:9.1f} {wall.get(module, float('nan')):8.1f}  {module}")
    total = f"{sum(cpu.values()):9.1f} {sum(wall.values()):8.1f}"
    lines.append(f"{total}  total ({len(cpu)} modules; wall summed over the workers)")
    return "\n".join(lines)


if __name__ == "__main__":  # python tests/cpu_profile.py [FILE] [--top N]
    arguments = sys.argv[1:]
    top = None
    if "--top" in arguments:
        at = arguments.index("--top")
        top = int(arguments[at + 1])
        del arguments[at : at + 2]
    print(report(Path(arguments[0] if arguments else _OUT), top))
