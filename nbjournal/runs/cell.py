"""Running one ``%%experiment`` cell: capture, decide (duplicate or run), run, record.

The body runs in the user's namespace exactly as a plain cell would: its last
expression is returned (and so displayed as ``Out[n]``), its exceptions reach
the user with their own traceback, and the journal's own failures are only
warnings. Starting and finishing the run is :mod:`.lifecycle`'s.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from IPython.display import display

from ..capture import code as cellcode
from ..capture.environment import notebook_path
from ..capture.fingerprint import combine, describe_files, describe_value
from ..capture.hypothesis import hypothesis_from_cell
from ..capture.results import fitted_estimators, result_metrics
from ..capture.secrets import redact_entry, redact_params
from ..errors import JournalError
from ..fit_hook import recording_fits
from ..recorder import JournalWarning, RunRecorder
from ..store import Run, Store, bounded
from .current import remember_run
from .lifecycle import KEPT_LOCALLY, RunSpec, open_journal, recorded, start_run


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

    def spec(self, shell: Any, repeat_of: int | None = None) -> RunSpec:
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
        )


def plan_cell(
    shell: Any,
    experiment: str,
    body: str,
    *,
    hypothesis: str | None,
    params: dict[str, Any],
    tags: list[str],
) -> ExperimentPlan:
    source = shell.transform_cell(body)
    cell = cellcode.parse_cell(source)  # a SyntaxError reaches the user as in a plain cell
    namespace = shell.user_ns
    inputs = [
        redact_entry(entry, namespace[name])
        for name in cell.free_names
        if name in namespace and name not in params
        for entry in [describe_value(name, namespace[name])]
        if entry is not None
    ]
    files = describe_files(cell.string_literals, Path.cwd())
    # Secrets are never recorded (capture/secrets.py); the fingerprint still sees them hashed.
    recorded_params = redact_params(
        {
            **{e["name"]: namespace[e["name"]] for e in inputs if e["kind"] == "value"},
            **cell.literal_assignments,
            **params,
        }
    )
    fingerprint = combine(
        {
            "code": cell.normal_form,
            "params": params,
            "inputs": sorted((e["name"], e["hash"]) for e in inputs),
            "files": sorted((e["path"], e["hash"]) for e in files),
        }
    )
    return ExperimentPlan(
        experiment=experiment,
        body=body,
        source=source,
        cell=cell,
        hypothesis=hypothesis_from_cell(body, hypothesis),
        params=recorded_params,
        data=inputs + files,
        fingerprint=fingerprint,
        bound=params,
        tags=tags,
    )


def run_experiment(
    shell: Any,
    plan: ExperimentPlan,
    *,
    force: bool,
    live: bool,
    journal_url: str | None,
) -> Any:
    __tracebackhide__ = True
    store = open_journal(journal_url, stacklevel=4)
    earlier: list[Run] = []
    if store is not None:
        try:
            earlier = finished_twins(store, plan.fingerprint)
        except JournalError as failure:
            warnings.warn(f"nbjournal: {failure}; {KEPT_LOCALLY}", JournalWarning, stacklevel=4)
            store = None
    if earlier and not force:
        from ..display.views import DuplicateNotice

        display(DuplicateNotice(earlier))
        remember_run(earlier[-1].id)
        return None
    shell.user_ns.update(plan.bound)
    spec = plan.spec(shell, earlier[0].id if earlier else None)
    recorder = start_run(
        spec, store if store is not None else journal_url, live=live, known_down=store is None
    )
    with recorded(recorder, card=True):
        if recorder is None:
            return execute(shell, plan)
        with recording_fits(recorder):
            result = execute(shell, plan)
        record_after_body(shell, plan, recorder, result)
    return result


def record_after_body(shell: Any, plan: ExperimentPlan, recorder: RunRecorder, result: Any) -> None:
    """What the body left: the estimators it fitted and its result as metrics."""
    estimators = fitted_estimators(plan.cell, shell.user_ns)
    if estimators:
        recorder.add_params(estimators)
    for name, value in result_metrics(plan.cell, result).items():
        recorder.log_value(name, value)


def execute(shell: Any, plan: ExperimentPlan) -> Any:
    """Run the body in the user's namespace; return its last expression's value."""
    __tracebackhide__ = True
    filename = shell.compile.cache(plan.source, shell.execution_count, raw_code=plan.body)
    tree = shell.transform_ast(ast.parse(plan.source, filename=filename))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    namespace = shell.user_ns
    exec(shell.compile(tree, filename, "exec"), shell.user_global_ns, namespace)
    if last is None:
        return None
    expression = ast.Expression(last.value)
    value = eval(shell.compile(expression, filename, "eval"), shell.user_global_ns, namespace)
    return None if plan.source.rstrip().endswith(";") else value


def finished_twins(store: Store, fingerprint: str) -> list[Run]:
    """Finished runs with this fingerprint, oldest first (waited for at most the timeout)."""

    def twins() -> list[Run]:
        summaries = store.list_runs(fingerprint=fingerprint, status="finished")
        return [store.get_run(s.id) for s in reversed(summaries)]

    return bounded(store.url, twins)
