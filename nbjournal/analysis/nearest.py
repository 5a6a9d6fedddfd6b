"""The closest earlier run to a cell about to run, and what was concluded about it.

Read as the cell starts, so it must be cheap and it only ever reads: for each
of the latest 1,000 finished runs of the experiment (and of those on the same
data), how many of the new cell's settings its ``params_flat`` text lacks is
counted by substring tests on the stored JSON; only the closest are read whole.

Distance is the number of the new cell's parameters whose value differs (a
parameter the earlier run lacks counts as a difference); ties go to the same
experiment, then (when they differ in one setting) to a refuted run: what was
concluded matters most before a repeat, then to the nearest values (orders of magnitude for numbers), then to
identical code, then to the newest run. Only the new cell's
parameters are compared: what Keras adds to a run while it trains (optimizer
config, layers) is not known yet when the cell starts.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ..rules import format as fmt
from ..rules.secrets import redact_code
from ..store import Run, Store
from ..store.serialize import setting_fragments

#: Among runs that differ in as many settings, how many are told apart by their values
#: (a refuted run first, then the nearest values), and how many of those by their code.
_TIES = 200
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
    #: the metric over the repeats of the run's configuration (``n``, ``mean``, ``half``: half
    #: the 95 % interval of the mean, ``values``), when it was repeated
    repeats: dict[str, Any] | None = None
    #: the cell's inputs that differ from the run's (``model (Sequential)``, ``X``)
    inputs: list[str] = field(default_factory=list)
    #: how many of the new cell's parameters were compared (none: none can be "the same")
    compared: int = 1

    def line(self, now: float | None = None, *, when: bool = True) -> str:
        """``closest earlier run: #41 (3 days ago) differs only in lr 0.001 → 0.003 · …``"""
        other = "" if not self.experiment else f" of {self.experiment}"
        ago = f" ({fmt.ago(self.ended, now)})" if when else ""
        head = f"closest earlier run: #{self.run_id}{other}{ago}"
        parts = [f"{head} {self._what_differs()}"]
        if self.metric is not None:
            parts.append(f"{self.metric} {fmt.number(self.value)}{self._over_repeats()}")
        if self.inference:
            said = fmt.first_line(self.inference, 120)
            parts.append(f'{self.verdict}: "{said}"' if self.verdict else f'"{said}"')
        return " · ".join(parts)

    def _over_repeats(self) -> str:
        """`` (0.9600 ± 0.0060 over 5 repeats)``: the run's configuration's mean and noise."""
        r = self.repeats
        if not r:
            return ""
        if fmt.no_spread(r["mean"], r["half"]):
            return f" ({fmt.number(r['mean'])}, no spread over {r['n']} repeats)"
        return f" ({fmt.spread(r['mean'], r['half'])} over {r['n']} repeats)"

    def outcome(self, value: float | None, higher_is_better: bool = True) -> str | None:
        """The new run's result against this one, by the comparison rule:
        ``val_accuracy 0.962 vs 0.958 in #41's configuration: within noise (±0.006 over 5
        repeats)`` (its mean over the repeats, when it has them)."""
        if self.metric is None or self.value is None or value is None:
            return None
        if not (math.isfinite(value) and math.isfinite(self.value)):
            return None
        from .comparison import compare_values

        r = self.repeats
        earlier = list(r["values"]) if r else [self.value]
        verdict = compare_values([value], earlier, higher_is_better=higher_is_better).verdict
        if r:
            noise = (
                "no spread"
                if fmt.no_spread(r["mean"], r["half"])
                else f"±{fmt.half_width(r['mean'], r['half'])}"
            )
            said = f"{verdict} ({noise} over {r['n']} repeats)"
            against = f"{fmt.number(r['mean'])} in #{self.run_id}'s configuration"
        else:
            said = f"{verdict}: no repeats of #{self.run_id} to measure the noise"
            against = f"{fmt.number(self.value)} in #{self.run_id}"
        return f"{self.metric} {fmt.number(value)} vs {against}: {said}"

    def _what_differs(self) -> str:
        shown = [d.text() for d in self.differences[:4]]
        if len(self.differences) > 4:
            shown.append(f"and {len(self.differences) - 4} more")
        code = f"code differs in {self.code_lines} line{'s' * (self.code_lines != 1)}"
        inputs = f"{_names(self.inputs)} differ{'s' * (len(self.inputs) == 1)}"
        if not shown:
            said = [code] * bool(self.code_lines) + [inputs] * bool(self.inputs)
            # a cell without parameters has none to be the same
            same = ["parameters"] * (self.compared > 0) + ["code"] * (not self.code_lines)
            if not said:
                return f"has the same {_and([*same, 'inputs'])}, other data"
            if same:
                return "; ".join([f"has the same {_and(same)}", *said])
            lines = f"{self.code_lines} line{'s' * (self.code_lines != 1)} of code"
            return "differs in " + " and ".join([lines, *self.inputs])
        only = "only " if len(shown) == 1 and not self.code_lines and not self.inputs else ""
        text = f"differs {only}in {', '.join(shown)}"
        text = f"{text}; {code}" if self.code_lines else text
        return f"{text}; {inputs}" if self.inputs else text

    def record(self) -> dict[str, object]:
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
            "inputs": list(self.inputs),
            "repeats": None
            if self.repeats is None
            else {k: v for k, v in self.repeats.items() if k != "values"},
            "line": self.line(when=False),
        }


