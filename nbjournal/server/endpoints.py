"""What each endpoint answers, as plain functions of a store.

They block (they query the database): the handlers run them in a worker
thread, and the benchmark times them as the server would run them, without
HTTP in between.
"""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING, Any

from ..rules.spreadsheet import write_rows
from . import payloads
from .downsample import downsample

if TYPE_CHECKING:
    from ..store import Store


def experiments(store: Store) -> dict[str, object]:
    return {"experiments": [payloads.experiment(e) for e in store.experiments()]}


def runs_page(
    store: Store,
    *,
    limit: int,
    cursor: int | None = None,
    experiment: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    trashed: bool = False,
) -> dict[str, object]:
    """One page of run summaries, newest first (``trashed``: of the runs in the trash).

    One run more than the page is read to know whether another page follows;
    the cursor is the smallest id shown, and the next page starts below it.
    """
    found = store.list_runs(
        experiment=experiment, status=status, tag=tag, q=q, before=cursor, limit=limit + 1,
        trashed=trashed,
    )  # fmt: skip
    page = found[:limit]
    next_cursor = page[-1].id if len(found) > limit else None
    return {"runs": [payloads.run_summary(r) for r in page], "next_cursor": next_cursor}


def experiment_table(
    store: Store,
    experiment: str,
    *,
    q: str | None = None,
    sort: str | None = None,
    order: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, object]:
    """One page of the experiment page's runs table, filtered and sorted by the database."""
    table = store.experiment_table(
        experiment, q=q, sort=sort, order=order, offset=offset, limit=limit
    )
    return payloads.experiment_table(table)


def vocabulary(store: Store, experiment: str | None) -> dict[str, object]:
    """What the query box completes (``experiment`` None: every run's names)."""
    return payloads.vocabulary(store.vocabulary(experiment))


def query_check(store: Store, q: str | None, experiment: str | None) -> dict[str, object]:
    """``{"q", "error"}``: why the table would refuse ``q``, or null; a 200 either way, since
    a query being typed is no failed request (the page asks before it reads)."""
    return {"q": q or "", "error": store.query_error(q, experiment)}


def experiment_csv(
    store: Store,
    experiment: str,
    *,
    q: str | None = None,
    sort: str | None = None,
    order: str | None = None,
) -> str:
    """Every row of the table as CSV: fixed columns, the varying parameters, the final metrics.

    Numbers keep their full precision (a spreadsheet formats them); times are
    ISO 8601 in UTC; text a spreadsheet would run as a formula is quoted
    (:mod:`nbjournal.rules.spreadsheet`).
    """
    table = store.experiment_table(experiment, q=q, sort=sort, order=order, limit=None)
    out = io.StringIO()
    header = ["id", "status", "started", "duration_s", "verdict", "inference",
              *table.params, *table.metrics]  # fmt: skip
    rows = (
        [row.id, row.status, _iso(row.started), _cell(row.duration), row.verdict or "",
         row.inference or ""]
        + [_cell(row.params.get(name)) for name in table.params]
        + [_cell(row.metrics.get(name)) for name in table.metrics]
        for row in table.rows
    )  # fmt: skip
    write_rows(out, [header, *rows])
    return out.getvalue()


