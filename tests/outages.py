"""Journals that fail as operators saw them fail: a server that never answers, one frozen.

Fixtures for every suite (loaded by the root ``conftest.py``):

- ``black_hole``: a TCP socket on loopback that accepts connections and never
  says a word, as a firewall or a hung proxy does;
- ``own_postgres``: a throw-away PostgreSQL cluster of this test session, in a
  temp folder on a free port, that a test may freeze with SIGSTOP and thaw with
  SIGCONT (never the shared server of the other test suites);
- ``short_timeout``: ``NBJOURNAL_TIMEOUT`` of one second, so a test of a bounded
  wait is quick.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


class BlackHole:
    """Accepts every connection and never answers; counts the connections."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://nobody@127.0.0.1:{self.port}/journal"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setenv("NBJOURNAL_TIMEOUT", "1")
    monkeypatch.setenv("NBJOURNAL_RETRY_AFTER", "60")
    return 1.0


class OwnPostgres:
    """A PostgreSQL cluster of our own: started, frozen, thawed and stopped by us only."""

    def __init__(self, pgbin: str) -> None:
        self.pgbin = pgbin
        self.folder = Path(tempfile.mkdtemp(prefix="nbjournal-own-pg-"))
        self.data = self.folder / "data"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(f"{pgbin}/initdb -D {self.data} -U postgres --auth=trust -E UTF8 --no-locale")
        self._run(
            f"{pgbin}/pg_ctl -D {self.data} -l {self.folder}/log -w start "
            f"-o '-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}'"
        )
        self.frozen: list[int] = []

    def _run(self, command: str) -> None:
        full = ["su", "postgres", "-c", command] if self._as_postgres else ["sh", "-c", command]
        subprocess.run(full, check=True, capture_output=True)

    def new_database(self, name: str) -> str:
        self._run(
            f"{self.pgbin}/psql -h 127.0.0.1 -p {self.port} -U postgres -c 'create database {name}'"
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _pids(self) -> list[int]:
        main = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for status in glob.glob("/proc/[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":\t", 1)
                    for line in Path(status).read_text().splitlines()
                    if ":\t" in line
                )
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(main):
                children.append(int(status.split("/")[2]))
        return [main, *children]

    def freeze(self) -> None:
        """SIGSTOP the server and every backend: connections stay open, nothing answers."""
        self.frozen = self._pids()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen = []

    def stop(self) -> None:
        self.thaw()
        try:
            self._run(f"{self.pgbin}/pg_ctl -D {self.data} -m immediate stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[OwnPostgres]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql) to freeze")
    server = OwnPostgres(os.path.dirname(found[-1]))
    try:
        yield server
    finally:
        server.stop()
