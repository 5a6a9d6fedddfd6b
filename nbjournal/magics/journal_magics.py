"""The magic class: ``%%experiment``, ``%inference``/``%%inference`` and ``%journal``.

The magics only parse and delegate; capture, recording and display live in
their own modules. Bad usage raises :class:`~IPython.core.error.UsageError`:
one clear line, nothing run, nothing recorded.

IPython expands ``{…}`` and ``$…`` in magic lines, in time that grows faster
than the line; none of our options wants it (``--param`` takes literals), so
every magic here reads its line as written (``no_var_expand``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

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

from ..errors import BadInput, JournalError
from . import parse

if TYPE_CHECKING:
    import argparse

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.magic_arguments import MagicArgumentParser

    from ..grids.expand import GridSpec


_T = TypeVar("_T")


class _ArgumentError(UsageError):
    pass


class _ArgumentMagic(Protocol):
    """A magic decorated with ``@magic_arguments``: its parser hangs on the function."""

    __doc__: str | None
    parser: MagicArgumentParser


class _Help:
    """What ``--help`` answers: the magic's help, printed, and nothing run."""


def _parse(magic: _ArgumentMagic, line: str) -> argparse.Namespace | _Help:
    """Shell-like splitting (quotes removed, as users expect), then the magic's own parser.

    ``-h``/``--help`` prints the same help as ``%%experiment?`` and returns :class:`_Help`.
    """
    words = parse.split_line(line)
    if parse.wants_help(words):
        print(magic.__doc__ or magic.parser.format_help())
        return _Help()
    try:
        return magic.parser.parse_args(words)
    except UsageError as error:
        raise UsageError(str(error).splitlines()[-1].removeprefix("UsageError: ")) from None
    except SystemExit:  # argparse on --help
        raise UsageError("see %%experiment? for help") from None


