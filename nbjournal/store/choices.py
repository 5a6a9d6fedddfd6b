"""What a person chose for an experiment, remembered for every later view.

``--metric NAME[:max|min]`` makes a metric the experiment's metric of record and
``--seed-param NAME`` adds a seed-like name; the grid summary, insights,
``--suggested`` and compare read them back here, whichever kernel or process
chose them (the rule that uses them: :mod:`nbjournal.rules.record_metric`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from . import schema

if TYPE_CHECKING:
    from .base import StoreBase

C = schema.experiment_choices

METRIC = "metric"
SEED_PARAMS = "seed_params"


def choice(store: StoreBase, experiment: str, name: str) -> str | None:
    """The value last chosen for ``name`` in ``experiment`` (``None`` when never chosen)."""
    query = sa.select(C.c.value).where(C.c.experiment == experiment, C.c.name == name)
    with store._transaction() as connection:
        return connection.execute(query).scalar()


def choose(store: StoreBase, experiment: str, name: str, value: str) -> None:
    """Remember ``value`` for ``name`` in ``experiment`` (replacing an earlier choice)."""
    now = time.time()
    with store._transaction(write=True) as connection:
        updated = connection.execute(
            C.update()
            .where(C.c.experiment == experiment, C.c.name == name)
            .values(value=value, updated=now)
        ).rowcount
        if not updated:
            connection.execute(
                C.insert().values(experiment=experiment, name=name, value=value, updated=now)
            )
