"""The one clock of the core: today's date and the current time, in one place.

Services, registers and (later) retention read the time only through these functions, so
a test or a retention run can set the date in one place (:func:`frozen`) instead of
patching a dozen copies.  Stored timestamps are UTC; "today" is the local calendar day of
the workstation, as the people at the table mean it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

_state = threading.local()


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    fixed: dt.datetime | None = getattr(_state, "fixed", None)
    return fixed if fixed is not None else dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """The current local wall-clock time, without a timezone (meeting times are kept so)."""
    return now().astimezone().replace(tzinfo=None)


def today() -> dt.date:
    """The local calendar day."""
    return now().astimezone().date()


def utc_now_iso(timespec: str = "seconds") -> str:
    """The current UTC time as ISO 8601, e.g. ``2026-12-01T09:30:00+00:00``."""
    return now().isoformat(timespec=timespec)


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Within this block (in this thread) the clock stands at ``at`` (timezone-aware)."""
    if at.tzinfo is None:
        raise ValueError("frozen() needs a timezone-aware time")
    before = getattr(_state, "fixed", None)
    _state.fixed = at
    try:
        yield
    finally:
        _state.fixed = before