@magics_class
class JournalMagics(Magics):
    @property
    def _shell(self) -> InteractiveShell:
        """The shell the magic runs in (a magic always runs in one)."""
        assert self.shell is not None
        return self.shell

    def _namespace(self) -> dict[str, object]:
        """The user's namespace."""
        return self._shell.user_ns

    @magic_arguments()
    @argument("name", nargs="?", help="the experiment: a line of inquiry that groups runs")
    @argument(
        "-H", "--hypothesis", help="what you expect and why (default: the cell's leading comment)"
    )
    @argument("-p", "--param", action="append", metavar="NAME=VALUE",
              help="a parameter (a Python literal) bound in the namespace before the cell runs")  # fmt: skip
    @argument("-g", "--grid", action="append", metavar="NAME=LIST",
              help="run the cell once per combination of these lists")  # fmt: skip
    @argument("--repeat", type=int, metavar="K",
              help="run each grid point K times, with seeds 0..K-1 bound as `seed`")  # fmt: skip
    @argument("--sample", type=int, metavar="N", help="run N points drawn at random from the grid")
    @argument("--grid-max", type=int, metavar="N",
              help="refuse a grid of more than N points without --sample (default 200)")  # fmt: skip
    @argument("--suggested", type=int, metavar="N",
              help="run the N points that insights rank first for this experiment, as a grid")  # fmt: skip
    @argument("--stop-on-error", action="store_true",
              help="stop the grid at the first point that fails (default: go on)")  # fmt: skip
    @argument("--engine", metavar="dask[=ADDRESS]",
              help="run the grid's points as tasks on the notebook's Dask client (or that scheduler)")  # fmt: skip
    @argument("-t", "--tag", action="append", help="a tag (repeatable)")
    @argument("--force", action="store_true", help="run even when an identical run finished")
    @argument("--no-restore", action="store_true",
              help="on a duplicate, show the earlier run and skip, without restoring its names")  # fmt: skip
    @argument("--no-live", action="store_true", help="record, but show no live view")
    @argument("--no-check", action="append", metavar="NAME",
              help="silence one check before fit (repeatable; see docs/checks.md)")  # fmt: skip
    @argument("--strict", action="store_true",
              help="a finding of the checks before fit stops the cell")  # fmt: skip
    @argument("--metric", metavar="NAME[:max|min]",
              help="the experiment's metric of record: what grids, --suggested, insights and "
                   "compare rank by (remembered for the experiment)")  # fmt: skip
    @argument("--seed-param", action="append", metavar="NAME",
              help="a parameter that only seeds the run (like seed, random_state): runs that "
                   "differ only in it are repeats of one configuration (remembered)")  # fmt: skip
    @argument("--journal", metavar="URL", help="the journal for this cell (default: NBJOURNAL_URL)")
    @no_var_expand
    @cell_magic
    def experiment(self, line: str, cell: str) -> object:
        """Run the cell as a recorded experiment: hypothesis, code, parameters, data, results.

        An identical cell on identical data that already finished is not run
        again: what it made (the names it bound, its value) is restored from the
        earlier run, which is shown with its inferences. Where nothing can be
        restored the cell runs, and says why.
        """
        __tracebackhide__ = True
        args = _parse(self.experiment, line)
        if isinstance(args, _Help):
            return None
        name = parse.experiment_name(args.name)
        params = parse.assignments(args.param, "--param")
        grid = parse.assignments(args.grid, "--grid", want_list=True)
        spec = _grid_spec(args, grid, params)
        if not cell.strip():
            raise UsageError(f"%%experiment {name}: the cell is empty, nothing to run")
        journal_url = _journal_url(args.journal)
        if args.metric is not None or args.seed_param:
            _remember_choices(journal_url, name, args.metric, args.seed_param)
        if args.suggested is not None:
            spec = _suggested_spec(args, name, params, journal_url, cell, self._shell)
        engine = _engine(args.engine, spec)
        no_check = parse.check_names(args.no_check)
        from ..recording.check_hook import CheckOptions
        from ..runs.cell import plan_cell, run_experiment

        tags = _tags(args.tag or [])
        try:
            plan = plan_cell(
                self._shell, name, cell, hypothesis=args.hypothesis, params=params, tags=tags,
                point_names=[] if spec is None else [*spec.names, *(["seed"] if spec.repeat > 1 else [])],
            )  # fmt: skip
        except SyntaxError as error:  # the user's own, shown as a plain cell shows it
            plain = parse.CellSyntaxError(*error.args)
            raise plain from None
        if spec is not None:
            from ..grids.expand import check_bound

            _domain(check_bound, spec, plan.cell)
        elif params:
            from ..capture.code import set_before_read
            from ..grids.expand import overwritten_message

            overwritten = set_before_read(plan.cell, params)
            if overwritten:
                raise UsageError(overwritten_message("--param", overwritten))
        if spec is not None:
            from ..grids.cell_grid import run_cell_grid

            options = dict(
                force=args.force, live=not args.no_live, stop_on_error=args.stop_on_error,
                journal_url=journal_url, checks=CheckOptions.resolve(no_check, args.strict),
            )  # fmt: skip
            if engine is None:
                run_cell_grid(self._shell, plan, spec, **options)
                return None
            return _domain(lambda: run_cell_grid(self._shell, plan, spec, engine=engine, **options))
        return run_experiment(
            self._shell,
            plan,
            force=args.force,
            live=not args.no_live,
            journal_url=journal_url,
            checks=CheckOptions.resolve(no_check, args.strict),
            restore=False if args.no_restore else None,
        )

    @magic_arguments()
    @argument("--run", metavar="ID", help="the run (default: this kernel's last run)")
    @argument("--grid", metavar="ID", help="a grid as a whole, instead of a run")
    @argument("--runs", metavar="A,B", help="the runs it rests on, compared by the rule: "
              "41,42 or, for repeats, 1+2+3,4+5+6 (default: the run and its closest earlier run)")  # fmt: skip
    @argument("--verdict", "-v", choices=["supported", "refuted", "inconclusive"],
              help="supported, refuted or inconclusive")  # fmt: skip
    @argument(
        "--edit",
        action="store_true",
        help="change the run's latest inference (or --id N) to TEXT; the old text is kept",
    )
    @argument(
        "--delete",
        action="store_true",
        help="withdraw the run's latest inference (or --id N); its text is kept",
    )
    @argument("--id", metavar="N", type=int, help="the inference --edit/--delete changes")
    @argument("--journal", metavar="URL", help="the journal (default: NBJOURNAL_URL)")
    @argument("text", nargs="*", help="your conclusion (the cell form takes markdown)")
    @no_var_expand
    @line_cell_magic
    def inference(self, line: str, cell: str | None = None) -> object:
        """Record your conclusion about a run, with an optional verdict.

        ``{expression}`` and ``$name`` in the line are filled in from the namespace,
        as IPython does for every magic; one that cannot be evaluated records nothing.
        """
        line = parse.expand(line, self._namespace(), "%inference")
        args = _parse(self.inference, line)
        if isinstance(args, _Help):
            return None
        text = cell if cell is not None else " ".join(args.text)
        if cell is not None and args.text:
            text = " ".join(args.text) + "\n" + cell
        from ..runs.current import last_grid_id
        from .commands import record_grid_inference, record_inference

        if args.edit or args.delete or args.id is not None:
            self._amend(args, text)
            return None
        sides = parse.evidence_runs(args.runs) if args.runs is not None else None
        if args.grid is not None:
            if args.run is not None or sides is not None:
                raise UsageError("%inference takes --run/--runs or --grid, not both")
            grid = parse.grid_id(args.grid)
            return _domain(
                record_grid_inference, grid, text, args.verdict, _journal_url(args.journal)
            )
        run = parse.run_id(args.run) if args.run is not None else None
        url = _journal_url(args.journal)
        last_grid = last_grid_id() if run is None and sides is None else None
        if last_grid is not None:  # right after a grid cell: the grid, not its last point
            return _domain(record_grid_inference, last_grid, text, args.verdict, url, True)
        return _domain(record_inference, run, text, args.verdict, url, sides)

    def _amend(self, args: argparse.Namespace, text: str) -> None:
        """``%inference --edit``/``--delete`` (one of them, on one run's inference)."""
        from .amend import amend_inference
        from .commands import default_run

        if args.edit == args.delete:
            raise UsageError("%inference --id N needs --edit or --delete (one of them)")
        if args.grid is not None or args.runs is not None:
            raise UsageError("%inference --edit/--delete change a run's inference: use --run ID")
        run = parse.run_id(args.run) if args.run is not None else default_run()
        url = _journal_url(args.journal)
        _domain(amend_inference, run, args.id, text, args.verdict, args.delete, url)

    @no_var_expand
    @line_magic
    def journal(self, line: str) -> object:
        """``%journal`` recent runs · ``%journal NAME`` · ``%journal show ID`` ·
        ``%journal compare ID ID…`` · ``%journal insights NAME`` · ``%journal grid ID`` ·
        ``%journal similar X [y]`` (or ``--experiment NAME``): earlier data sets like it ·
        ``%journal tag ID +TAG -TAG`` · ``%journal export [NAME…] -o FILE`` ·
        ``%journal trust [list | add KEY [NAME…] | remove KEY]``.

        ``$name`` and ``{expression}`` are filled in as in ``%inference``; a list of ids
        (``%journal compare $ids``) reads as its ids.
        """
        from . import commands

        line = parse.expand(line, self._namespace(), "%journal")
        words = parse.split_line(line)
        if not words:
            return _domain(commands.list_recent)
        if words[0] in ("show", "grid"):
            return _show_one(words)
        if words[0] == "compare":
            sides, metric, min_effect = parse.compare_words(words[1:])
            return _domain(commands.compare_runs, sides, metric, min_effect)
        if words[0] == "insights":
            name, same_data, metric = parse.insights_words(words[1:])
            return _domain(commands.show_insights, name, same_data, metric)
        if words[0] == "export":
            return _domain(commands.export_report, *parse.export_words(words[1:]))
        if words[0] == "similar":
            return _domain(commands.show_similar, words[1:], self._namespace())
        if words[0] == "tag":
            if len(words) < 3:
                raise UsageError("usage: %journal tag ID +TAG -TAG … (add, remove)")
            return _domain(commands.tag_run, parse.run_id(words[1]), words[2:])
        if words[0] == "trust":
            from .trust_keys import trust_command

            return _domain(trust_command, words[1:])
        if len(words) == 1:
            return _domain(commands.list_experiment, words[0])
        raise UsageError(
            "usage: %journal [NAME | show ID | compare ID ID… | grid ID | insights NAME [--data] "
            "[--metric M] | similar X [y] | tag ID +TAG -TAG… | export [NAME…] -o FILE | "
            "trust [list | add KEY | remove KEY]]"
        )


