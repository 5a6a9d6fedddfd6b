"""Bounded waits on the journal, and the memory of a journal found unavailable.

A PostgreSQL server that accepts a connection and never answers, or one frozen
mid-query, would block the caller for minutes: the driver has no client-side
bound on a query, and a server-side ``statement_timeout`` is not enforced by a
server that is not running. So every call on the user's path runs in a helper
thread and is waited for at most :func:`nbjournal.config.timeout` seconds; the
helper thread, if stuck, is left to the driver (it is a daemon).

A journal that failed is remembered for :func:`nbjournal.config.retry_after`
seconds: the following cells do not wait on it again, they go on at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from ..config import retry_after, timeout
from ..errors import JournalUnavailable, TooSlow

T = TypeVar("T")

_down: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def mark_unavailable(url: str, reason: str) -> None:
    """Remember that ``url`` failed just now, for :func:`nbjournal.config.retry_after` seconds."""
    with _lock:
        _down[url] = (time.monotonic(), reason)


def mark_available(url: str) -> None:
    with _lock:
        _down.pop(url, None)


def check_available(url: str) -> None:
    """Raise at once when ``url`` failed less than the back-off ago; otherwise return."""
    with _lock:
        found = _down.get(url)
        if found is None:
            return
        since, reason = found
        if time.monotonic() - since >= retry_after():
            del _down[url]
            return
    raise JournalUnavailable(reason)


def bounded(url: str, call: Callable[[], T], bound: float | None = None) -> T:
    """``call()``, waited for at most ``bound`` seconds (default: the configured timeout).

    A journal error or a timeout marks ``url`` unavailable (see :func:`check_available`),
    and is raised as :class:`JournalUnavailable` with a message fit for the user.
    """
    check_available(url)
    limit = timeout() if bound is None else bound
    values: list[T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            values.append(call())
        except BaseException as error:  # handed to the caller's thread
            errors.append(error)
        finally:
            done.set()

    threading.Thread(target=work, name="nbjournal-bounded", daemon=True).start()
    if not done.wait(limit):
        reason = f"the journal did not answer within {limit:g} s"
        mark_unavailable(url, reason)
        raise JournalUnavailable(reason)
    if errors:
        if isinstance(errors[0], JournalUnavailable) and not isinstance(errors[0], TooSlow):
            mark_unavailable(url, str(errors[0]))
        raise errors[0]
    return values[0]
