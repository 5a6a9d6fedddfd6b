"""``nbjournal export``: the journal as a lab notebook, one file to send or print."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .journal import open_journal
from .registry import Commands


def register(commands: Commands) -> None:
    parser = commands.add(
        "export",
        export,
        "the journal as a lab notebook (Markdown or HTML), experiment by experiment",
        description=(
            "Each hypothesis in time order: its procedure (parameters, data, code against the "
            "nearest earlier run, checks that warned), its result (metrics with their run, a "
            "chart of the key curve), its inferences; then the configurations averaged over "
            "their repeats and the grids' summaries. HTML is one self-contained page (charts "
            "inline, no network); Markdown writes its charts as SVG files in FILE_charts/ "
            "beside FILE (none on standard output). Exporting the same journal twice gives "
            "the same bytes."
        ),
        formats=(),
    )
    parser.add_argument("experiments", nargs="*", metavar="EXPERIMENT", help="default: all")
    parser.add_argument("--format", dest="form", choices=("md", "html"), help="default: by FILE")
    parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")


def export(arguments: argparse.Namespace) -> int:
    from ..analysis import lab_notebook_page
    from ..analysis.lab_notebook import lab_notebook
    from ..errors import BadInput

    output = Path(arguments.output) if arguments.output else None
    form = arguments.form or ("html" if output and output.suffix in (".html", ".htm") else "md")
    if output is not None and not output.parent.is_dir():
        raise BadInput(f"no folder {str(output.parent)!r} to write {output.name!r} in")
    text = lab_notebook_page.write(
        lab_notebook(open_journal(arguments), arguments.experiments), form, output
    )
    if output is None:
        sys.stdout.write(text)
    else:
        print(f"wrote {output} ({form})")
    return 0
