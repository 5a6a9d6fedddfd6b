"""Small pure formatters shared by every view."""

from __future__ import annotations

import math
import time
from datetime import datetime


def number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1e5 or magnitude < 1e-3:
        return f"{value:.3g}"
    if magnitude >= 100:
        return f"{value:,.1f}"
    return f"{value:.4f}".rstrip("0").rstrip(".")


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


def param(value: object) -> str:
    if isinstance(value, float):
        return number(value)
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


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
