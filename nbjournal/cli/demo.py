"""``make demo``: run the quickstart notebook headlessly, then print the journal's runs.

python -m nbjournal.cli.demo example_notebooks/01_quickstart.ipynb
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbclient import NotebookClient
    from nbformat import NotebookNode

COLUMNS = ["id", "experiment", "status", "duration", "hypothesis", "inference"]


def execute(
    notebook: Path, output: Path | None = None, timeout: int = 600, kernel_log: Path | None = None
) -> Path:
    """Execute ``notebook`` in a fresh kernel (its own folder as working directory).

    Widget state is not saved (as in JupyterLab by default): the static record each live
    view leaves after its run is what a reader sees.
    ``kernel_log`` takes the kernel process's own stderr, where TensorFlow's C++ start-up
    lines go.
    """
    import nbformat
    from nbclient import NotebookClient

    document = nbformat.read(notebook, as_version=4)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    client = NotebookClient(
        document,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=False,
        record_timing=False,
        # TensorFlow's C++ start-up lines go to the kernel's log, not into the cells
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    _as_jupyterlab(client)
    # the kernel knows its notebook as under JupyterLab (a run's procedure is checked against it)
    env = {**os.environ, "JPY_SESSION_NAME": str(notebook.resolve())}
    if kernel_log is None:
        client.execute(env=env)
    else:
        kernel_log.parent.mkdir(parents=True, exist_ok=True)
        with kernel_log.open("w") as log:
            client.execute(stderr=log, env=env)
    target = output or notebook
    nbformat.write(document, target)
    return target


def _as_jupyterlab(client: NotebookClient) -> None:
    """Send each cell's id with its execution, as JupyterLab does (``metadata.cellId``):
    nbclient sends none, and a run's upstream cells are known by their ids."""
    current: dict[str, str | None] = {"id": None}

    def executing(cell: NotebookNode, **_: object) -> None:
        current["id"] = cell.get("id")

    def started(**_: object) -> None:
        if client.kc is None:  # started: nbclient has made its kernel client
            return
        session = client.kc.session
        message = session.msg

        def with_cell_id(kind: str, content: Any = None, *args: Any, **kwargs: Any) -> Any:
            sent = message(kind, content, *args, **kwargs)
            if kind == "execute_request" and current["id"]:
                sent["metadata"]["cellId"] = current["id"]
            return sent

        session.msg = with_cell_id

    client.on_cell_execute = executing
    client.on_notebook_start = started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, help="where to save the executed notebook")
    args = parser.parse_args(argv)
    from ..config import resolve_url
    from ..rules import format as fmt

    print(f"Journal: {resolve_url()}")
    print(f"Executing {args.notebook} ...", flush=True)
    output = args.output or Path(".demo") / args.notebook.name
    kernel_log = output.parent / "kernel.log"
    saved = execute(args.notebook, output, kernel_log=kernel_log)
    print(f"Executed; outputs saved in {saved} (the kernel's own log: {kernel_log})\n")

    import pandas as pd

    from ..journal import Journal

    runs = Journal().runs()
    metric_columns = [c for c in runs.columns if c.startswith("metric.")]
    table = runs[COLUMNS[:4] + metric_columns + COLUMNS[4:]].copy()
    table["duration"] = table["duration"].dt.total_seconds().round(1).astype(str) + " s"
    for column in ("hypothesis", "inference"):
        table[column] = table[column].map(
            lambda text: fmt.first_line(text if isinstance(text, str) else "", 48) or "–"
        )
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.max_colwidth", 50
    ):
        print(table.to_string(index=False, na_rep="–", float_format=fmt.number))
    return 0


if __name__ == "__main__":
    sys.exit(main())
