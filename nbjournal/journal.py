"""``nbjournal.Journal``: the journal as pandas DataFrames, for analysis in a notebook."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

import numpy as np
import pandas as pd

from .store import GridInference, Inference, Run, open_store
from .store.listing import MISSING, ListingColumns, gc_paused

if TYPE_CHECKING:
    from .analysis.insights import Insights
    from .analysis.staleness import ProcedureReport
    from .display.compare_view import CompareView
    from .display.procedure_view import WithProcedure
    from .display.similar_view import ShownSimilar
    from .runs.replay import ReplayResult

_T = TypeVar("_T")

RUN_COLUMNS = ["id", "experiment", "status", "started", "duration", "hypothesis"]


class Journal:
    """A journal: ``NBJOURNAL_URL``, else the embedded default (or ``url``); its artifacts in
    ``NBJOURNAL_ARTIFACTS``, else beside the embedded journal (or ``artifacts``)."""

    def __init__(self, url: str | None = None, artifacts: str | None = None) -> None:
        self.store = open_store(url)
        self.artifacts_url = artifacts

    @property
    def url(self) -> str:
        return self.store.url

    def __repr__(self) -> str:
        from sqlalchemy.engine import make_url

        return f"Journal({make_url(self.url).render_as_string(hide_password=True)!r})"

    def runs(
        self, experiment: str | None = None, status: str | None = None, tag: str | None = None
    ) -> pd.DataFrame:
        """One row per run, newest first: ``id, experiment, status, started, duration,
        hypothesis, param.<name>…, metric.<name>… (final values), inference``."""
        rows = self.store.runs_table(experiment=experiment, status=status, tag=tag)
        with gc_paused():
            return runs_frame(rows)

    def metrics(self, run_id: int) -> pd.DataFrame:
        """Every recorded point of a run: ``run_id, step, epoch, name, value, time, kind, part``."""
        points = self.store.metric_points(int(run_id))
        frame = pd.DataFrame(
            [(run_id, p.step, p.epoch, p.name, p.value, p.time, p.kind, p.part) for p in points],
            columns=["run_id", "step", "epoch", "name", "value", "time", "kind", "part"],
        )
        frame["epoch"] = frame["epoch"].astype("Int64")
        frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
        return frame

    def run(self, run_id: int) -> Run:
        return self.store.get_run(int(run_id))

    def procedure(self, run_id: int) -> ProcedureFrame:
        """The run's upstream cells (``execution_count, cell_id, code_hash, code, bound,
        names``), with ``.status`` and ``.reason`` checked against its notebook as saved now
        (``clean``, ``out of order``, ``upstream edited``, ``upstream gone``, ``hidden state``).
        """
        from .analysis.staleness import procedure_report

        return procedure_frame(procedure_report(self.store, int(run_id)))

    def replay(self, run_id: int, *, timeout: float = 600) -> ReplayResult:
        """Run the run's upstream cells and its cell again in a fresh kernel, compare the
        metrics, and record the new run as a replay (see :mod:`nbjournal.runs.replay`)."""
        from .runs.replay import replay

        return replay(self.store, int(run_id), timeout=timeout)

    def show(self, run_id: int) -> WithProcedure:
        """What ``%journal show ID`` shows, as an object with a rich repr: code never builds a
        magic line to see a run."""
        from .display.procedure_view import with_procedure
        from .display.views import RunDetail
        from .runs.restore import SHOW_WAIT_S, settle_saves

        settle_saves(within=SHOW_WAIT_S)  # as %journal show: what the run's cell is saving
        return with_procedure(RunDetail(self.store.get_run(int(run_id))), self.store, int(run_id))

    def add_inference(self, run_id: int, text: str, verdict: str | None = None) -> Inference:
        return self.store.add_inference(int(run_id), text, verdict)

    def edit_inference(
        self, inference_id: int, text: str, verdict: str | None = "keep"
    ) -> Inference:
        """Change an inference's text (and verdict; ``"keep"`` leaves it): the old version
        stays in the run's ``inference_history``."""
        return self.store.edit_inference(int(inference_id), text, verdict)

    def delete_inference(self, inference_id: int) -> None:
        """Withdraw an inference; its text stays in the run's ``inference_history``."""
        self.store.delete_inference(int(inference_id))

    def insights(
        self,
        experiment: str,
        *,
        data: bool = False,
        metric: str | None = None,
        suggestions: int = 5,
    ) -> Insights:
        """What the finished runs of ``experiment`` say (``data``: with every experiment on its data).

        ``.importances .effects .best .suggestions .conclusions`` are DataFrames;
        in a notebook the object shows itself as one view. Needs Optuna.
        """
        from .analysis.insights import insights
        from .display.insights_view import shown

        if not self.store.list_runs(experiment=experiment, limit=1):
            from .errors import UnknownExperiment

            raise UnknownExperiment(experiment)
        return shown(
            insights(self.store, experiment, same_data=data, metric=metric, suggestions=suggestions)
        )

    def configurations(self, experiment: str, metric: str | None = None) -> pd.DataFrame:
        """The runs of ``experiment`` grouped into configurations (code + parameters + data,
        the seed left out), one row each: ``configuration`` (its first run's id), ``n``,
        ``runs``, ``seeds``, ``verdict`` (the rule's verdict of the best against it; ``best``
        for itself), ``param.<name>…`` and per metric ``metric.<name>.mean``,
        ``.std``, ``.low``, ``.high`` (the 95 % interval of the mean); best first by the
        metric of record (``metric``: ``NAME[:max|min]``)."""
        from .analysis.repeats import configurations_frame
        from .errors import UnknownExperiment

        if not self.store.list_runs(experiment=experiment, limit=1):
            raise UnknownExperiment(experiment)
        return configurations_frame(self.store, experiment, metric)

    def compare(
        self,
        a: int | list[int],
        b: int | list[int],
        metric: str | None = None,
        min_effect: float | None = None,
    ) -> CompareView:
        """Whether ``a`` beats ``b`` beyond run-to-run noise (each a run id or a list of
        repeats), on ``metric`` (``NAME[:max|min]``; default: the experiment's metric of
        record). The answer has ``difference`` (a − b), ``interval``, ``n_a``, ``n_b``,
        ``paired``, ``needed`` and ``verdict``, and shows what ``%journal compare`` shows."""
        from .display.compare_view import compare_view

        return compare_view(self.store, [a, b], metric=metric, min_effect=min_effect)

    def similar(
        self,
        data: object = None,
        y: object = None,
        *,
        experiment: str | None = None,
        limit: int = 5,
    ) -> ShownSimilar:
        """The earlier data sets nearest to ``data`` (features, with target ``y``), or to the
        data of ``experiment``'s latest run: distance, what they were, their experiments'
        best runs and conclusions (``.found``, ``.nearest``). See README, "Similar data sets"."""
        from .analysis.similar import find_similar
        from .display.similar_view import shown
        from .errors import BadInput

        if (data is None) == (experiment is None):
            raise BadInput("similar: give the data (similar(X, y)) or experiment=NAME, not both")
        if experiment is not None:
            query = self._experiment_meta(experiment)
            return shown(
                find_similar(self.store, query, limit=limit, exclude_experiment=experiment)
            )
        from .capture.fit_meta import data_meta_features

        meta = data_meta_features(data, y)
        if meta is None:
            raise BadInput(
                f"similar: the data ({type(data).__name__}) is not a table of rows and columns"
            )
        return shown(find_similar(self.store, meta, limit=limit))

    def _experiment_meta(self, experiment: str) -> dict[str, object] | None:
        from .errors import BadInput, UnknownExperiment

        runs = self.store.list_runs(experiment=experiment)
        if not runs:
            raise UnknownExperiment(experiment)
        for row in reversed(self.store.meta_feature_rows()):
            if row.experiment == experiment:
                return row.meta_features
        raise BadInput(f"similar: no run of {experiment} recorded what its data is like")

    def artifacts(self, run_id: int) -> pd.DataFrame:
        """What a run's cell made, one row each: ``name, role, type, kind, size, hash, stored,
        reason`` (``role`` is ``name`` for a name it bound, ``result`` for its value, ``Out``)."""
        rows = [
            (a.name, a.role, a.type, a.kind, a.size, a.hash, a.stored, a.reason)
            for a in self.store.artifacts(int(run_id))
        ]
        return pd.DataFrame(
            rows, columns=["name", "role", "type", "kind", "size", "hash", "stored", "reason"]
        )

    def load(self, run_id: int, name: str) -> object:
        """One artifact of a run, loaded in this process (``"Out"``: the cell's value).

        A Keras model comes back compiled, with its weights and optimizer state (a
        custom layer or model class defined in this notebook is found by its name);
        a ``History`` comes with its model. A pickle or a module not signed by a key
        you trust is refused (:class:`~nbjournal.artifacts.Untrusted`) before it is read.
        """
        import sys

        from .artifacts import load_one, open_blobs, wait_for_saves
        from .errors import BadInput

        wait_for_saves()
        fingerprint = self.store.get_run(int(run_id)).fingerprint
        found = {a.name: a for a in self.store.artifacts(int(run_id))}
        artifact = found.get(name)
        if artifact is None:
            known = ", ".join(found) or "none"
            raise BadInput(f"run #{run_id} has no artifact {name!r} (it has: {known})")
        blobs = open_blobs(self.artifacts_url)
        notebook = dict(vars(sys.modules["__main__"]))  # where a notebook's classes live
        restored: dict[str, object] = {}
        model = artifact.extra.get("model")
        if artifact.kind == "keras-history" and model in found:
            restored[model] = load_one(blobs, found[model], fingerprint, {}, notebook)
        return load_one(blobs, artifact, fingerprint, restored, notebook)

    def grids(self, experiment: str | None = None) -> pd.DataFrame:
        """One row per grid, newest first: ``id, experiment, created, points, runs, done,
        failed, spec, hypothesis, best`` (``best score: 0.96 ± 0.01 at units=128 · within
        noise of units=64``, as the grid's summary says it)."""
        from .analysis.grid_table import GridTable, chosen_metric
        from .grids.frames import grids_frame

        found = self.store.list_grids(experiment)
        best = {
            g.id: GridTable(g, chosen_metric(self.store, g.experiment)).best_text()
            for g in self.store.get_grids([g.id for g in found])
        }
        return grids_frame(found, {k: v for k, v in best.items() if v})

    def grid(self, grid_id: int) -> pd.DataFrame:
        """A grid's runs in its order: ``point, param.<name>…, status, metric.<name>…, run_id,
        error``."""
        from .grids.frames import grid_frame

        return grid_frame(self.store.get_grid(int(grid_id)))

    def add_grid_inference(
        self, grid_id: int, text: str, verdict: str | None = None
    ) -> GridInference:
        """A conclusion about a grid as a whole."""
        return self.store.add_grid_inference(int(grid_id), text, verdict)

    def experiments(self) -> pd.DataFrame:
        """One row per experiment; ``last_activity`` a UTC time, as ``runs()``'s ``started``."""
        frame = pd.DataFrame([vars(e) for e in self.store.experiments()])
        if "last_activity" in frame:
            frame["last_activity"] = pd.to_datetime(frame["last_activity"], unit="s", utc=True)
        return frame