def _iso(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


def run_detail(store: Store, run_id: int, root: str | None = None) -> dict[str, object]:
    """The whole run, with its procedure checked against its notebook as saved now (``root``:
    the server's root folder, where the run's notebook path starts)."""
    from ..analysis.staleness import procedure_report

    payload = payloads.run(store.get_run(run_id))
    payload["procedure"] = payloads.procedure(
        procedure_report(store, run_id, [root] if root else [])
    )
    return payload


def metrics(store: Store, run_id: int, max_points: int) -> dict[str, object]:
    """Every series of the run, each down-sampled to at most ``max_points`` points."""
    return {
        "run_id": run_id,
        "series": [
            payloads.series(key, columns, downsample(columns[2], max_points), total)
            for key, (total, columns) in store.metric_sample(run_id, max_points).items()
        ],
    }


def add_inference(store: Store, run_id: int, text: str, verdict: str | None) -> dict[str, object]:
    return payloads.inference(store.add_inference(run_id, text, verdict))


def edit_inference(
    store: Store, run_id: int, inference_id: int, text: str, verdict: str | None
) -> dict[str, object]:
    """``PATCH runs/{id}/inferences/{n}``: the store's one rule; the old text is kept."""
    return payloads.inference(store.edit_inference(inference_id, text, verdict, run_id=run_id))


def delete_inference(store: Store, run_id: int, inference_id: int) -> dict[str, object]:
    """``DELETE runs/{id}/inferences/{n}``: the version kept in the run's history."""
    return payloads.inference_version(store.delete_inference(inference_id, run_id=run_id))


def trash(store: Store, run_ids: list[int]) -> dict[str, object]:
    """Send runs to the trash; which went (those already there are not listed)."""
    return {"trashed": store.trash(run_ids)}


def restore(store: Store, run_ids: list[int]) -> dict[str, object]:
    """Bring runs back from the trash; which came back."""
    return {"restored": store.restore(run_ids)}


def edit_tags(store: Store, run_id: int, add: list[str], remove: list[str]) -> dict[str, object]:
    return {"run_id": run_id, "tags": list(store.edit_tags(run_id, add, remove))}


def changes(store: Store, since: int | None) -> dict[str, object]:
    token, changed = store.changes(since)
    return {"token": token, "runs": [payloads.run_summary(r) for r in changed]}


def insights(
    store: Store, name: str, *, same_data: bool, metric: str | None, suggestions: int
) -> dict[str, object]:
    """What :func:`nbjournal.analysis.insights.insights` finds, as the Insights view draws it
    (kept while the journal is unchanged: :mod:`.answer_cache`)."""
    from ..analysis.insights import insights as analyse
    from ..errors import UnknownExperiment
    from .answer_cache import kept

    if not store.list_runs(experiment=name, limit=1):
        raise UnknownExperiment(name)

    def compute() -> dict[str, object]:
        found = analyse(store, name, same_data=same_data, metric=metric, suggestions=suggestions)
        return payloads.insights(found)

    # on the same data, other experiments' runs count too
    scope = None if same_data else name
    return kept(store, ("insights", name, same_data, metric, suggestions), compute, scope)


def compare(store: Store, sides: list[list[int]], group: bool = False) -> dict[str, object]:
    """The first side against each later one, every shared metric by the comparison rule
    (what ``%journal compare`` and ``Journal().compare`` say). With ``group``, runs given
    as one list are grouped by configuration first: repeats make one side."""
    from ..analysis.repeats import compare_runs, repeat_sides

    if group and all(len(side) == 1 for side in sides):
        sides = repeat_sides(store, [side[0] for side in sides])
    found = compare_runs(store, sides)
    return {
        "runs": sides,
        "grouped": any(len(side) > 1 for side in sides),
        "metric": found.metric.name if found.metric else None,
        "ranked_by": found.metric.label() if found.metric else None,
        "sides": [
            {"runs": side, "metrics": {n: payloads.spread(s) for n, s in spread.items()}}
            for side, spread in zip(sides, found.spreads, strict=True)
        ],
        "comparisons": [
            {"against": sides[i + 1], "metrics": {n: c.evidence() for n, c in result.items()}}
            for i, result in enumerate(found.results)
        ],
    }


def configurations(store: Store, name: str, metric: str | None) -> dict[str, object]:
    """The experiment's runs grouped into configurations and their repeats, best first."""
    from ..analysis.repeats import configurations_frame
    from ..errors import UnknownExperiment

    if not store.list_runs(experiment=name, limit=1):
        raise UnknownExperiment(name)
    frame = configurations_frame(store, name, metric)
    return {
        "experiment": name,
        "metric": frame.attrs.get("metric"),
        "ranked_by": frame.attrs.get("ranked_by"),
        "configurations": [payloads.configuration(r) for r in frame.to_dict("records")],
    }


#: Groups one ``GET experiments/{name}/groups`` answer lists at most (by default and at
#: most): 9,800 configurations of 10,000 runs made a 13.5 MB answer the page drew whole.
GROUPS_LIMIT = 500


def groups(
    store: Store,
    name: str,
    by: list[str],
    q: str | None,
    metric: str | None,
    order: str | None = None,
    limit: int = GROUPS_LIMIT,
) -> dict[str, object]:
    """The runs ``q`` matches grouped by the parameters ``by`` (by configuration when none),
    every metric's mean and 95 % interval: the page's "group by". The first ``limit``
    groups by the key metric's mean, best first (``order`` ``desc``/``asc``: highest or
    lowest first), those without its value last; ``total`` counts them all. The grouping
    is kept while the journal is unchanged (:mod:`.answer_cache`): a new order or limit
    only lists it anew."""
    from ..analysis.grouping import best_order, group_by, ordered
    from ..errors import BadInput, UnknownExperiment
    from .answer_cache import kept

    if order not in (None, "asc", "desc"):
        raise BadInput(f"order must be 'asc' or 'desc', not {order[:40]!r}")
    if not store.list_runs(experiment=name, limit=1):
        raise UnknownExperiment(name)
    key = ("groups", name, tuple(by), q, metric)

    def listed() -> dict[str, object]:
        found = kept(store, key, lambda: group_by(store, name, by, q, metric), name)
        groups, served = ordered(found.groups, found.metric, order)
        return {
            "experiment": name,
            "by": found.by,
            "metric": found.metric.name if found.metric else None,
            "ranked_by": found.metric.label() if found.metric else None,
            "runs": found.runs,
            "order": served,
            "best_first": found.metric is not None and served == best_order(found.metric),
            "total": len(found.groups),
            "groups": [payloads.group(g) for g in groups[:limit]],
        }

    # the grouping is kept, and each answer listed from it (a new order lists it anew)
    return kept(store, (*key, order, limit), listed, name)


#: Runs an experiment's report download holds at most (1,000 take ~3 s); a larger one is
#: ``nbjournal export NAME -o FILE`` on the command line, which has no request to hold up.
REPORT_MAX_RUNS = 2000
#: The report's forms, and their media types.
REPORT_FORMS = {"html": "text/html", "md": "text/markdown"}


def report(store: Store, name: str, form: str) -> str:
    """The experiment's lab-notebook report, the bytes ``nbjournal export NAME`` writes
    (HTML: charts inline; Markdown: without its chart files, as on standard output)."""
    from ..analysis.lab_notebook import lab_notebook
    from ..analysis.lab_notebook_page import write
    from ..errors import TooLarge, UnknownExperiment

    found = {e.name: e for e in store.experiments()}
    if name not in found:
        raise UnknownExperiment(name)
    if found[name].runs > REPORT_MAX_RUNS:
        raise TooLarge(
            f"{name} has {found[name].runs:,} runs; a download holds {REPORT_MAX_RUNS:,} at "
            f"most: nbjournal export {name} -o report.{form} writes it"
        )
    return write(lab_notebook(store, [name]), form, None)


#: Bytes an artifact download holds at most (the blob is read whole); a larger one is loaded
#: with ``Journal().load(run, name)``.
ARTIFACT_MAX_BYTES = 512 * 1024 * 1024
#: The file an artifact's blob is, by its codec: suffix and media type. Plain values are
#: written out as JSON; module references hold no file, and a data frame is read with
#: ``Journal().load`` (its columns are no file a person opens).
ARTIFACT_FILES = {
    "keras": (".keras", "application/zip"),
    "numpy": (".npy", "application/octet-stream"),
    "json": (".json", "application/json"),
    "keras-history": (".json", "application/json"),
    "pickle": (".pkl", "application/octet-stream"),
    "cloudpickle": (".pkl", "application/octet-stream"),
}


def artifact_file(store: Store, run_id: int, name: str, role: str) -> tuple[bytes, str, str]:
    """An artifact's stored bytes as a file: ``(bytes, file name, media type)``.

    A Keras model is Keras' own ``.keras`` file; arrays ``.npy``; plain values JSON; a
    pickled value ``.pkl`` (load it only if you trust the run's author, as ``Journal().load``
    checks).
    """
    from ..artifacts import open_blobs
    from ..artifacts.blobs import ArtifactUnavailable
    from ..errors import BadInput, TooLarge, UnknownArtifact

    found = [a for a in store.artifacts(run_id) if a.name == name and a.role == role]
    if not found:
        raise UnknownArtifact(f"run #{run_id} has no artifact {name[:80]!r}")
    item = found[0]
    if item.hash is None:
        raise BadInput(f"{name} was not stored: {item.reason or item.status}")
    if item.kind not in ARTIFACT_FILES:
        raise BadInput(
            f"{name} is a {item.kind}: there is no file to download; "
            f"Journal().load({run_id}, {name!r}) reads it"
        )
    if item.size > ARTIFACT_MAX_BYTES:
        raise TooLarge(
            f"{name} is {item.size:,} bytes; a download holds {ARTIFACT_MAX_BYTES:,} at most: "
            f"Journal().load({run_id}, {name!r}) reads it"
        )
    try:
        data = open_blobs().get(item.hash)
    except ArtifactUnavailable:  # where the store lives is the server log's business
        raise UnknownArtifact(
            f"{name}'s stored bytes cannot be read (missing or damaged in the artifact store)"
        ) from None
    suffix, media = ARTIFACT_FILES[item.kind]
    if suffix == ".json":
        data = _readable_json(data)
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "value"
    return data, f"run{run_id}-{stem}{suffix}", media


def _readable_json(data: bytes) -> bytes:
    """A plain value's stored form (tagged for tuples, sets, non-string keys) as the JSON a
    person reads; the stored bytes themselves when they do not decode."""
    import json

    from ..artifacts.plain import decode_plain

    try:
        value = decode_plain(data)
    except (ValueError, TypeError, KeyError):
        return data
    return json.dumps(value, indent=1, default=_json_default).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return repr(value)


#: Grids listed at most (newest first).
GRID_LIMIT = 200


def grids(store: Store, experiment: str | None = None) -> dict[str, Any]:
    """Grids, newest first, each with its counts and best point."""
    found = store.list_grids(experiment)[:GRID_LIMIT]
    return {"grids": [payloads.grid_summary(g) for g in store.get_grids([g.id for g in found])]}


def grid_detail(store: Store, grid_id: int) -> dict[str, Any]:
    return payloads.grid(store.get_grid(grid_id))


def add_grid_inference(
    store: Store, grid_id: int, text: str, verdict: str | None
) -> dict[str, object]:
    return payloads.grid_inference(store.add_grid_inference(grid_id, text, verdict))


def edit_grid_inference(
    store: Store, grid_id: int, inference_id: int, text: str, verdict: str | None
) -> dict[str, object]:
    """``PATCH grids/{id}/inferences/{n}``: the store's one rule; the old text is kept."""
    edited = store.edit_grid_inference(inference_id, text, verdict, grid_id=grid_id)
    return payloads.grid_inference(edited)


def delete_grid_inference(store: Store, grid_id: int, inference_id: int) -> dict[str, object]:
    """``DELETE grids/{id}/inferences/{n}``: the version kept in the grid's history."""
    return payloads.inference_version(store.delete_grid_inference(inference_id, grid_id=grid_id))
