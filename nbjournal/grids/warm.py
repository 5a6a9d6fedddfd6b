"""``--suggested N`` on data like earlier data sets: learn from them too.

The cell's data (its inputs: the table and its target) is described by its
meta-features; the best configurations of the nearest similar data sets that
apply to the cell come first, each with its source; while the experiment is too
new to model, TPE's points learned from its runs and the similar data sets'
runs fill the rest (:mod:`nbjournal.analysis.warm_start`); after that it is
modelled on its own runs, as without similar data. With no similar data set, an
experiment too new to model runs nothing and the refusal says so; one with runs
enough is modelled on its own runs, as without a journal of other data.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .expand import GridError, GridSpec, make_points_spec

if TYPE_CHECKING:
    from ..analysis.insights import SuggestedPoints
    from ..store import Store


def warm_spec(
    store: Store,
    experiment: str,
    count: int,
    found: SuggestedPoints,
    inputs: dict[str, object],
    names: Collection[str] | None,
    fixed: dict[str, object],
    *,
    repeat: int,
    grid_max: int | None,
) -> GridSpec | None:
    """The grid of the warm-started points; ``None`` when nothing is similar but ``found``
    (the experiment's own suggestions) has points; else :class:`GridError` saying why."""
    from ..analysis.warm_start import warm_start
    from ..capture.fit_meta import cell_meta_features

    query = cell_meta_features(inputs)
    if query is None:
        if found.refusal is None:
            return None
        raise GridError(
            f"--suggested {count}: {found.refusal}; and no input of the cell is a table to "
            "compare with earlier data sets; nothing run"
        )
    started = warm_start(store, experiment, count, query, names=names, current=inputs,
                         fixed=set(fixed))  # fmt: skip
    if not started.points:
        if found.refusal is None:
            return None
        raise GridError(
            f"--suggested {count}: {found.refusal}; no transfer: {started.note}; nothing run"
        )
    origin = {
        "suggested": len(started.points),
        "by": started.method,
        "metric": found.metric,
        "runs": found.runs,
        "experiment": experiment,
        "reasons": started.reasons,
        "transferred": started.transferred,
        "sources": started.sources,
        "asked": count,
    }
    return make_points_spec(
        started.points, repeat=repeat, fixed=fixed, origin=origin, grid_max=grid_max
    )