def runs_frame(columns: ListingColumns) -> pd.DataFrame:
    """The listing's columns as the DataFrame of :meth:`Journal.runs`.

    Each column's dtype is what pandas infers from its values (a parameter
    missing from a run is NaN), as it was when the frame was built from one
    record per run; parameters keep the order in which they first appear,
    metrics are sorted by name. For an unfiltered listing, the conversion of
    each column is kept with the listing until that column changes.
    """
    base = ["id", "experiment", "status", "started", "ended", "hypothesis"]
    if not columns.id:  # no runs: object columns, as an empty list of records gives
        return _frame_of_nothing(base, columns)
    kept = _Conversions(columns)
    frame = pd.DataFrame(
        {
            "id": kept("id", lambda: pd.Series(columns.id)),
            "experiment": kept("experiment", lambda: pd.Series(columns.experiment)),
            "status": kept("status", lambda: pd.Series(columns.status)),
            "started": kept(
                "started",
                lambda: pd.to_datetime(pd.Series(columns.started), unit="s", utc=True),
            ),
            "duration": kept(
                ("started", "ended"),
                lambda: pd.to_timedelta(
                    pd.Series(columns.ended) - pd.Series(columns.started), unit="s"
                ),
            ),
            "hypothesis": kept("hypothesis", lambda: pd.Series(columns.hypothesis)),
            "tags": [list(tags) for tags in columns.tags],
            "repeat_of": kept("repeat_of", lambda: pd.array(columns.repeat_of, dtype="Int64")),
        }
    )
    extra: dict[str, object] = {
        f"param.{name}": kept(f"param.{name}", functools.partial(_param_series, values))
        for name, values in columns.params.items()
    }
    # Metric columns are floats, unless no listed run has a value at all (only NULLs):
    # then objects, None where a run has the metric and NaN where it has not.
    numbers = any(
        v is not None and v is not MISSING for values in columns.metrics.values() for v in values
    )
    for name, values in columns.metrics.items():
        extra[f"metric.{name}"] = (
            kept(f"metric.{name}", functools.partial(np.array, values, dtype=float))
            if numbers
            else np.array(values, dtype=object)
        )
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra, index=frame.index)], axis=1)
    inference, verdict = kept(("id", "inference", "verdict"), lambda: _conclusions(columns))
    frame["inference"] = inference
    frame["verdict"] = verdict
    return frame