def find_nearest(
    store: Store,
    *,
    experiment: str,
    params: Mapping[str, object],
    code: str,
    data_fingerprint: str | None,
    inputs: Sequence[Mapping[str, object]] = (),
) -> Nearest | None:
    """The closest finished run of ``experiment`` (or on the same data) to a new cell.

    ``params`` are the cell's flat parameters (as the store keeps ``params_flat``);
    ``inputs`` the descriptions of what it reads (a model or an estimator made in an
    earlier cell among them: the same parameters and code can train another model).
    """
    rows = store.nearest_candidates(experiment, data_fingerprint)
    if not rows:
        return None
    code = redact_code(code)  # as the journal keeps it (rules/secrets.py)
    settings = [setting_fragments(name, value) for name, value in params.items()]
    texts = {run_id: text or "{}" for run_id, _, text in rows}
    scored = sorted(
        (_missed(text or "{}", settings), name != experiment, -run_id)
        for run_id, name, text in rows
    )
    tied = [-key[2] for key in scored[:_TIES] if key[:2] == scored[0][:2]]
    # asked once: most experiments have no refuted run, and then nothing more is asked
    refuted_latest = store.refuted_inferences(experiment)
    if len(tied) > 1:
        # a refuted run one change away is what a person must see first
        one_change = scored[0][0] == 1
        refuted = {i.run_id for i in refuted_latest} if one_change else set()
        values = dict(
            zip(tied, json.loads("[" + ",".join(texts[i] for i in tied) + "]"), strict=True)
        )
        tied.sort(key=lambda i: (i not in refuted, _closeness(params, values[i]), -i))
    ties = [(run_id, None) for run_id in tied[:_CODE_TIES]]
    chosen: tuple[int, Run] | None = None
    for run_id, _ in ties:
        run = store.get_run(run_id)
        lines = code_difference(run.code, code)
        if chosen is None or lines < chosen[0]:
            chosen = (lines, run)
        if lines == 0:
            break
    assert chosen is not None
    lines, run = chosen
    differences = _differences(params, run.params)
    called = call_differences(run.code, code) if lines else []
    if lines and (differences or called):  # a changed value is named once, not also as a line
        lines = code_difference(
            run.code, code, named=[d.name for d in differences], keywords=[d.name for d in called]
        )
    key = run.key_metric
    latest = run.inferences[-1] if run.inferences else None
    nearest = Nearest(
        run_id=run.id,
        experiment="" if run.experiment == experiment else run.experiment,
        ended=run.ended,
        differences=differences + called,
        code_lines=lines,
        metric=key.name if key else None,
        value=key.last if key else None,
        verdict=latest.verdict if latest else None,
        inference=latest.text if latest else None,
        repeats=_repeats_of(store, run, key.name, texts[run.id]) if key else None,
        inputs=input_differences(run.data, inputs),
        compared=len(params),
    )
    notes = _refuted_notes(store, experiment, params, nearest) if refuted_latest else []
    return Nearest(**{**nearest.__dict__, "notes": notes}) if notes else nearest


