"""What differs between runs: parameters, code, input data, environment, final metrics.

A pure reading of the store's :class:`~nbjournal.store.Run` records (no
display, no database): the console script's ``compare`` prints it, and the
report shows a run's code against the nearest earlier one with it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..rules.params import flatten

if TYPE_CHECKING:
    from ..store import Run

#: ``(name, one value per run)``; ``None`` where a run has no such thing.
Row = tuple[str, list[object]]


@dataclass(frozen=True)
class RunDifferences:
    run_ids: tuple[int, ...]
    params: list[Row]
    #: Each later run's code as a unified diff against the first run's (empty: the same code).
    code: list[list[str]]
    #: Input name -> each run's content hash of it.
    data: list[Row]
    env: list[Row]
    #: Final value of each metric (every metric: the comparison is what one reads them for).
    metrics: list[Row]

    @property
    def same_code(self) -> bool:
        return not any(self.code)


def differences(runs: Sequence[Run], everything: bool = False) -> RunDifferences:
    """Only the rows whose values differ between ``runs`` (``everything``: every row)."""

    def rows(values: list[Mapping[str, object]]) -> list[Row]:
        names = sorted({name for v in values for name in v})
        found = [(name, [v.get(name) for v in values]) for name in names]
        return [row for row in found if everything or _differs(row[1])]

    first = runs[0]
    return RunDifferences(
        run_ids=tuple(run.id for run in runs),
        params=rows([run.params for run in runs]),
        code=[code_diff(first.code, run.code, f"#{first.id}", f"#{run.id}") for run in runs[1:]],
        data=rows([{d.get("name", "?"): d.get("hash") for d in run.data} for run in runs]),
        env=rows([flatten(run.env) for run in runs]),
        metrics=[
            (name, [run.metrics[name].last if name in run.metrics else None for run in runs])
            for name in sorted({name for run in runs for name in run.metrics})
        ],
    )


def code_diff(before: str, after: str, before_label: str, after_label: str) -> list[str]:
    """``after`` against ``before`` as unified diff lines (none when the code is the same)."""
    return list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), before_label, after_label, lineterm=""
        )
    )


def _differs(values: Sequence[object]) -> bool:
    return len({repr(v) for v in values}) > 1