def _param_series(values: list[object]) -> pd.Series:
    """A parameter's column: integers stay integers (``Int64``, ``<NA>`` where a run lacks
    it) and an explicit ``None`` (``max_depth=None``) stays ``None``, not NaN."""
    present = [v for v in values if v is not MISSING]
    if (present and len(present) < len(values)) or None in present:
        numbers = [v for v in present if v is not None]
        if numbers and all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
            if None not in present:
                return pd.Series(pd.array(values, dtype="Int64"))
            return pd.Series(values, dtype=object)
        if None in present and all(isinstance(v, (int, float)) for v in numbers):
            return pd.Series(values, dtype=object)
    return pd.Series(values)


class _Conversions:
    """Column conversions, kept with the listing's memo while their columns' versions hold."""

    def __init__(self, columns: ListingColumns) -> None:
        self.versions = columns.versions
        self.memo = columns.memo

    def __call__(self, keys: str | tuple[str, ...], make: Callable[[], _T]) -> _T:
        if self.versions is None or self.memo is None:
            return make()
        keys = (keys,) if isinstance(keys, str) else keys
        version = tuple(self.versions.get(key) for key in keys)
        found = self.memo.get(keys)
        if found is not None and found[0] == version:
            return found[1]
        value = make()
        self.memo[keys] = (version, value)
        return value


