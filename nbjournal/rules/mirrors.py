"""Which parameters only mirror another: the one rule, for insights and the experiment page.

A Keras run records ``lr`` and ``optimizer.learning_rate``, ``units`` and
``model.params``: each pair carries one piece of information twice. A parameter
mirrors another when their values pair one to one over the runs (each value of one
goes with a single value of the other, both ways), and the runs give evidence of
it: a value shared by several runs, or the very same numbers. Without such
evidence every two parameters of a random search (all values distinct) would pair
one to one by chance. Of a pair the shorter name is kept (fewest dots, then
fewest characters): ``lr`` beside ``optimizer.learning_rate``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

#: Two numbers are the same value when this close (relative): ``0.001`` and the float32
#: ``0.0010000000474974513`` Keras hands back.
SAME_NUMBER = 1e-6


def mirrors(columns: Mapping[str, Sequence[object]]) -> dict[str, str]:
    """``dropped name → kept name`` for every parameter that mirrors another.

    ``columns`` holds each parameter's value per run (``None`` where a run lacks it),
    all of one length.
    """
    order = sorted(columns, key=lambda n: (n.count("."), len(n), n))
    codes = {name: _codes(columns[name]) for name in order}
    dropped: dict[str, str] = {}
    for i, kept in enumerate(order):
        if kept in dropped:
            continue
        for other in order[i + 1 :]:
            if other in dropped or not _one_to_one(codes[kept], codes[other]):
                continue
            if _repeats(codes[kept]) or _same_numbers(columns[kept], columns[other]):
                dropped[other] = kept
    return dropped


def mirrored_by(dropped: Mapping[str, str]) -> dict[str, list[str]]:
    """``kept name → its mirrors`` (sorted), from :func:`mirrors`' answer."""
    found: dict[str, list[str]] = {}
    for name, kept in sorted(dropped.items()):
        found.setdefault(kept, []).append(name)
    return found


def _codes(values: Sequence[object]) -> list[int]:
    """Each value as the index of its first appearance (``None`` is a value too)."""
    index: dict[object, int] = {}
    return [index.setdefault(_key(v), len(index)) for v in values]


def _key(value: object) -> object:
    if value is None or isinstance(value, (int, float, str, bool)):
        return (type(value) is bool, value)  # True is no 1
    return json.dumps(value, sort_keys=True, default=repr)


def _one_to_one(a: Sequence[int], b: Sequence[int]) -> bool:
    pairs = set(zip(a, b, strict=True))
    return len(pairs) == len(set(a)) == len(set(b))


def _repeats(codes: Sequence[int]) -> bool:
    """Whether some value is shared by two runs (the pairing was put to a test)."""
    return len(set(codes)) < len(codes)


def _same_numbers(a: Sequence[object], b: Sequence[object]) -> bool:
    def number(v: object) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    return len(a) > 0 and all(
        (x is None and y is None)
        or (number(x) and number(y) and math.isclose(x, y, rel_tol=SAME_NUMBER))  # type: ignore[arg-type]
        for x, y in zip(a, b, strict=True)
    )
