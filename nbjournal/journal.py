"""``nbjournal.Journal``: the journal as pandas DataFrames, for analysis in a notebook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from .store import GridInference, Inference, Run, open_store

if TYPE_CHECKING:
    from .analysis.insights import Insights

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
        runs, metrics, inferences = self.store.runs_table(
            experiment=experiment, status=status, tag=tag
        )
        frame = pd.DataFrame(
            [r[:6] for r in runs],
            columns=["id", "experiment", "status", "started", "ended", "hypothesis"],
        )
        frame["duration"] = pd.to_timedelta(frame["ended"] - frame["started"], unit="s")
        frame["started"] = pd.to_datetime(frame["started"], unit="s", utc=True)
        frame["tags"] = _json_column([r.tags for r in runs], "[]")
        frame["repeat_of"] = pd.array([r.repeat_of for r in runs], dtype="Int64")
        frame = frame[[*RUN_COLUMNS, "tags", "repeat_of"]]
        params = pd.DataFrame.from_records(_json_column([r.params_flat for r in runs], "{}"))
        params.columns = [f"param.{c}" for c in params.columns]
        finals = _pivot(metrics, frame["id"])
        inference = pd.Series({i.run_id: i.text for i in inferences}, dtype=object)
        verdict = pd.Series({i.run_id: i.verdict for i in inferences}, dtype=object)
        parts = [frame, params.set_index(frame.index)] if len(params.columns) else [frame]
        frame = pd.concat([*parts, finals.set_index(frame.index)], axis=1)
        frame["inference"] = frame["id"].map(inference)
        frame["verdict"] = frame["id"].map(verdict)
        return frame

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

    def add_inference(self, run_id: int, text: str, verdict: str | None = None) -> Inference:
        return self.store.add_inference(int(run_id), text, verdict)

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

        if not self.store.list_runs(experiment=experiment, limit=1):
            from .errors import UnknownExperiment

            raise UnknownExperiment(experiment)
        return insights(
            self.store, experiment, same_data=data, metric=metric, suggestions=suggestions
        )

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

    def load(self, run_id: int, name: str) -> Any:
        """One artifact of a run, loaded in this process (``"Out"``: the cell's value).

        A Keras model comes back compiled, with its weights and optimizer state (a
        custom layer or model class defined in this notebook is found by its name);
        a ``History`` comes with its model.
        """
        import sys

        from .artifacts import load_one, open_blobs, wait_for_saves
        from .errors import BadInput

        wait_for_saves()
        found = {a.name: a for a in self.store.artifacts(int(run_id))}
        artifact = found.get(name)
        if artifact is None:
            known = ", ".join(found) or "none"
            raise BadInput(f"run #{run_id} has no artifact {name!r} (it has: {known})")
        blobs = open_blobs(self.artifacts_url)
        notebook = dict(vars(sys.modules["__main__"]))  # where a notebook's classes live
        restored: dict[str, Any] = {}
        model = artifact.extra.get("model")
        if artifact.kind == "keras-history" and model in found:
            restored[model] = load_one(blobs, found[model], {}, notebook)
        return load_one(blobs, artifact, restored, notebook)

    def grids(self, experiment: str | None = None) -> pd.DataFrame:
        """One row per grid, newest first: ``id, experiment, created, points, runs, done,
        failed, spec, hypothesis``."""
        from .grids.frames import grids_frame

        return grids_frame(self.store.list_grids(experiment))

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
        return pd.DataFrame([vars(e) for e in self.store.experiments()])


def _json_column(texts: list[str | None], empty: str) -> list[Any]:
    """Parse many small JSON documents in one call: 3-4x faster than one ``loads`` each."""
    return json.loads("[" + ",".join(text or empty for text in texts) + "]")


def _pivot(metrics: list[Any], ids: pd.Series) -> pd.DataFrame:
    if not metrics:
        return pd.DataFrame(index=range(len(ids)))
    long = pd.DataFrame(metrics, columns=["run_id", "name", "last"])
    wide = long.pivot(index="run_id", columns="name", values="last")
    wide.columns = [f"metric.{c}" for c in wide.columns]
    return wide.reindex(ids.to_numpy()).reset_index(drop=True)
