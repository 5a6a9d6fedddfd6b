"""Running one ``%%experiment`` cell: capture, decide (duplicate or run), run, record.

The body runs in the user's namespace exactly as a plain cell would: its last
expression is returned (and so displayed as ``Out[n]``), its exceptions reach
the user with their own traceback, and the journal's own failures are only
warnings. The run itself is :mod:`.body`'s, as a grid point's is.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from IPython.display import display

from ..analysis.nearest import Nearest
from ..capture import code as cellcode
from ..capture.environment import notebook_path
from ..capture.fingerprint import combine, data_fingerprint, describe_files, describe_value
from ..capture.hypothesis import hypothesis_from_cell
from ..config import restore_enabled
from ..errors import JournalError, JournalWarning
from ..recording.check_hook import CheckOptions
from ..recording.upstream import upstream_cells
from ..rules.secrets import redact_entry, redact_params
from ..store import Run, Store, bounded
from .body import Body, execute, run_body
from .current import remember_run
from .lifecycle import KEPT_LOCALLY, RunSpec, open_journal
from .restore import SETTLE_AT_END_S, Restored, restore_twin, settle_saves

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from ..recording.recorder import RunRecorder
    from ..rules.params import JsonValue


@dataclass
class ExperimentPlan:
    """Everything known about a cell before it runs."""

    experiment: str
    body: str
    source: str
    cell: cellcode.CellCode
    hypothesis: str
    params: dict[str, Any]
    data: list[dict[str, Any]]
    fingerprint: str
    bound: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    data_fingerprint: str | None = None
    #: What the fingerprint hashes besides the bound parameters (code, inputs, files):
    #: hashed once per cell, combined with each grid point's values.
    basis: dict[str, Any] = field(default_factory=dict)
    #: the upstream cells over the kernel's history (:mod:`nbjournal.capture.history`)
    procedure: dict[str, Any] | None = None

    def spec(
        self,
        shell: InteractiveShell,
        repeat_of: int | None = None,
        nearest: dict[str, object] | None = None,
    ) -> RunSpec:
        return RunSpec(
            experiment=self.experiment,
            fingerprint=self.fingerprint,
            hypothesis=self.hypothesis,
            code=self.body,
            params=self.params,
            data=self.data,
            tags=self.tags,
            notebook=notebook_path(shell.user_ns),
            repeat_of=repeat_of,
            nearest=nearest,
            data_fingerprint=self.data_fingerprint,
            procedure=self.procedure,
        )


def plan_cell(
    shell: InteractiveShell,
    experiment: str,
    body: str,
    *,
    hypothesis: str | None,
    params: dict[str, object],
    tags: list[str],
    point_names: Iterable[str] = (),
) -> ExperimentPlan:
    """Capture the cell before it runs. ``point_names`` (a grid's axes) are bound per point:
    like ``params``, they are parameters, not inputs."""
    source = shell.transform_cell(body)
    bound_names = set(params) | set(point_names)
    cell = cellcode.parse_cell(source)  # a SyntaxError reaches the user as in a plain cell
    namespace = shell.user_ns
    inputs = [
        redact_entry(entry, namespace[name])
        for name in cell.free_names
        if name in namespace and name not in bound_names
        for entry in [describe_value(name, namespace[name])]
        if entry is not None
    ]
    files = describe_files(cell.string_literals, Path.cwd())
    # Secrets are never recorded (rules/secrets.py); the fingerprint still sees them hashed.
    recorded_params = redact_params(
        {
            **{str(e["name"]): namespace[str(e["name"])] for e in inputs if e["kind"] == "value"},
            **cell.literal_assignments,
            **params,
        }
    )
    basis = {
        "code": cell.normal_form,
        "inputs": sorted((e["name"], e["hash"]) for e in inputs),
        "files": sorted((e["path"], e["hash"]) for e in files),
    }
    return ExperimentPlan(
        procedure=upstream_cells(shell, body, tuple(bound_names)),
        experiment=experiment,
        body=body,
        source=source,
        cell=cell,
        hypothesis=hypothesis_from_cell(body, hypothesis),
        params=recorded_params,
        data=inputs + files,
        fingerprint=fingerprint_of(basis, params),
        bound=params,
        tags=tags,
        data_fingerprint=data_fingerprint(inputs + files),
        basis=basis,
    )


def fingerprint_of(basis: Mapping[str, object], params: Mapping[str, object]) -> str:
    """A run's fingerprint: the cell's basis with the parameters bound before the body."""
    return combine({**basis, "params": params})


def plan_point(plan: ExperimentPlan, values: Mapping[str, object]) -> ExperimentPlan:
    """The plan of one grid point: ``values`` bound as ``-p`` would bind them, so the point's
    fingerprint is the one a hand-run cell with the same ``-p`` values gets."""
    bound = {**plan.bound, **values}
    return dataclasses.replace(
        plan,
        params={**plan.params, **values},
        bound=bound,
        fingerprint=fingerprint_of(plan.basis, bound),
    )


def run_experiment(
    shell: InteractiveShell,
    plan: ExperimentPlan,
    *,
    force: bool,
    live: bool,
    journal_url: str | None,
    checks: CheckOptions | None = None,
    restore: bool | None = None,
) -> object:
    """Run the cell, or, when an identical run finished, restore what it made instead.

    ``restore=False`` (``--no-restore``, or ``NBJOURNAL_RESTORE=off`` when ``None``)
    shows the earlier run and runs nothing. Where restoring is impossible the
    cell runs, and says why in one line. ``checks`` run before each fit.
    """
    __tracebackhide__ = True
    store = open_journal(journal_url, stacklevel=4)
    earlier: list[Run] = []
    if store is not None:
        try:
            settle_saves()  # the previous cell's artifacts, before looking for twins
            earlier = finished_twins(store, plan.fingerprint, plan.experiment)
        except JournalError as failure:
            warnings.warn(f"nbjournal: {failure}; {KEPT_LOCALLY}", JournalWarning, stacklevel=4)
            store = None
    if earlier and not force:
        if restore is None:
            restore = restore_enabled()
        if not restore:
            from ..display.views import DuplicateNotice

            display(DuplicateNotice(earlier))
            remember_run(earlier[-1].id)
            return None
        assert store is not None  # the twins came from it
        outcome = restore_twin(shell, store, earlier)
        if isinstance(outcome, Restored):
            from ..display.views import RestoredNotice

            display(RestoredNotice(outcome.run, outcome.names, earlier))
            _show_curves(store, outcome.run)
            from ..display.procedure_view import show_if_stale

            show_if_stale(store, outcome.run.id)
            remember_run(outcome.run.id)
            return outcome.result
        if not outcome.warned:
            print(outcome.line())
    nearest = closest_earlier(store, plan) if store and not earlier else None
    if store is not None and nearest is None and not earlier:
        similar_hint(store, plan, shell.user_ns)
    shell.user_ns.update(plan.bound)
    run = plan.spec(
        shell, earlier[0].id if earlier else None, nearest.record() if nearest else None
    )
    recorder, result = run_body(
        run,
        cell_body(shell, plan),
        journal=store if store is not None else journal_url,
        live=live,
        known_down=store is None,
        checks=checks if checks is not None else CheckOptions.resolve(),
        card=True,
    )
    if nearest is not None and store is not None:
        against_nearest(store, recorder, nearest)
    settle_saves(within=SETTLE_AT_END_S)  # a failed save is said on this cell, not the next
    return result


def cell_body(shell: InteractiveShell, plan: ExperimentPlan) -> Body:
    """The cell's body, run in the user's namespace as IPython runs a cell."""
    return Body(
        plan.source,
        shell.user_ns,
        plan.cell,
        plan.bound,
        run=functools.partial(execute, plan.source, shell.user_ns, shell=shell, raw=plan.body),
    )


def closest_earlier(store: Store, plan: ExperimentPlan) -> Nearest | None:
    """Show the closest earlier run above the live view, and return it.

    Any failure of the search is one warning: it must never stop the cell.
    """
    try:
        from ..analysis.nearest import find_nearest
        from ..rules.params import flatten

        nearest = find_nearest(
            store,
            experiment=plan.experiment,
            params=flatten(json_safe(plan.params)),
            code=plan.body,
            data_fingerprint=plan.data_fingerprint,
            inputs=plan.data,
        )
        if nearest is None:
            return None
        from ..display.nearest_view import NearestNotice

        display(NearestNotice(nearest))
        from ..display.procedure_view import show_if_stale

        show_if_stale(store, nearest.run_id)
        return nearest
    except Exception as failure:  # the journal's failure, never the user's
        warnings.warn(
            f"nbjournal: no closest earlier run ({failure})", JournalWarning, stacklevel=4
        )
        return None


def similar_hint(store: Store, plan: ExperimentPlan, namespace: Mapping[str, object]) -> None:
    """A new experiment (no earlier run) on data like an earlier data set: one line says so
    and how to start from its best (``--suggested``). Never stops the cell."""
    try:
        if store.list_runs(experiment=plan.experiment, limit=1):
            return
        from ..analysis.similar import other_data_sets
        from ..capture.fit_meta import cell_meta_features

        values = {e["name"]: namespace[e["name"]] for e in plan.data if e["name"] in namespace}
        query = cell_meta_features(values)
        if query is None:
            return
        near = other_data_sets(store, query, limit=1, exclude_experiment=plan.experiment).nearest
        if near is not None:
            print(
                f"no earlier run of {plan.experiment}; a similar data set at distance "
                f"{near.distance:.2f} ({near.description}) ran {', '.join(near.experiments)}: "
                f"%%experiment {plan.experiment} --suggested N starts from its best"
            )
    except Exception as failure:  # the journal's failure, never the user's
        warnings.warn(f"nbjournal: no similar data set ({failure})", JournalWarning, stacklevel=4)


def against_nearest(store: Store, recorder: RunRecorder | None, nearest: Nearest) -> None:
    """After the run, one line: its metric against the closest earlier run's, by the rule
    (:meth:`Nearest.outcome`)."""
    run_id = getattr(recorder, "run_id", None)
    if run_id is None or nearest.metric is None:
        return
    try:
        from ..rules.metric_goals import goal
        from ..store.repeats import repeat_rows

        rows = repeat_rows(store, run_ids=[run_id])
        value = next((m[2] for m in rows.metrics if m[1] == nearest.metric), None)
        line = nearest.outcome(value, higher_is_better=goal(nearest.metric) != "min")
    except Exception as failure:  # the journal's failure, never the user's
        warnings.warn(
            f"nbjournal: no comparison with run #{nearest.run_id} ({failure})",
            JournalWarning,
            stacklevel=4,
        )
        return
    if line is not None:
        print(line)


def json_safe(params: Mapping[str, object]) -> dict[str, JsonValue]:
    """The parameters as the store keeps them (JSON values), so that equal values compare equal."""
    from ..store.serialize import jsonable

    value = jsonable(params)
    return value if isinstance(value, dict) else {}


def finished_twins(store: Store, fingerprint: str, experiment: str) -> list[Run]:
    """Finished runs of ``experiment`` with this fingerprint, oldest first (waited for at
    most the timeout). A duplicate is within an experiment: the same code under a new
    name runs, and the new experiment exists (issue 21.9)."""

    def twins() -> list[Run]:
        summaries = store.list_runs(fingerprint=fingerprint, status="finished")
        return [store.get_run(s.id) for s in reversed(summaries) if s.experiment == experiment]

    return bounded(store.url, twins)


def _show_curves(store: Store, run: Run) -> None:
    """The restored run's training curves, as its live view left them (issue 21.10)."""
    from ..live.journal_record import journal_chart

    chart = journal_chart(run, store.metric_points(run.id, kinds=["epoch"]))
    if chart is not None:
        display(chart, raw=True)
