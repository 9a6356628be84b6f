"""The service's notion of "now", for the decisions that depend on the time of day.

Service hours, the wait a customer is promised and ticket deadlines all read `now()`. In production
it is the system clock. `KEFU_CLOCK` (an ISO-8601 instant with its offset, e.g.
`2026-12-07T08:59:00+08:00`) starts the stack's clock at that instant instead; it then runs forward
in real time. Tests use it to run the real stack at 08:59 or 22:00 in the shop's timezone while the
machine's clock says something else. Both the gateway and the action server import this module,
so it uses the standard library only.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

CLOCK_VARIABLE = "KEFU_CLOCK"

_offset: timedelta | None = None
_offset_source: str | None = None


class ClockError(ValueError):
    """`KEFU_CLOCK` is set to something that is not an instant."""


def _parse(value: str) -> datetime:
    try:
        instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ClockError(f"{CLOCK_VARIABLE}={value!r} is not an ISO-8601 instant such as "
                         f"2026-12-07T08:59:00+08:00") from error
    if instant.tzinfo is None:
        raise ClockError(f"{CLOCK_VARIABLE}={value!r} has no UTC offset; write e.g. 2026-12-07T08:59:00+08:00")
    return instant


def _current_offset() -> timedelta:
    """The difference between the configured start instant and the real clock, fixed at first use."""
    global _offset, _offset_source
    source = os.environ.get(CLOCK_VARIABLE) or ""
    if _offset is None or source != _offset_source:
        _offset_source = source
        _offset = (_parse(source) - datetime.now(timezone.utc)) if source else timedelta(0)
    return _offset


def now() -> datetime:
    """The current instant, aware, in UTC."""
    offset = _current_offset()  # first: at the first read, `now()` is then never before KEFU_CLOCK
    return datetime.now(timezone.utc) + offset


def naive_utc_now() -> datetime:
    """`now()` without its zone: how the gateway's database stores instants."""
    return now().replace(tzinfo=None)