def _conclusions(columns: ListingColumns) -> tuple[pd.Series, pd.Series]:
    """Each run's latest inference and its verdict, NaN where it has none (as a map gives)."""
    ids = pd.Series(columns.id)
    concluded = [i for i, text in enumerate(columns.inference) if text is not None]
    index = [columns.id[i] for i in concluded]
    inference = pd.Series([columns.inference[i] for i in concluded], index=index, dtype=object)
    verdict = pd.Series([columns.verdict[i] for i in concluded], index=index, dtype=object)
    return ids.map(inference), ids.map(verdict)


def _frame_of_nothing(base: list[str], columns: ListingColumns) -> pd.DataFrame:
    frame = pd.DataFrame([], columns=base)
    frame["duration"] = pd.to_timedelta(frame["ended"] - frame["started"], unit="s")
    frame["started"] = pd.to_datetime(frame["started"], unit="s", utc=True)
    frame["tags"] = []
    frame["repeat_of"] = pd.array([], dtype="Int64")
    frame = frame[[*RUN_COLUMNS, "tags", "repeat_of"]]
    frame["inference"] = frame["id"].map(pd.Series({}, dtype=object))
    frame["verdict"] = frame["id"].map(pd.Series({}, dtype=object))
    return frame


class ProcedureFrame(pd.DataFrame):
    """A run's upstream cells, one row each, with the run's ``status`` and its ``reason``."""

    _metadata: ClassVar[list[str]] = [
        "status",
        "reason",
        "run_id",
        "cell",
        "hidden",
        "notebook",
        "reproduced",
    ]

    @property
    def _constructor(self) -> type[ProcedureFrame]:
        return ProcedureFrame


def procedure_frame(report: ProcedureReport) -> ProcedureFrame:
    """The frame :meth:`Journal.procedure` returns, from an analysis report."""
    record = report.record
    cells = record.slice.get("cells", []) if record is not None else []
    frame = ProcedureFrame(
        [
            (c.get("execution_count"), c.get("cell_id"), c.get("code_hash"), c.get("code"),
             list(c.get("bound", [])), list(c.get("names", [])))
            for c in cells
        ],
        columns=["execution_count", "cell_id", "code_hash", "code", "bound", "names"],
    )  # fmt: skip
    frame.run_id = report.run_id
    if report.status is None:
        frame.status, frame.reason = None, "no procedure was recorded for this run"
    else:
        frame.status, frame.reason = report.status.status, report.status.reason
    frame.cell = record.slice.get("cell") if record is not None else None
    frame.hidden = list(record.slice.get("hidden", [])) if record is not None else []
    frame.notebook = str(report.notebook) if report.notebook is not None else None
    frame.reproduced = record.reproduced if record is not None else None
    return frame
