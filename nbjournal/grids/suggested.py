"""``--suggested N``: the points insights rank first for an experiment, run as a grid.

The points become a grid of explicit points (:func:`.expand.make_points_spec`),
so they run through the one grid runner with its skip, claim and record rules;
the spec records where they came from (the model, the runs it learned from,
each point's reason). Each time the cell runs, the model is asked again: once
the suggested points have finished they are history, and the next N follow.
"""

from __future__ import annotations

from typing import Any

from ..display import format as fmt
from .expand import GridError, GridSpec, make_points_spec


def suggested_spec(
    experiment: str,
    count: int,
    *,
    journal: Any = None,
    repeat: int = 1,
    fixed: dict[str, Any] | None = None,
    grid_max: int | None = None,
) -> GridSpec:
    """The grid of the ``count`` points insights rank first; :class:`GridError` when there
    are none (too few runs, nothing varied, everything tried), saying why."""
    if count is None or int(count) < 1:
        raise GridError(f"--suggested takes a count of 1 or more, got {count!r}")
    from ..runs.lifecycle import open_journal

    store = open_journal(journal, stacklevel=5)
    if store is None:
        raise GridError(f"--suggested {count}: the journal cannot be read, so nothing to suggest")
    from ..analysis.insights import suggestions_for

    found = suggestions_for(store, experiment, int(count))
    if found.refusal is not None:
        raise GridError(f"--suggested {count}: {found.refusal}; nothing run")
    fixed = dict(fixed or {})
    given = [name for point in found.points for name in point if name in fixed]
    if given:
        names = ", ".join(dict.fromkeys(given))
        raise GridError(
            f"--suggested {count} chooses {names}: drop the --param that sets it, or use --grid"
        )
    return make_points_spec(
        found.points, repeat=repeat, fixed=fixed, origin=found.as_origin(), grid_max=grid_max
    )


def check_used(spec: GridSpec, free_names: tuple[str, ...] | list[str]) -> None:
    """Every name the suggested points bind must be read by the cell: a name it never reads
    (or sets itself before reading) would make every point the same experiment."""
    unused = [name for name in spec.names if name not in set(free_names)]
    if not unused:
        return
    names = ", ".join(unused)
    raise GridError(
        f"--suggested: the suggestions set {', '.join(spec.names)}, but the cell does not use "
        f"{names} (it never reads {'it' if len(unused) == 1 else 'them'}, or assigns "
        f"{'it' if len(unused) == 1 else 'them'} first); nothing run"
    )


def origin_line(spec: GridSpec) -> str | None:
    """``4 suggested points (TPE over 24 runs): lr=0.0026 units=37 — neighbours of …; …``."""
    origin = spec.origin or {}
    if spec.explicit is None or "suggested" not in origin:
        return None
    reasons = list(origin.get("reasons") or [])
    parts = []
    for i, point in enumerate(spec.explicit):
        values = " ".join(f"{name}={fmt.param(value)}" for name, value in point.items())
        reason = reasons[i] if i < len(reasons) else ""
        parts.append(f"{values} — {reason}" if reason else values)
    count = len(spec.explicit)
    by = f" ({origin['by']})" if origin.get("by") else ""
    plural = "point" if count == 1 else "points"
    return f"{count} suggested {plural}{by}: " + "; ".join(parts)