def _show_one(words: list[str]) -> object:
    """``%journal show ID`` or ``%journal grid ID``: exactly one id, a run's or a grid's."""
    from . import commands

    ids = parse.id_words(words[1:])
    if len(ids) != 1:
        raise UsageError(f"usage: %journal {words[0]} ID")
    if words[0] == "show":
        return _domain(commands.show_run, parse.run_id(ids[0]))
    return _domain(commands.show_grid, parse.grid_id(ids[0]))


def _grid_spec(
    args: argparse.Namespace, grid: dict[str, object], params: dict[str, object]
) -> GridSpec | None:
    """The checked grid of the line, or ``None`` for a plain cell."""
    options = {"--repeat": args.repeat, "--sample": args.sample, "--grid-max": args.grid_max}
    if args.suggested is not None:
        if grid:
            raise UsageError("--suggested chooses the points itself: give --grid or --suggested")
        if args.sample is not None:
            raise UsageError("--sample draws from a --grid: it does not go with --suggested")
        if args.suggested < 1:
            raise UsageError(f"--suggested takes a count of 1 or more, got {args.suggested}")
        from ..grids.suggested import SUGGESTED_MAX

        if args.suggested > SUGGESTED_MAX:
            raise UsageError(
                f"--suggested takes at most {SUGGESTED_MAX} points, got {args.suggested}: "
                "run them in rounds (each round learns from the last)"
            )
        return None
    if not grid:
        given = [option for option, value in options.items() if value is not None]
        if given or args.stop_on_error:
            raise UsageError(
                f"{(given or ['--stop-on-error'])[0]} needs a grid: add --grid NAME=LIST"
            )
        return None
    from ..grids.expand import make_spec

    repeat = 1 if args.repeat is None else args.repeat
    return _domain(
        lambda: make_spec(
            grid, repeat=repeat, sample=args.sample, grid_max=args.grid_max, fixed=params
        )
    )


