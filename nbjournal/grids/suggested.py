"""``--suggested N``: the points insights rank first for an experiment, run as a grid.

The points become a grid of explicit points (:func:`.expand.make_points_spec`),
so they run through the one grid runner with its skip, claim and record rules;
the spec records where they came from (the model, the runs it learned from,
each point's reason). A re-run of the cell resumes its last suggested grid
while a point of it has not finished (after an interrupt, a failure, a dead
kernel); once every point has finished, a fresh kernel re-runs (restores) them,
so Restart & Run All trains nothing new, and the kernel that ran them asks the
model again: the next N follow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, cast

from ..analysis.suggestions import MIN_RUNS
from ..errors import JournalError
from ..rules import format as fmt
from ..rules.secrets import redact_code
from .expand import GridError, GridSpec, make_points_spec, spec_from_dict

if TYPE_CHECKING:
    from ..store import Store

#: The most points one --suggested asks for (the REST API's insights cap suggestions alike).
SUGGESTED_MAX = 50


def suggested_spec(
    experiment: str,
    count: int,
    *,
    journal: str | Store | None = None,
    repeat: int | None = None,
    fixed: Mapping[str, object] | None = None,
    grid_max: int | None = None,
    code: str | None = None,
    inputs: dict[str, object] | None = None,
    names: Collection[str] | None = None,
) -> GridSpec:
    """The grid of the ``count`` points insights rank first; :class:`GridError` when there
    are none (too few runs, nothing varied, everything tried), saying why.

    ``code`` is the cell's: its last suggested grid, when not every point of it has
    finished, is resumed instead of asking the model again. ``inputs`` (the values the
    cell reads) and ``names`` (what it reads): on data like earlier data sets, the points
    learn from their runs too (:mod:`.warm`).
    """
    if count is None or int(count) < 1:
        raise GridError(f"--suggested takes a count of 1 or more, got {count!r}")
    if int(count) > SUGGESTED_MAX:  # each point is a model query and a run: as REST caps it
        raise GridError(
            f"--suggested takes at most {SUGGESTED_MAX} points, got {count}: "
            "run them in rounds (each round learns from the last)"
        )
    from ..runs.lifecycle import open_journal

    store = open_journal(journal, stacklevel=5)
    if store is None:
        raise GridError(f"--suggested {count}: the journal cannot be read, so nothing to suggest")
    fixed = dict(fixed or {})
    repeat = repeat if repeat is not None else _repeats_of_last_grid(store, experiment)
    if code is not None:
        again = _this_cells_last(store, experiment, int(count), repeat, fixed, code)
        if again is not None:
            return again
    from ..analysis.insights import suggestions_for

    found = suggestions_for(store, experiment, int(count))
    if inputs is not None and (found.refusal is None or found.runs < MIN_RUNS):
        from .warm import warm_spec

        warm = warm_spec(store, experiment, int(count), found, inputs, names, fixed,
                         repeat=repeat, grid_max=grid_max)  # fmt: skip
        if warm is not None:
            return warm
    if found.refusal is not None:
        raise GridError(f"--suggested {count}: {found.refusal}; nothing run")
    given = [name for point in found.points for name in point if name in fixed]
    if given:
        names = ", ".join(dict.fromkeys(given))
        raise GridError(
            f"--suggested {count} chooses {names}: drop the --param that sets it, or use --grid"
        )
    origin = {**found.as_origin(), "asked": int(count)}
    return make_points_spec(
        found.points, repeat=repeat, fixed=fixed, origin=origin, grid_max=grid_max
    )


def _repeats_of_last_grid(store: Store, experiment: str) -> int:
    """The repeats of the experiment's latest grid: suggestions that follow a ``--repeat 3``
    grid are compared with its points over as many seeds (issue 21.7)."""
    try:
        grids = store.list_grids(experiment)
    except JournalError:
        return 1
    return int(grids[0].spec.get("repeat", 1) or 1) if grids else 1


def _this_cells_last(
    store: Store, experiment: str, count: int, repeat: int, fixed: dict[str, object], code: str
) -> GridSpec | None:
    """The spec of this cell's last suggested grid (same count, repeats, ``-p`` values and
    code) when one of its points has not finished (resumed), or when it finished in
    another kernel (restored: Restart & Run All trains nothing new, issue 21.7); ``None``
    to ask the model again."""
    from ..runs.current import grid_ran_here

    code = redact_code(code)  # as the journal keeps it
    try:
        for summary in store.list_grids(experiment):  # newest first
            spec, origin = summary.spec, summary.spec.get("origin") or {}
            if (
                "suggested" not in origin
                or origin.get("asked", origin["suggested"]) != count
                or spec.get("repeat", 1) != repeat
                or spec.get("fixed", {}) != fixed
                or store.get_grid(summary.id).code != code
            ):
                continue
            again = spec_from_dict(spec)
            if summary.done < summary.total:
                return dataclasses.replace(again, origin={**origin, "resumed": summary.id})
            if grid_ran_here(store.url, summary.id):
                return None  # this kernel ran these suggestions: ask again, for the next ones
            return dataclasses.replace(again, origin={**origin, "restored": summary.id})
    except JournalError:
        return None  # the model is asked instead
    return None


def origin_line(spec: GridSpec) -> str | None:
    """``4 suggested points (TPE over 24 runs): lr=0.0026 units=37 — neighbours of …; …``."""
    origin = spec.origin or {}
    if spec.explicit is None or "suggested" not in origin:
        return None
    reasons = list(cast("Iterable[str]", origin.get("reasons") or []))
    parts = []
    for i, point in enumerate(spec.explicit):
        values = " ".join(f"{name}={fmt.param(value)}" for name, value in point.items())
        reason = reasons[i] if i < len(reasons) else ""
        parts.append(f"{values} — {reason}" if reason else values)
    count = len(spec.explicit)
    by = f" ({origin['by']})" if origin.get("by") else ""
    if origin.get("resumed") is not None:
        by = f" (by {origin.get('by')}; grid #{origin['resumed']} has not finished: resumed)"
    if origin.get("restored") is not None:
        by = (
            f" (by {origin.get('by')}, as grid #{origin['restored']} ran them: "
            "run the cell again for the next ones)"
        )
    if spec.repeat > 1:
        by += f" × {spec.repeat} repeats"
    plural = "point" if count == 1 else "points"
    return f"{count} suggested {plural}{by}: " + "; ".join(parts)
