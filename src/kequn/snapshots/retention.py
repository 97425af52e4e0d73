"""Which runs a retention policy keeps: every run of the last days, and one a month before.

A shop that classifies every day keeps a run a day: at 1M customers each run's labels take
~140 MB, ~50 GB a year. The history a person reads (``kequn history``, the dashboard's
trend) needs recent runs day by day and older ones only month by month, as backup
rotation keeps them. So, with ``keep_days`` set, a run is kept when any of these holds:

- its as-of date is within ``keep_days`` of the newest run's as-of date, or of today's
  date when that is earlier (a run made for a mistyped date in the future does not take
  the window with it);
- it was made within the last ``keep_days`` days (a backfill, a run made today for an
  old date, is not removed by the run that made it, nor for ``keep_days`` after);
- it is the newest run, or the run before it (by as-of date), which ``kequn history``
  and the dashboard's overview compare it with;
- with ``keep_monthly``, it is the last run of its calendar month (by as-of date; of
  several on that date, the one made last).

Every other run is removed. The segment events already recorded between removed runs
stay (they are the movement history, in the automation database), for a period of their
own (``keep_events_days``: :func:`kequn.automation.retention.prune_events`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kequn.snapshots.runs import RunInfo, previous_run


def runs_to_remove(
    runs: Iterable[RunInfo],
    *,
    keep_days: int,
    keep_monthly: bool = True,
    now: dt.datetime | None = None,
) -> list[RunInfo]:
    """The runs the policy removes, oldest first (``keep_days`` ≥ 0; ``now``: the
    clock, local time, as the runs' ``created_at``)."""
    if keep_days < 0:
        raise ValueError("keep_days must be 0 or more")
    listed = sorted(runs, key=lambda r: (r.as_of_date, r.created_at))
    if not listed:
        return []
    now = now or dt.datetime.now()
    newest = listed[-1]
    reference = min(newest.as_of_date, now.date())
    if keep_days >= (reference - dt.date.min).days:
        return []  # a window longer than the calendar: every run is kept
    since = reference - dt.timedelta(days=keep_days)
    made_since = now - dt.timedelta(days=keep_days)
    kept = {r.run_id for r in listed if r.as_of_date >= since or _made(r) >= made_since}
    kept.add(newest.run_id)
    before = previous_run(newest, listed)
    if before is not None:
        kept.add(before.run_id)
    if keep_monthly:
        last_of_month: dict[tuple[int, int], RunInfo] = {}
        for r in listed:  # sorted: the last one seen in a month is its last
            last_of_month[(r.as_of_date.year, r.as_of_date.month)] = r
        kept |= {r.run_id for r in last_of_month.values()}
    return [r for r in listed if r.run_id not in kept]


def _made(run: RunInfo) -> dt.datetime:
    """When the run was made, as a naive local time (as ``created_at`` is written)."""
    try:
        made = dt.datetime.fromisoformat(run.created_at)
    except ValueError:
        return dt.datetime.max  # unreadable: treated as new, so kept
    return made.replace(tzinfo=None)