def _suggested_spec(
    args: argparse.Namespace,
    name: str,
    params: dict[str, object],
    journal_url: str | None,
    cell: str,
    shell: InteractiveShell,
) -> GridSpec:
    """The grid of the points insights rank first (``--suggested N``), checked; the cell's
    unfinished suggested grid, when there is one, resumed. The cell's inputs let a new
    experiment start from similar data sets."""
    from ..capture.code import parse_cell
    from ..grids.suggested import suggested_spec

    try:
        names = parse_cell(shell.transform_cell(cell)).free_names
    except SyntaxError:
        names = ()  # the cell's own error is shown when it is planned
    inputs = {n: shell.user_ns[n] for n in names if n in shell.user_ns and n not in params}

    return _domain(
        lambda: suggested_spec(
            name,
            args.suggested,
            journal=journal_url,
            repeat=args.repeat,
            fixed=params,
            grid_max=args.grid_max,
            code=cell,
            inputs=inputs,
            names=names,
        )
    )


def _engine(engine: str | None, spec: GridSpec | None) -> str | None:
    """``--engine dask[=ADDRESS]``, checked; it needs a grid."""
    if engine is None:
        return None
    if spec is None:
        raise UsageError("--engine needs a grid: add --grid NAME=LIST")
    from ..grids.dask.cluster import engine_address

    _domain(engine_address, engine)
    return engine


def _remember_choices(
    journal_url: str | None, name: str, metric: str | None, seed_params: list[str] | None
) -> None:
    """``--metric`` and ``--seed-param``: checked (a bad one stops the cell), then remembered
    for the experiment; a journal that cannot take them only warns (the cell runs)."""
    from ..rules.record_metric import parse_option

    if metric is not None:
        try:
            parse_option(metric)
        except ValueError as error:
            raise UsageError(str(error)) from None
    names = [n.strip() for n in seed_params or []]
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise UsageError(f"--seed-param takes a parameter name, not {bad[0]!r}")
    import warnings

    from ..analysis.repeats import add_seed_params, remember_metric
    from ..runs.lifecycle import JournalWarning, open_journal

    store = open_journal(journal_url)
    if store is None:
        return
    try:
        if metric is not None:
            remember_metric(store, name, metric)
        if names:
            add_seed_params(store, name, names)
    except JournalError as failure:
        warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=3)


def _journal_url(url: str | None) -> str | None:
    if url is None:
        return None
    from ..config import validate_url

    return _domain(validate_url, url)


def _domain(function: Callable[..., _T], *args: object) -> _T:
    """Turn the journal's own errors into one clear line."""
    try:
        return function(*args)
    except JournalError as error:
        raise UsageError(str(error)) from None


def _tags(values: list[str]) -> list[str]:
    """``-t`` values checked by the one tag rule before the cell runs."""
    from ..store import limits

    try:
        return limits.tags(values)
    except BadInput as error:
        raise UsageError(str(error)) from None
