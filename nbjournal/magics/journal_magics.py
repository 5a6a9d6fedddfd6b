"""The magic class: ``%%experiment``, ``%inference``/``%%inference`` and ``%journal``.

The magics only parse and delegate; capture, recording and display live in
their own modules. Bad usage raises :class:`~IPython.core.error.UsageError`:
one clear line, nothing run, nothing recorded.

IPython expands ``{…}`` and ``$…`` in magic lines, in time that grows faster
than the line; none of our options wants it (``--param`` takes literals), so
every magic here reads its line as written (``no_var_expand``).
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import (
    Magics,
    cell_magic,
    line_cell_magic,
    line_magic,
    magics_class,
    no_var_expand,
)
from IPython.core.magic_arguments import argument, magic_arguments

from ..errors import JournalError
from . import parse


class _ArgumentError(UsageError):
    pass


def _parse(magic: Any, line: str) -> Any:
    """Shell-like splitting (quotes removed, as users expect), then the magic's own parser."""
    try:
        return magic.parser.parse_args(parse.split_line(line))
    except UsageError as error:
        raise UsageError(str(error).splitlines()[-1].removeprefix("UsageError: ")) from None
    except SystemExit:  # argparse on --help
        raise UsageError("see %%experiment? for help") from None


@magics_class
class JournalMagics(Magics):
    @magic_arguments()
    @argument("name", nargs="?", help="the experiment: a line of inquiry that groups runs")
    @argument(
        "-H", "--hypothesis", help="what you expect and why (default: the cell's leading comment)"
    )
    @argument("-p", "--param", action="append", metavar="NAME=VALUE",
              help="a parameter (a Python literal) bound in the namespace before the cell runs")  # fmt: skip
    @argument("-g", "--grid", action="append", metavar="NAME=LIST",
              help="run the cell once per combination of these lists")  # fmt: skip
    @argument("-t", "--tag", action="append", help="a tag (repeatable)")
    @argument("--force", action="store_true", help="run even when an identical run finished")
    @argument("--no-live", action="store_true", help="record, but show no live view")
    @argument("--journal", metavar="URL", help="the journal for this cell (default: NBJOURNAL_URL)")
    @no_var_expand
    @cell_magic
    def experiment(self, line: str, cell: str) -> Any:
        """Run the cell as a recorded experiment: hypothesis, code, parameters, data, results.

        An identical cell on identical data that already finished is not run
        again: the earlier run and its inferences are shown instead.
        """
        __tracebackhide__ = True
        args = _parse(self.experiment, line)
        name = parse.experiment_name(args.name)
        params = parse.assignments(args.param, "--param")
        grid = parse.assignments(args.grid, "--grid", want_list=True)
        if grid:
            raise UsageError("--grid is not available in this version of nbjournal yet")
        if not cell.strip():
            raise UsageError(f"%%experiment {name}: the cell is empty, nothing to run")
        journal_url = _journal_url(args.journal)
        from ..runs.cell import plan_cell, run_experiment

        tags = [t for t in (args.tag or []) if t.strip()]
        try:
            plan = plan_cell(
                self.shell, name, cell, hypothesis=args.hypothesis, params=params, tags=tags
            )
        except SyntaxError as error:  # the user's own, shown as a plain cell shows it
            plain = parse.CellSyntaxError(*error.args)
            raise plain from None
        return run_experiment(
            self.shell, plan, force=args.force, live=not args.no_live, journal_url=journal_url
        )

    @magic_arguments()
    @argument("--run", metavar="ID", help="the run (default: this kernel's last run)")
    @argument("--verdict", "-v", choices=["supported", "refuted", "inconclusive"],
              help="supported, refuted or inconclusive")  # fmt: skip
    @argument("--journal", metavar="URL", help="the journal (default: NBJOURNAL_URL)")
    @argument("text", nargs="*", help="your conclusion (the cell form takes markdown)")
    @no_var_expand
    @line_cell_magic
    def inference(self, line: str, cell: str | None = None) -> Any:
        """Record your conclusion about a run, with an optional verdict."""
        args = _parse(self.inference, line)
        text = cell if cell is not None else " ".join(args.text)
        if cell is not None and args.text:
            text = " ".join(args.text) + "\n" + cell
        from ..commands import record_inference

        run = parse.run_id(args.run) if args.run is not None else None
        return _domain(record_inference, run, text, args.verdict, _journal_url(args.journal))

    @no_var_expand
    @line_magic
    def journal(self, line: str) -> Any:
        """``%journal`` recent runs · ``%journal NAME`` · ``%journal show ID`` ·
        ``%journal compare ID ID…`` · ``%journal insights NAME``."""
        from .. import commands

        words = parse.split_line(line)
        if not words:
            return _domain(commands.list_recent)
        if words[0] == "show":
            if len(words) != 2:
                raise UsageError("usage: %journal show ID")
            return _domain(commands.show_run, parse.run_id(words[1]))
        if words[0] == "compare":
            if len(words) < 3:
                raise UsageError("usage: %journal compare ID ID [ID…] (two runs at least)")
            return _domain(commands.compare_runs, [parse.run_id(w) for w in words[1:]])
        if words[0] == "insights":
            raise UsageError("%journal insights is not available in this version of nbjournal yet")
        if len(words) == 1:
            return _domain(commands.list_experiment, words[0])
        raise UsageError("usage: %journal [NAME | show ID | compare ID ID…]")


def _journal_url(url: str | None) -> str | None:
    if url is None:
        return None
    from ..config import validate_url

    return _domain(validate_url, url)


def _domain(function: Any, *args: Any) -> Any:
    """Turn the journal's own errors into one clear line."""
    try:
        return function(*args)
    except JournalError as error:
        raise UsageError(str(error)) from None
