"""A notebook renamed after its kernel started records its new path (issue 10, defect 1).

A real ``jupyter server`` starts a kernel for ``Untitled.ipynb`` through its
sessions API, the notebook is renamed as JupyterLab renames it (PATCH of the
session), and the kernel then runs an ``%%experiment`` cell.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: Guards against a hang on a slow, shared machine; times nothing.
PATIENCE_S = 180.0


class Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / "root"
        self.root.mkdir()
        self.runtime = folder / "runtime"
        self.token = secrets.token_hex(16)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = {
            **os.environ,
            "NBJOURNAL_HOME": str(folder / "journal-home"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            "JUPYTER_CONFIG_DIR": str(folder / "config"),
            "TF_CPP_MIN_LOG_LEVEL": "3",
        }
        self.env.pop("NBJOURNAL_URL", None)
        self.log = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
                 f"--IdentityProvider.token={self.token}", "--ServerApp.ip=127.0.0.1",
                 f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                 f"--ServerApp.root_dir={self.root}"],
                cwd=self.root, env=self.env, stdout=log, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + PATIENCE_S
        while True:
            try:
                self.request("api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)

    def request(self, path: str, method: str = "GET", body: Any = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def stop(self) -> None:
        if self.process is None:
            return
        for kernel in self.request("api/kernels") or []:
            self.request(f"api/kernels/{kernel['id']}", method="DELETE")
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def run_in_kernel(client: Any, code: str) -> None:
    """Run ``code`` and wait for its reply on the shell channel (requests queue until the
    kernel is up; no heartbeat is consulted, which a loaded machine can starve)."""
    msg_id = client.execute(code)
    deadline = time.monotonic() + PATIENCE_S
    while True:
        reply = client.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["status"] == "ok", reply["content"]


def test_a_renamed_notebook_records_its_new_path(server: Server) -> None:
    from jupyter_client import BlockingKernelClient

    # Given a notebook created as Untitled.ipynb, with its kernel
    session = server.request(
        "api/sessions",
        method="POST",
        body={"path": "Untitled.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
    )
    # When it is renamed, as JupyterLab renames an open notebook
    server.request(
        f"api/sessions/{session['id']}", method="PATCH", body={"path": "ux-digits.ipynb"}
    )
    client = BlockingKernelClient(
        connection_file=str(server.runtime / f"kernel-{session['kernel']['id']}.json")
    )
    client.load_connection_file()
    client.start_channels(iopub=False, stdin=False, hb=False)
    try:
        # and then used
        run_in_kernel(client, "%load_ext nbjournal")
        run_in_kernel(client, "%%experiment renamed\nx = 1")
    finally:
        client.stop_channels()

    # Then the run records the notebook's new path
    from nbjournal.store import Store

    store = Store("sqlite:///" + str(Path(server.env["NBJOURNAL_HOME"]) / "journal.db"))
    try:
        run = store.list_runs()[0]
        assert run.notebook == "ux-digits.ipynb"
        assert store.get_run(run.id).env["notebook"] == "ux-digits.ipynb"
    finally:
        store.close()


def test_without_a_server_the_path_is_unknown_quickly() -> None:
    from nbjournal.capture.sessions import server_notebook_path

    dead = {"url": "http://127.0.0.1:9/", "token": "x"}  # the discard port: refused at once
    assert server_notebook_path("some-kernel", servers=[dead]) is None
    assert server_notebook_path(None, servers=[dead]) is None  # not in a kernel
