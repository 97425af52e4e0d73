"""Which runs a retention policy keeps: every run of the last days, and one a month before.

A shop that classifies every day keeps a run a day: at 1M customers each run's labels take
~140 MB, ~50 GB a year. The history a person reads (``kequn history``, the dashboard's
trend) needs recent runs day by day and older ones only month by month, as backup
rotation keeps them. So, with ``keep_days`` set:

- every run whose as-of date is within ``keep_days`` of the newest run's as-of date is
  kept (the newest run always);
- before that, with ``keep_monthly``, the last run of each calendar month (by as-of
  date; of several on that date, the one created last) is kept;
- every other run is removed.

Dates are the runs' as-of dates, not the clock's, so a workspace that was not run for a
while loses nothing by being run again, and a backfill (a run made later for an earlier
date) is judged by the date it describes. The segment events already recorded between
removed runs stay (they are the movement history, in the automation database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kequn.snapshots.runs import RunInfo


def runs_to_remove(
    runs: Iterable[RunInfo], *, keep_days: int, keep_monthly: bool = True
) -> list[RunInfo]:
    """The runs the policy removes, oldest first (``keep_days`` ≥ 0)."""
    if keep_days < 0:
        raise ValueError("keep_days must be 0 or more")
    listed = sorted(runs, key=lambda r: (r.as_of_date, r.created_at))
    if not listed:
        return []
    newest = listed[-1].as_of_date
    since = newest - dt.timedelta(days=keep_days)
    kept = {r.run_id for r in listed if r.as_of_date >= since}
    kept.add(listed[-1].run_id)
    if keep_monthly:
        last_of_month: dict[tuple[int, int], RunInfo] = {}
        for r in listed:  # sorted: the last one seen in a month is its last
            last_of_month[(r.as_of_date.year, r.as_of_date.month)] = r
        kept |= {r.run_id for r in last_of_month.values()}
    return [r for r in listed if r.run_id not in kept]
