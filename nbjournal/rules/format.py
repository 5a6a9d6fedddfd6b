"""Small pure formatters shared by every view."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping, Sequence
from datetime import datetime

__all__ = [
    "duration",
    "epoch",
    "error_summary",
    "first_line",
    "half_width",
    "in_exponents",
    "number",
    "numbers",
    "param",
    "params",
    "share",
    "spread",
    "when",
]


def number(value: float | None, *, exponents: bool = False) -> str:
    """About 4 significant digits: ``0.001`` for 0.0010000000474974513, ``0.103``, ``12,346``.

    The one rule of numbers for people, in Python and in the lab extension
    (``labextension/src/formatters.ts``; both read the cases of
    ``labextension/src/__tests__/cases/number_format.json``). The stored value stays exact.
    ``exponents``: the value's column is in exponent form (:func:`in_exponents`).
    """
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    if exponents or _needs_exponent(value):
        return _exponent(value)
    if float(value).is_integer() or abs(value) >= 1000:
        return _whole(int(_half_up(value)))
    return f"{float(f'{value:.4g}'):.15g}"


def numbers(values: Sequence[float | None]) -> list[str]:
    """A column in ONE notation: all in exponent form when any needs it (``3e-4`` never
    stands beside ``0.001``: that column reads ``3e-4``, ``1e-3``), else each as :func:`number`."""
    exponents = in_exponents(values)
    return [number(v, exponents=exponents) for v in values]


def in_exponents(values: Sequence[object]) -> bool:
    """Whether a column holding ``values`` is written in exponent form (any number in it needs it)."""
    return any(_finite_number(v) and _needs_exponent(v) for v in values)  # type: ignore[arg-type]


def params(values: Sequence[object], limit: int | None = 60) -> list[str]:
    """A column of parameter values in ONE notation: its numbers all in exponent form when any
    needs it (an lr column reads ``3e-5``, ``1e-3``, ``1e-2``), else each as :func:`param`."""
    exponents = in_exponents(values)
    return [
        number(v, exponents=exponents) if _finite_number(v) else param(v, limit)  # type: ignore[arg-type]
        for v in values
    ]


def _finite_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def share(value: float | None) -> str:
    """A share of a whole (an importance) as a whole percent: ``76%``; ``<1%`` above 0."""
    if value is None or not math.isfinite(value):
        return "–"
    percent = int(_half_up(value * 100))
    return "<1%" if percent == 0 and value > 0 else f"{percent}%"


def _needs_exponent(value: float) -> bool:
    """Below 1e-4, or from 1e6 when not whole (1e15 when whole): the exponent form."""
    magnitude = abs(value)
    if magnitude == 0:
        return False
    if float(value).is_integer():
        return magnitude >= 1e15
    return magnitude < 1e-4 or magnitude >= 1e6


def _half_up(value: float) -> float:
    """Rounding as JavaScript's ``Math.round`` does, so both sides show the same digits."""
    return math.floor(value + 0.5)


def _whole(value: int) -> str:
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def _exponent(value: float) -> str:
    """``4.385e-5``, ``1.2e7``: four digits, no padding (as the lab extension writes it)."""
    mantissa, power = f"{value:.3e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(power)}"


def spread(mean: float, half: float | None, *, exponents: bool = False) -> str:
    """``0.9593 ± 0.0052``: the mean as :func:`number` says it, and its ± to the same
    decimals (two significant digits where those decimals would show 0); no ± without one.

    Repeats that all gave one value have an interval of width 0: not a certainty but no
    measured noise at all, so it reads ``0.96 (no spread)``, never ``0.96 ± 0``."""
    text = number(mean, exponents=exponents)
    if half is None:
        return text
    if no_spread(mean, half):
        return f"{text} (no spread)"
    return f"{text} ± {number(half, exponents=True) if exponents else half_width(mean, half)}"


