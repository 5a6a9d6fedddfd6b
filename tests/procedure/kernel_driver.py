"""A real kernel driven cell by cell, as JupyterLab drives it: each execution carries its
cell id (``metadata.cellId``), and the order of executions is the test's to choose.

One kernel serves many planted notebooks: :meth:`PlantedKernel.fresh` resets the
namespace and the history (execution counts start at 1 again), as a restart would.
"""

from __future__ import annotations

import os
import queue
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager


@dataclass
class Executed:
    """One execution: its count, the cell id sent (or ``None``), and the error it raised."""

    count: int | None
    cell_id: str | None
    error: str | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)


class PlantedKernel:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env={**os.environ, **env}, cwd=str(cwd))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def fresh(self, notebook: Path) -> None:
        """A new session: empty namespace and history, nbjournal loaded, the notebook named."""
        self.run("get_ipython().reset(new_session=True)", silent=True)
        self.run("%load_ext nbjournal", silent=True)
        self.run(f"__session__ = {str(notebook)!r}", silent=True)

    def run(self, code: str, cell_id: str | None = None, *, silent: bool = False) -> Executed:
        content = {
            "code": code,
            "silent": silent,
            "store_history": not silent,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": False,
        }
        metadata = {"cellId": cell_id} if cell_id else {}
        message = self.client.session.msg("execute_request", content, metadata=metadata)
        self.client.shell_channel.send(message)
        msg_id = message["header"]["msg_id"]
        executed = Executed(None, cell_id)
        while True:  # outputs until the kernel is idle again
            try:
                reply = self.client.get_iopub_msg(timeout=120)
            except queue.Empty:
                raise TimeoutError(f"no answer to {code[:40]!r}") from None
            if reply["parent_header"].get("msg_id") != msg_id:
                continue
            kind, body = reply["msg_type"], reply["content"]
            if kind == "error":
                executed.error = f"{body['ename']}: {body['evalue']}"
            elif kind in {"stream", "execute_result", "display_data"}:
                executed.outputs.append(body)
            elif kind == "status" and body["execution_state"] == "idle":
                break
        while True:
            shell_reply = self.client.get_shell_msg(timeout=60)
            if shell_reply["parent_header"].get("msg_id") == msg_id:
                executed.count = shell_reply["content"].get("execution_count")
                break
        if silent and executed.error:
            raise RuntimeError(f"setup failed: {executed.error}")
        return executed