def input_differences(
    before: Sequence[Mapping[str, object]], after: Sequence[Mapping[str, object]]
) -> list[str]:
    """The inputs of both cells whose content differs, named (with a model's or an
    estimator's class); what a fit was given (``fit.x``) is its input again, not named."""
    earlier = {e.get("name"): e for e in before}
    found = []
    for entry in after:
        name, old = entry.get("name"), earlier.get(entry.get("name"))
        if not isinstance(name, str) or old is None or name.startswith("fit."):
            continue
        if old.get("hash") != entry.get("hash"):
            kind = entry.get("class") if entry.get("kind") in ("model", "estimator") else None
            found.append(f"{name} ({kind})" if kind else name)
    return found


def _and(words: Sequence[str]) -> str:
    """``parameters, code and inputs``."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _names(names: Sequence[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _repeats_of(store: Store, run: Run, metric: str, flat: str) -> dict[str, object] | None:
    """``metric`` over the repeats of ``run``'s configuration (``flat``: its ``params_flat``),
    when it has two or more. Runs lacking one of its settings are skipped unparsed."""
    from ..rules.seeds import is_seed_like
    from ..store.repeats import twin_rows
    from .configurations import configurations_from_rows, spread
    from .repeats import seed_params

    extra = seed_params(store, run.experiment)
    settings = [
        setting_fragments(name, value)
        for name, value in json.loads(flat).items()
        if not is_seed_like(name, extra)
    ]
    rows = twin_rows(
        store,
        run.id,
        metric,
        keep=lambda text: not _missed(text, settings),
        alike=(run.experiment, run.code, run.data_fingerprint),
    )
    if len(rows.runs) < 2:
        return None
    own = next(
        (
            c
            for c in configurations_from_rows(rows.runs, rows.metrics, extra)
            if run.id in c.run_ids
        ),
        None,
    )
    if own is None:
        return None
    values, _ = own.finite(metric)
    if len(values) < 2:
        return None
    found = spread(values)
    return {
        "n": found.n,
        "mean": found.mean,
        "half": found.half_width,
        "values": [float(v) for v in values],
    }


def code_difference(
    before: str, after: str, named: Sequence[str] = (), keywords: Sequence[str] = ()
) -> int:
    """How many lines differ between two cells, blank lines and comments aside; a line
    that only assigns a ``named`` parameter, or only changes a call's keyword named in
    ``keywords`` (``fit(epochs)``), is said by its name and not counted again."""
    old, new = _code_lines(before), _code_lines(after)
    if named or keywords:
        old, new = _blank_values(old, named, keywords), _blank_values(new, named, keywords)
    if old == new:
        return 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def _blank_values(lines: list[str], named: Sequence[str], keywords: Sequence[str]) -> list[str]:
    patterns = [re.compile(rf"^({re.escape(n)}\s*=\s*).*$") for n in named if n.isidentifier()]
    for keyword in keywords:
        name = keyword.rsplit("(", 1)[-1].rstrip(")")
        patterns.append(re.compile(rf"(\b{re.escape(name)}\s*=\s*)[^,)]+"))
    blanked = []
    for line in lines:
        for pattern in patterns:
            line = pattern.sub(lambda m: m.group(1) + "…", line)
        blanked.append(line)
    return blanked


def call_differences(before: str, after: str) -> list[Difference]:
    """Literal keyword arguments of calls that changed between two cells, named by call:
    ``fit(epochs) 10 → 20`` (a keyword given once per call name in each cell)."""
    old, new = _call_keywords(before), _call_keywords(after)
    return [
        Difference(name, old[name], new[name])
        for name in sorted(set(old) & set(new))
        if old[name] != new[name]
    ]


def _call_keywords(code: str) -> dict[str, object]:
    try:
        tree = ast.parse(code or "")
    except SyntaxError:  # IPython syntax: nothing said, the lines are counted
        return {}
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if not called:
            continue
        for keyword in node.keywords:
            if keyword.arg is None:
                continue
            key = f"{called}({keyword.arg})"
            try:
                value = ast.literal_eval(keyword.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                value = _MISSING
            if key in seen:
                found.pop(key, None)  # given more than once: ambiguous, not named
                continue
            seen.add(key)
            if value is not _MISSING:
                found[key] = value
    return found


def _code_lines(code: str) -> list[str]:
    lines = (line.strip() for line in (code or "").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _plain_number(value: object) -> TypeGuard[int | float]:
    """A number compared by its ratio (``True`` and ``False`` are settings, not numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _closeness(params: Mapping[str, object], values: Mapping[str, object]) -> float:
    """How far apart two runs that differ in as many settings are: numbers by their ratio
    (orders of magnitude), anything else as one."""
    total = 0.0
    for name, value in params.items():
        other = values.get(name, _MISSING)
        if other == value:
            continue
        if not (_plain_number(value) and _plain_number(other)):
            total += 1.0
        elif value > 0 and other > 0:
            total += min(abs(math.log10(value / other)), 1.0)
        else:
            total += min(abs(value - other) / (abs(value) + abs(other)), 1.0)
    return total


def _missed(text: str, settings: list[tuple[str, str]]) -> int:
    """How many settings a ``params_flat`` text lacks: substring tests, no JSON parsing
    (several times faster than parsing, and than the database's own ``instr``)."""
    return sum(1 for inner, last in settings if inner not in text and last not in text)


def _differences(params: Mapping[str, object], values: Mapping[str, object]) -> list[Difference]:
    return [
        Difference(name, values.get(name), value, absent=name not in values)
        for name, value in sorted(params.items())
        if values.get(name, _MISSING) != value
    ]


def _refuted_notes(
    store: Store, experiment: str, params: Mapping[str, object], nearest: Nearest
) -> list[str]:
    """Plain words when the new cell repeats an idea already refuted (asked only when
    ``experiment`` has a refuted run).

    A refuted run is repeated when the new cell has its values on every
    parameter that varied among the experiment's runs; a parameter where the two
    differ has varied (that run is the witness), so this is the refuted run
    holding every setting of the new cell. The nearest run, refuted, is retried
    when the only change is to a parameter that earlier runs already varied.
    """
    names = sorted(params)
    notes = []
    repeated = store.refuted_inferences(
        experiment, holding=[setting_fragments(n, params[n]) for n in names], limit=1
    )
    if repeated:
        shown = ", ".join(f"{n} {fmt.param(params[n])}" for n in names[:6]) or "its values"
        notes.append(
            f"run #{repeated[0].run_id} with these same values ({shown}) was refuted: "
            f'"{fmt.first_line(repeated[0].text, 120)}"'
        )
    changed = nearest.differences
    if (
        nearest.verdict == "refuted"
        and len(changed) == 1
        and not nearest.code_lines
        and not any(d.absent for d in changed)
        and all(
            count > 0
            for count in store.runs_missing(
                experiment, [setting_fragments(d.name, d.before) for d in changed]
            )
        )
    ):
        notes.append(
            f"#{nearest.run_id} was refuted, and this cell changes only {changed[0].name}, "
            "which earlier runs already varied"
        )
    return notes
