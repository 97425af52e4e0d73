"""A run's as-of date as people write it, and the newest date in an engine's data (the
date a run is for by default, :func:`kequn.pipeline.resolve_as_of`)."""

from __future__ import annotations

import datetime as dt
import weakref
import zoneinfo
from typing import Any

from kequn.core.compute import Engine
from kequn.store.settings import EARLIEST_AS_OF, LATEST_AS_OF_DAYS
from kequn.taxonomy.thresholds import scalars

__all__ = [
    "EARLIEST_AS_OF",
    "LATEST_AS_OF_DAYS",
    "as_of_from_text",
    "latest_date",
    "local_today",
]

#: each engine's latest date: an engine reads one published generation, which never
#: changes, and a run needs the date twice (its as-of date, the feature state)
_LATEST: weakref.WeakKeyDictionary[Engine, dt.date | None] = weakref.WeakKeyDictionary()


def latest_date(engine: Engine) -> dt.date | None:
    """The latest order or event date in the data (None when there is neither), read once
    per engine, in one query."""
    if engine in _LATEST:
        return _LATEST[engine]
    tables = engine.tables()
    found = scalars(
        engine,
        {
            "orders": tables["orders"].ordered_at.max(),
            "events": tables["events"].occurred_at.max(),
        },
    )
    dates = [d for d in map(_as_date, found.values()) if d is not None]
    _LATEST[engine] = newest = max(dates) if dates else None
    return newest


def _as_date(value: Any) -> dt.date | None:
    # an empty table's max is NULL, which pandas hands back as NaT (a datetime subclass)
    if value is None or value != value:  # noqa: PLR0124 - NaN and NaT are not equal to themselves
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def local_today(timezone: str | None) -> dt.date:
    """Today where the business is (the workspace's ``timezone``), which the machine's
    own date is not: a server kept in UTC for a shop in Shanghai is still on yesterday
    from midnight to 8 a.m. there, and a run "as of today" then left out the day's
    orders (stored in the shop's own time). The machine's date for a zone it does not
    know."""
    try:
        return dt.datetime.now(zoneinfo.ZoneInfo(timezone or "")).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.date.today()


def as_of_from_text(text: str | None, today: dt.date | None = None) -> dt.date | None:
    """An as-of date as people write it: YYYY-MM-DD, "today" (``today``, by default the
    machine's: give :func:`local_today` of the workspace), or "latest"/None (the
    workspace's rule). Raises ValueError with the text for anything else, a date before
    :data:`EARLIEST_AS_OF` or more than :data:`LATEST_AS_OF_DAYS` after today included."""
    today = today or dt.date.today()
    if text is None or text.strip() in ("", "latest"):
        return None
    if text.strip() == "today":
        return today
    day = dt.date.fromisoformat(text.strip())
    if not EARLIEST_AS_OF <= day <= today + dt.timedelta(days=LATEST_AS_OF_DAYS):
        raise ValueError(f"as-of date out of range: {text}")
    return day
