"""The closest earlier run to a cell about to run, and what was concluded about it.

Read as the cell starts, so it must be cheap (one indexed query for the latest
finished runs of the experiment or on the same data, a parse of their flat
parameters, two reads of the chosen run) and it only ever reads.

Distance is the number of the new cell's parameters whose value differs (a
parameter the earlier run lacks counts as a difference); ties go to the same
experiment, then to identical code, then to the newest run. Only the new cell's
parameters are compared: what Keras adds to a run while it trains (optimizer
config, layers) is not known yet when the cell starts.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..display import format as fmt
from ..store import HistoryRow, Inference, Run, Store

#: How many of the latest finished runs the search compares (of the experiment, and on its data).
WINDOW = 5000
#: Among equally close runs, how many have their code compared.
_CODE_TIES = 3
_MISSING = object()


@dataclass(frozen=True)
class Difference:
    name: str
    before: Any  # ``None`` with ``absent`` when the earlier run had no such parameter
    after: Any
    absent: bool = False

    def text(self) -> str:
        before = "(none)" if self.absent else fmt.param(self.before)
        return f"{self.name} {before} → {fmt.param(self.after)}"


@dataclass(frozen=True)
class Nearest:
    """The closest earlier run and how the new cell differs from it."""

    run_id: int
    experiment: str
    ended: float | None
    differences: list[Difference]
    code_lines: int  # lines of code that differ (0: the same code)
    metric: str | None = None
    value: float | None = None
    verdict: str | None = None
    inference: str | None = None
    notes: list[str] = field(default_factory=list)

    def line(self, now: float | None = None, *, when: bool = True) -> str:
        """``closest earlier run: #41 (3 days ago) differs only in lr 0.001 → 0.003 · …``"""
        other = "" if not self.experiment else f" of {self.experiment}"
        ago = f" ({fmt.ago(self.ended, now)})" if when else ""
        head = f"closest earlier run: #{self.run_id}{other}{ago}"
        parts = [f"{head} {self._what_differs()}"]
        if self.metric is not None:
            parts.append(f"{self.metric} {fmt.number(self.value)}")
        if self.inference:
            said = fmt.first_line(self.inference, 120)
            parts.append(f'{self.verdict}: "{said}"' if self.verdict else f'"{said}"')
        return " · ".join(parts)

    def _what_differs(self) -> str:
        shown = [d.text() for d in self.differences[:4]]
        if len(self.differences) > 4:
            shown.append(f"and {len(self.differences) - 4} more")
        code = f"code differs in {self.code_lines} line{'s' * (self.code_lines != 1)}"
        if not shown:
            if self.code_lines:
                return f"has the same parameters; {code}"
            return "has the same parameters and code, other data"
        only = "only " if len(shown) == 1 and not self.code_lines else ""
        text = f"differs {only}in {', '.join(shown)}"
        return f"{text}; {code}" if self.code_lines else text

    def record(self) -> dict[str, Any]:
        """What the new run keeps (the ``nearest`` of its record and of the REST payload)."""
        return {
            "run_id": self.run_id,
            "experiment": self.experiment,
            "differences": [
                {"name": d.name, "before": d.before, "after": d.after, "absent": d.absent}
                for d in self.differences
            ],
            "code_lines": self.code_lines,
            "metric": self.metric,
            "value": self.value,
            "verdict": self.verdict,
            "inference": self.inference,
            "notes": list(self.notes),
            "line": self.line(when=False),
        }


