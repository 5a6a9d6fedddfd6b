"""A grid's points: the product of its axes (or a list of explicit points, such as the ones
insights suggest), sampled and repeated, checked before anything runs.

Pure and cheap: the same spec always expands to the same points in the same
order (the product in the order the axes were given, the last axis fastest,
repeats innermost), so a grid re-run after an interrupt asks for the same
points, and a Dask worker can be given a spec and an index.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..capture.code import CellCode, set_before_read
from ..errors import BadInput
from ..rules.params import SEED

#: A product larger than this is refused without ``--sample`` (``NBJOURNAL_GRID_MAX`` moves it).
DEFAULT_GRID_MAX = 200


class GridError(BadInput):
    """A grid that cannot run as given; nothing was run or recorded."""


@dataclass(frozen=True)
class GridSpec:
    """What the person asked for: axes (name → values), repeats, a sample of the product.

    With ``explicit`` the grid is that list of points instead of a product (``axes``
    empty); ``origin`` says where the points came from (``--suggested``: the model, the
    runs it learned from, each point's reason), recorded with the spec.
    """

    axes: dict[str, list[object]]
    repeat: int = 1
    sample: int | None = None
    sample_seed: int | None = None
    grid_max: int = DEFAULT_GRID_MAX
    fixed: dict[str, object] = field(default_factory=dict)
    explicit: list[dict[str, object]] | None = None
    origin: dict[str, object] | None = None

    @property
    def names(self) -> list[str]:
        """The names each point binds (the repeat's seed aside)."""
        if self.explicit is not None:
            return list(dict.fromkeys(name for point in self.explicit for name in point))
        return list(self.axes)

    @property
    def size(self) -> int:
        """How many combinations the full product (or the list of points) has."""
        if self.explicit is not None:
            return len(self.explicit)
        size = 1
        for values in self.axes.values():
            size *= len(values)
        return size

    def as_dict(self) -> dict[str, object]:
        """The spec as recorded on the grid (JSON: what :func:`spec_from_dict` reads back)."""
        recorded: dict[str, object] = {
            "axes": self.axes,
            "repeat": self.repeat,
            "sample": self.sample,
            "sample_seed": self.sample_seed,
            "fixed": self.fixed,
        }
        if self.axes:  # JSON keeps keys sorted: the order the axes were given, for every view
            recorded["order"] = list(self.axes)
        if self.explicit is not None:  # a product's spec stays as it was: its key is unchanged
            recorded["points"] = self.explicit
        if self.origin is not None:
            recorded["origin"] = self.origin
        return recorded

    def key(self) -> dict[str, object]:
        """What makes two grids of one cell the same grid: not a sample's seed, nor where
        explicit points came from (the same points resume the same grid record)."""
        shown = ("origin", "order")  # how it is shown, not what it runs
        return {k: v for k, v in self.as_dict().items() if k not in shown} | {"sample_seed": None}


def spec_from_dict(data: dict[str, Any]) -> GridSpec:
    explicit = data.get("points")
    axes = data.get("axes", {})
    order = [n for n in data.get("order", []) if n in axes] + sorted(
        set(axes) - set(data.get("order", []))
    )
    return GridSpec(
        axes={k: list(axes[k]) for k in order},
        repeat=int(data.get("repeat", 1)),
        sample=data.get("sample"),
        sample_seed=data.get("sample_seed"),
        fixed=dict(data.get("fixed", {})),
        explicit=[dict(p) for p in explicit] if explicit is not None else None,
        origin=data.get("origin"),
    )


def grid_max_default() -> int:
    import os

    text = os.environ.get("NBJOURNAL_GRID_MAX", "").strip()
    try:
        return int(text) if text else DEFAULT_GRID_MAX
    except ValueError:
        return DEFAULT_GRID_MAX


def make_spec(
    axes: Mapping[str, object],
    *,
    repeat: int = 1,
    sample: int | None = None,
    sample_seed: int | None = None,
    grid_max: int | None = None,
    fixed: Mapping[str, object] | None = None,
) -> GridSpec:
    """A checked spec; every mistake is one :class:`GridError` and nothing else happens."""
    fixed = dict(fixed or {})
    if not axes:
        raise GridError("a grid needs at least one axis: --grid NAME=[v1, v2]")
    checked = {name: _checked_axis(name, values, fixed, repeat) for name, values in axes.items()}
    if repeat is None or int(repeat) < 1:
        raise GridError(f"--repeat takes a count of 1 or more, got {repeat!r}")
    if repeat > 1 and SEED in fixed:
        raise GridError(f"{SEED} is bound by --repeat: do not give it as a --param too")
    limit = grid_max_default() if grid_max is None else int(grid_max)
    spec = GridSpec(checked, int(repeat), sample, sample_seed, limit, fixed)
    if sample is not None:
        if int(sample) < 1:
            raise GridError(f"--sample takes a count of 1 or more, got {sample!r}")
        if int(sample) > spec.size:
            raise GridError(
                f"--sample {sample} is more than the {spec.size} points of the grid: "
                "drop --sample to run them all"
            )
        _check_runs(int(sample), int(repeat), limit)
        seed = sample_seed if sample_seed is not None else random.SystemRandom().randrange(2**31)
        return GridSpec(checked, int(repeat), int(sample), seed, limit, fixed)
    if spec.size * spec.repeat > limit:
        raise GridError(
            f"the grid has {_runs_text(spec.size, spec.repeat)}, more than --grid-max {limit}: "
            f"add --sample N to run N of its points, or raise --grid-max"
        )
    return spec


def _checked_axis(
    name: str, values: object, fixed: Mapping[str, object], repeat: int
) -> list[object]:
    """One axis's values, checked: a non-empty list, each value once, not bound otherwise."""
    if not isinstance(values, (list, tuple)) or not values:
        raise GridError(f"grid axis {name}: give a non-empty list, e.g. {name}=[1, 2, 3]")
    if name in fixed:
        raise GridError(f"{name} is both a --param and a --grid axis: give it once")
    if name == SEED and repeat > 1:
        raise GridError(f"{SEED} is bound by --repeat: do not make it a grid axis too")
    keys = [_key(v) for v in values]
    if len(set(keys)) != len(keys):
        raise GridError(f"grid axis {name} lists a value twice: {values!r}")
    return list(values)


def _runs_text(points: int, repeat: int) -> str:
    """``12 points`` or ``3,000,000 runs (3 points × 1,000,000 repeats)``."""
    if repeat == 1:
        return f"{points:,} points"
    return f"{points * repeat:,} runs ({points:,} points × {repeat:,} repeats)"


def _check_runs(points: int, repeat: int, limit: int) -> None:
    """--grid-max counts runs (points × repeats): one line before anything is expanded."""
    if points * repeat > limit:
        raise GridError(
            f"{_runs_text(points, repeat)} are more than --grid-max {limit}: "
            "lower --repeat or the points, or raise --grid-max"
        )


def make_points_spec(
    explicit: Sequence[Mapping[str, object]],
    *,
    repeat: int = 1,
    fixed: Mapping[str, object] | None = None,
    origin: dict[str, object] | None = None,
    grid_max: int | None = None,
) -> GridSpec:
    """A checked spec of explicit points, run in the order given; mistakes as :func:`make_spec`."""
    fixed = dict(fixed or {})
    if not explicit:
        raise GridError("a grid of points needs at least one point")
    seen: set[str] = set()
    checked = []
    for point in explicit:
        if not isinstance(point, dict) or not point:
            raise GridError(f"a point is a non-empty dict of name → value, got {point!r}")
        for name in point:
            if not isinstance(name, str) or not name.isidentifier():
                raise GridError(f"a point binds names: {name!r} is not a Python name")
            if name in fixed:
                raise GridError(f"{name} is both a --param and a value of the points: give it once")
            if name == SEED and repeat > 1:
                raise GridError(f"{SEED} is bound by --repeat: do not give it in the points too")
        key = _key(point)
        if key in seen:
            raise GridError(f"the point {point!r} is listed twice")
        seen.add(key)
        checked.append(dict(point))
    if repeat is None or int(repeat) < 1:
        raise GridError(f"--repeat takes a count of 1 or more, got {repeat!r}")
    if repeat > 1 and SEED in fixed:
        raise GridError(f"{SEED} is bound by --repeat: do not give it as a --param too")
    limit = grid_max_default() if grid_max is None else int(grid_max)
    _check_runs(len(checked), int(repeat), limit)
    return GridSpec({}, int(repeat), None, None, limit, fixed, checked, origin)


def check_bound(spec: GridSpec, cell: CellCode) -> None:
    """Each point's values must reach the cell: a name it sets itself before reading it
    would run the cell's own value at every point while the recorded parameters say
    otherwise. Suggested points must also be read: a name the cell never reads would make
    every point the same experiment (a --grid name may be read by a function it calls)."""
    seeds = [SEED] if spec.repeat > 1 else []
    for option, names in (
        ("--suggested" if spec.explicit is not None else "--grid", spec.names),
        ("--param", list(spec.fixed)),
        ("--repeat", seeds),
    ):
        overwritten = set_before_read(cell, names)
        if overwritten:
            raise GridError(overwritten_message(option, overwritten))
    if spec.explicit is None:
        return
    unused = [name for name in spec.names if name not in set(cell.free_names)]
    if unused:
        one = len(unused) == 1
        raise GridError(
            f"--suggested: the suggestions set {', '.join(spec.names)}, but the cell does not "
            f"use {', '.join(unused)} (it never reads {'it' if one else 'them'}); nothing run"
        )


def overwritten_message(option: str, names: Sequence[str]) -> str:
    """One line for names the cell sets before reading them (:func:`set_before_read`)."""
    one = len(names) == 1
    return (
        f"{option} binds {', '.join(names)}, but the cell sets {'it' if one else 'them'} "
        f"itself before reading {'it' if one else 'them'}: the run would record one value "
        f"and run another; remove that assignment from the cell; nothing run"
    )


def points(spec: GridSpec) -> list[dict[str, object]]:
    """Every run of the grid, in order: the product (or its sample, or the explicit points)
    × the repeats' seeds."""
    names = list(spec.axes)
    if spec.explicit is not None:
        combos = [dict(point) for point in spec.explicit]
        if spec.sample is not None:
            chosen = sorted(random.Random(spec.sample_seed).sample(range(len(combos)), spec.sample))
            combos = [combos[i] for i in chosen]
    elif spec.sample is not None:  # drawn by index: a 10^9-point product is never built
        chosen = sorted(random.Random(spec.sample_seed).sample(range(spec.size), spec.sample))
        combos = [_combination(spec.axes, index) for index in chosen]
    else:
        combos = [dict(zip(names, c, strict=True)) for c in itertools.product(*spec.axes.values())]
    if spec.repeat == 1:
        return combos
    return [{**combo, SEED: seed} for combo in combos for seed in range(spec.repeat)]


def _combination(axes: Mapping[str, Sequence[object]], index: int) -> dict[str, object]:
    """The ``index``-th combination of the product, in :func:`itertools.product`'s order."""
    chosen: dict[str, object] = {}
    for name, values in reversed(list(axes.items())):
        index, position = divmod(index, len(values))
        chosen[name] = values[position]
    return {name: chosen[name] for name in axes}


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=repr)