def half_width(mean: float, half: float) -> str:
    """The ± of ``mean`` alone (``0.0052`` beside ``0.9593``), as :func:`spread` says it."""
    if not math.isfinite(half) or not math.isfinite(mean) or _needs_exponent(mean):
        return number(half)
    # the decimals of the mean's ~4 significant digits (trailing zeros count: 21 is 21.00)
    decimals = 0 if mean == 0 or abs(mean) >= 1000 else 3 - math.floor(math.log10(abs(mean)))
    shown = f"{half:.{decimals}f}"
    if float(shown) == 0:
        return "0" if no_spread(mean, half) else number(float(f"{half:.2g}"))
    return shown


def no_spread(mean: float, half: float) -> bool:
    """Whether a ± of ``half`` beside ``mean`` is no spread at all: 0, or float noise
    (0.38 ± 1.7e-16 from identical repeats)."""
    return math.isfinite(mean) and math.isfinite(half) and abs(half) <= abs(mean) * 1e-9


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def when(timestamp: float | None, now: float | None = None) -> str:
    """``3 min ago`` for recent times, a date for older ones."""
    if timestamp is None:
        return "–"
    delta = (now or time.time()) - timestamp
    if delta < 45:
        return "just now"
    if delta < 3600:
        return f"{round(delta / 60)} min ago"
    if delta < 86400:
        return f"{round(delta / 3600)} h ago"
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def first_line(text: str | None, limit: int = 90) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def param(value: object, limit: int | None = 60, *, exponents: bool = False) -> str:
    """A parameter's value; floats (also inside lists) at about 4 significant digits.

    ``limit=None`` keeps the whole text (the comparison, where the tail may be the
    difference the experiment is about).
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (float, int)):
        return number(value, exponents=exponents)
    text = _ROUNDED.sub(lambda m: number(float(m[0])), str(value))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


#: A float with more digits than a person reads, inside a longer text (a list, a config).
_ROUNDED = re.compile(r"(?<![\w.])-?\d+\.\d{5,}(?:[eE][-+]?\d+)?(?![\w.])")


def epoch(index: int | None) -> str:
    """Epochs are stored as Keras counts them (from 0) and shown as people do (from 1)."""
    return "" if index is None else str(index + 1)


def ago(timestamp: float | None, now: float | None = None) -> str:
    """``3 days ago``: how long before ``now``, in the largest whole unit."""
    if timestamp is None:
        return "–"
    delta = max(0.0, (now or time.time()) - timestamp)
    for unit, seconds in (("day", 86400), ("h", 3600), ("min", 60)):
        if delta >= seconds:
            count = round(delta / seconds)
            return f"{count} {unit}{'s' if unit == 'day' and count > 1 else ''} ago"
    return "just now"


def size(count: int | None) -> str:
    """Bytes for people: ``812 B``, ``45.12 kB``, ``1.234 MB`` (about 4 significant digits)."""
    if count is None:
        return "–"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.4g} {unit}"
    return f"{count} B"


def count(n: int, noun: str) -> str:
    """``1 point``, ``3 points``: a count with its noun (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def error_summary(text: str | None, limit: int = 200) -> str:
    """A recorded error in one line, ``Type: message``: the one rule every view follows.

    Keras wraps a layer's error as ``ValueError: Exception encountered when calling
    X.call().`` followed by the real message, then a dump of the arguments; the
    summary is the type with the real message, never the dump's last line.
    """
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[0]
    if "Exception encountered when calling" in line and len(lines) > 1:
        kind = line.split(":", 1)[0]
        line = f"{kind}: {lines[1]}"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def evidence(found: Mapping[str, object] | None) -> str:
    """`` · evidence: #41 vs #42: val_accuracy +0.004 (…): within noise``: what an inference
    rests on, as recorded with it, or nothing."""
    runs, said = (found or {}).get("runs"), (found or {}).get("said")
    if not isinstance(runs, list) or not runs or not said:
        return ""
    sides = " vs ".join("+".join(f"#{i}" for i in side) for side in runs)
    return f" · evidence: {sides}: {said}"