def find_nearest(
    store: Store,
    *,
    experiment: str,
    params: Mapping[str, Any],
    code: str,
    data_fingerprint: str | None,
    window: int = WINDOW,
) -> Nearest | None:
    """The closest finished run of ``experiment`` (or on the same data) to a new cell.

    ``params`` are the cell's flat parameters (as the store keeps ``params_flat``).
    """
    rows = store.nearest_candidates(experiment, data_fingerprint, window)
    if not rows:
        return None
    candidates = _unique_settings(rows)
    scored = sorted(
        (_distance(params, values), row.experiment != experiment, -row.id, row, values)
        for row, values in candidates
    )
    best = scored[0][:2]
    ties = [entry for entry in scored if entry[:2] == best][:_CODE_TIES]
    chosen: tuple[int, Run] | None = None
    for entry in ties:
        run = store.get_run(entry[3].id)
        lines = code_difference(run.code, code)
        if chosen is None or lines < chosen[0]:
            chosen = (lines, run)
        if lines == 0:
            break
    assert chosen is not None
    lines, run = chosen
    differences = _differences(params, run.params)
    key = run.key_metric
    latest = run.inferences[-1] if run.inferences else None
    nearest = Nearest(
        run_id=run.id,
        experiment="" if run.experiment == experiment else run.experiment,
        ended=run.ended,
        differences=differences,
        code_lines=lines,
        metric=key.name if key else None,
        value=key.last if key else None,
        verdict=latest.verdict if latest else None,
        inference=latest.text if latest else None,
    )
    notes = _refuted_notes(store, experiment, params, nearest, candidates)
    return Nearest(**{**nearest.__dict__, "notes": notes}) if notes else nearest


def code_difference(before: str, after: str) -> int:
    """How many lines differ between two cells, blank lines and comments aside."""
    old, new = _code_lines(before), _code_lines(after)
    if old == new:
        return 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def _code_lines(code: str) -> list[str]:
    lines = (line.strip() for line in (code or "").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _unique_settings(rows: list[HistoryRow]) -> list[tuple[HistoryRow, dict[str, Any]]]:
    """The newest run of each distinct parameter set, parsed in one ``json.loads`` call."""
    newest: dict[tuple[str, str], HistoryRow] = {}
    for row in rows:  # newest first
        newest.setdefault((row.params_flat or "{}", row.experiment), row)
    kept = list(newest.values())
    parsed = json.loads("[" + ",".join(row.params_flat or "{}" for row in kept) + "]")
    return list(zip(kept, parsed, strict=True))


def _distance(params: Mapping[str, Any], values: Mapping[str, Any]) -> int:
    return sum(1 for name, value in params.items() if values.get(name, _MISSING) != value)


def _differences(params: Mapping[str, Any], values: Mapping[str, Any]) -> list[Difference]:
    return [
        Difference(name, values.get(name), value, absent=name not in values)
        for name, value in sorted(params.items())
        if values.get(name, _MISSING) != value
    ]


def _refuted_notes(
    store: Store,
    experiment: str,
    params: Mapping[str, Any],
    nearest: Nearest,
    candidates: list[tuple[HistoryRow, dict[str, Any]]],
) -> list[str]:
    """Plain words when the new cell repeats an idea already refuted.

    A refuted run is repeated when the new cell has its values on every
    parameter that varied among the runs (settings no run changed do not tell
    ideas apart); and the nearest run, refuted, is retried when the only change
    is to a parameter already tried at other values.
    """
    refuted = store.refuted_inferences(experiment)
    if not refuted:
        return []
    by_run: dict[int, Inference] = {}
    for inference in refuted:  # newest first
        by_run.setdefault(inference.run_id, inference)
    values_of = {row.id: values for row, values in candidates if row.experiment == experiment}
    varied = [
        name
        for name, value in params.items()
        if any(values.get(name, _MISSING) != value for values in values_of.values())
    ]
    notes = []
    for run_id, inference in by_run.items():
        values = values_of.get(run_id)
        if values is None or any(values.get(name, _MISSING) != params[name] for name in varied):
            continue
        shown = ", ".join(f"{name} {fmt.param(params[name])}" for name in varied) or "its values"
        notes.append(
            f"run #{run_id} with these same values ({shown}) was refuted: "
            f'"{fmt.first_line(inference.text, 120)}"'
        )
        break
    if nearest.verdict == "refuted" and nearest.differences and not nearest.code_lines:
        tried = {
            d.name: {fmt.param(v.get(d.name)) for v in values_of.values() if d.name in v}
            for d in nearest.differences
        }
        if all(len(values) > 1 for values in tried.values()):
            names = ", ".join(tried)
            notes.append(
                f"#{nearest.run_id} was refuted and this cell changes only {names}, "
                f"already tried at {', '.join(str(len(v)) for v in tried.values())} values"
            )
    return notes
