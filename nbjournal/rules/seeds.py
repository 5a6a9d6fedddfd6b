"""Which parameters are seeds: the one rule that tells a configuration from its repeats.

A **configuration** is an experiment's code, parameters and data with the seed
left out; runs of one configuration are its **repeats**. A parameter is
seed-like when its name, or the last part of a flattened name
(``RandomForestClassifier.random_state``), is one of :data:`SEED_NAMES`, or one
the person named with ``--seed-param NAME`` for the experiment. Used by the
configurations table, the comparison rule's pairing, the grid summary and
insights alike (``docs/statistics.md``).
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

#: a parameter's value, kept as it is
V = TypeVar("V")

#: Names that mark a repeat of one configuration, never a parameter of it.
SEED_NAMES: frozenset[str] = frozenset({"seed", "random_state", "rng", "repeat"})

_LAST_PART = re.compile(r"(?:^|\.)([^.\[\]]+)(?:\[\d+\])*$")


def is_seed_like(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether the (possibly flattened) parameter ``name`` is a seed."""
    return _is_seed_like(name, tuple(extra))


@lru_cache(maxsize=8192)
def _is_seed_like(name: str, extra: tuple[str, ...]) -> bool:
    """:func:`is_seed_like`, asked once a name: a journal repeats a few names in every run."""
    names = SEED_NAMES.union(extra)
    if name in names:
        return True
    match = _LAST_PART.search(name)
    return bool(match and match.group(1) in names)


def split_seeds(
    params: Mapping[str, V], extra: Iterable[str] = ()
) -> tuple[dict[str, V], dict[str, V]]:
    """``params`` as (the configuration's parameters, the run's seeds)."""
    extra = tuple(extra)
    settings: dict[str, V] = {}
    seeds: dict[str, V] = {}
    for name, value in params.items():
        (seeds if _is_seed_like(name, extra) else settings)[name] = value
    return settings, seeds


def seed_of(seeds: Mapping[str, object]) -> object:
    """One comparable seed for a run (``None`` without any): what pairs runs across configurations."""
    if not seeds:
        return None
    if len(seeds) == 1:
        return next(iter(seeds.values()))
    return tuple(sorted((k, repr(v)) for k, v in seeds.items()))


def code_key(code: str, extra: Iterable[str] = ()) -> str:
    """A hash of the cell's code with its top-level seed assignments (``seed = 3``) left out.

    Two cells that differ only in the seed they assign are one configuration.
    Code that does not parse (a magic inside) is hashed as it is.
    """
    return _code_key(code or "", tuple(sorted(set(extra))))


@lru_cache(maxsize=4096)
def _code_key(code: str, extra: tuple[str, ...]) -> str:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        text = code
    else:
        tree.body = [node for node in tree.body if not _assigns_seed(node, extra)]
        text = ast.unparse(tree)
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()


def _assigns_seed(node: ast.stmt, extra: tuple[str, ...]) -> bool:
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets = [node.target]
    else:
        return False
    return all(isinstance(t, ast.Name) and is_seed_like(t.id, extra) for t in targets)
