"""``make demo``: run the quickstart notebook headlessly, then print the journal's runs.

python -m nbjournal.demo example_notebooks/01_quickstart.ipynb
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

COLUMNS = ["id", "experiment", "status", "duration", "hypothesis", "inference"]


def execute(notebook: Path, output: Path | None = None, timeout: int = 600) -> Path:
    """Execute ``notebook`` in a fresh kernel (its own folder as working directory)."""
    import nbformat
    from nbclient import NotebookClient

    document = nbformat.read(notebook, as_version=4)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    client = NotebookClient(
        document,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()
    target = output or notebook
    nbformat.write(document, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, help="where to save the executed notebook")
    args = parser.parse_args(argv)
    from .config import resolve_url

    print(f"Journal: {resolve_url()}")
    print(f"Executing {args.notebook} ...", flush=True)
    saved = execute(args.notebook, args.output or Path(".demo") / args.notebook.name)
    print(f"Executed; outputs saved in {saved}\n")

    import pandas as pd

    from .journal import Journal

    runs = Journal().runs()
    metric_columns = [c for c in runs.columns if c.startswith("metric.")]
    table = runs[COLUMNS[:4] + metric_columns + COLUMNS[4:]].copy()
    table["duration"] = table["duration"].dt.total_seconds().round(1).astype(str) + " s"
    table["hypothesis"] = table["hypothesis"].str.split("\n").str[0].str.slice(0, 50)
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.max_colwidth", 50
    ):
        print(table.to_string(index=False, na_rep="–", float_format=lambda v: f"{v:.4f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
