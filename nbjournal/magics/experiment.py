"""Running one ``%%experiment`` cell: capture, decide (duplicate or run), run, record.

The body runs in the user's namespace exactly as a plain cell would: its last
expression is returned (and so displayed as ``Out[n]``), its exceptions reach
the user with their own traceback, and the journal's own failures are only
warnings.
"""

from __future__ import annotations

import ast
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from IPython.display import display

from ..capture import code as cellcode
from ..capture.environment import capture_environment, notebook_path
from ..capture.fingerprint import combine, describe_files, describe_value
from ..capture.hypothesis import hypothesis_from_cell
from ..capture.models import estimator_params
from ..display.views import DuplicateNotice, RunCard
from ..errors import JournalError
from ..recorder import JournalWarning, RunRecorder, remember_run, set_active
from ..store import Store, open_store
from .fit_hook import recording_fits


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
        entry
        for name in cell.free_names
        if name in namespace and name not in params
        for entry in [describe_value(name, namespace[name])]
        if entry is not None
    ]
    files = describe_files(cell.string_literals, Path.cwd())
    recorded = {
        **{e["name"]: namespace[e["name"]] for e in inputs if e["kind"] == "value"},
        **cell.literal_assignments,
        **params,
    }
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
        params=recorded,
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
    store = _open(journal_url)
    earlier = _finished_twins(store, plan.fingerprint) if store else []
    if earlier and not force:
        display(DuplicateNotice(earlier))
        remember_run(earlier[-1].id)
        return None
    shell.user_ns.update(plan.bound)
    recorder = _start(store, plan, shell, repeat_of=earlier[0].id if earlier else None, live=live)
    if recorder is None:
        return execute(shell, plan)
    set_active(recorder)
    try:
        with recording_fits(recorder):
            result = execute(shell, plan)
    except KeyboardInterrupt:
        recorder.finish("interrupted", "KeyboardInterrupt")
        _show_card(recorder, store)
        raise
    except BaseException as error:
        recorder.finish(
            "failed", "".join(traceback.format_exception_only(type(error), error)).strip()
        )
        _show_card(recorder, store)
        raise
    finally:
        set_active(None)
    _record_estimators(shell, plan, recorder)
    _record_result(plan, recorder, result)
    recorder.finish("finished")
    _show_card(recorder, store)
    return result


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


def _open(journal_url: str | None) -> Store | None:
    try:
        return open_store(journal_url)
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: {failure}; the cell runs but is not recorded", JournalWarning, stacklevel=4
        )
        return None


def _finished_twins(store: Store, fingerprint: str) -> list[Any]:
    try:
        summaries = store.list_runs(fingerprint=fingerprint, status="finished")
        return [store.get_run(s.id) for s in reversed(summaries)]  # oldest first
    except JournalError as failure:
        warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=4)
        return []


def _start(
    store: Store | None, plan: ExperimentPlan, shell: Any, *, repeat_of: int | None, live: bool
) -> RunRecorder | None:
    if store is None:
        return None
    from ..live import sinks_for

    notebook = notebook_path(shell.user_ns)
    try:
        run_id = store.create_run(
            experiment=plan.experiment,
            fingerprint=plan.fingerprint,
            hypothesis=plan.hypothesis,
            code=plan.body,
            params=plan.params,
            data=plan.data,
            env=capture_environment(notebook, Path.cwd()),
            tags=plan.tags,
            notebook=notebook,
            repeat_of=repeat_of,
        )
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: {failure}; the cell runs but is not recorded", JournalWarning, stacklevel=4
        )
        return None
    return RunRecorder(
        store,
        run_id,
        experiment=plan.experiment,
        hypothesis=plan.hypothesis,
        params=plan.params,
        data=plan.data,
        sinks=sinks_for(
            live, experiment=plan.experiment, run_id=run_id, hypothesis=plan.hypothesis
        ),
    )


def _record_estimators(shell: Any, plan: ExperimentPlan, recorder: RunRecorder) -> None:
    """scikit-learn estimators the cell assigned or fitted: class and ``get_params()``."""
    import sys

    base = sys.modules.get("sklearn.base")
    if base is None:
        return
    found = {}
    for name in dict.fromkeys(plan.cell.fitted_receivers + plan.cell.assigned_names):
        value = shell.user_ns.get(name)
        if isinstance(value, base.BaseEstimator) and _is_fitted(value):
            found[name] = estimator_params(value)
    if len(found) == 1:
        recorder.add_params({"estimator": next(iter(found.values()))})
    elif found:
        recorder.add_params({"estimators": found})


def _is_fitted(estimator: Any) -> bool:
    try:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(estimator)
        return True
    except Exception:
        return False


def _record_result(plan: ExperimentPlan, recorder: RunRecorder, result: Any) -> None:
    """The cell's last expression, when a number or a dict of numbers, becomes metrics."""
    if result is None or isinstance(result, bool):
        return
    if isinstance(result, dict):
        numbers = {str(k): v for k, v in result.items() if _is_number(v)}
        for name, value in numbers.items():
            recorder.log_value(name, value)
    elif _is_number(result):
        name = cellcode.result_name(cellcode.last_expression(plan.cell.tree))
        recorder.log_value(name, result)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return getattr(value, "ndim", 0) == 0 and not isinstance(value, (str, bytes))


def _show_card(recorder: RunRecorder, store: Store | None) -> None:
    """The compact summary after the cell, unless the live view already stands as one."""
    if store is None or any(getattr(sink, "summarised", False) for sink in recorder.sinks):
        return
    try:
        display(RunCard(store.get_run(recorder.run_id)))
    except JournalError as failure:
        warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=2)
