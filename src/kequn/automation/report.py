"""Does a journey work? Treated against holdout, per journey.

Each customer counts once per journey, in the group of their first randomised
assignment to it (the first run, by as-of date then run id, that put them in treated or
holdout): intention to treat. A journey whose trigger is a rule ("the rule holds now")
assigns the same customer again on every run the rule still holds; those later
assignments neither add a customer nor move one to the other group (one held out first
and treated later, say after the holdout share changed, stays in the holdout), and
their outcome window starts at that first assignment. Runs that left a customer out
before that (the control group, or excluded: no consent yet, no address) do not count:
a customer who consents later enters the report when they are first randomised.

Conversion is any paid order within ``conversion_days`` after that first run's as-of
date, and revenue is the money kept from those orders. The report gives each group's
size, conversion rate and revenue per customer, and the difference (treated − holdout)
with a 95% confidence interval: Wald for the difference of two proportions, Welch for
the difference of two means. Treated counts every customer assigned to be treated, also
those the frequency cap held back. ``triggered_from`` and ``triggered_to`` are the first
and last as-of dates at which a counted customer entered.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pyarrow as pa

from kequn.automation import db
from kequn.automation.journeys import Journeys, load_journeys
from kequn.core.i18n import local, t
from kequn.pipeline import workspace_taxonomy
from kequn.store.workspace import Workspace

Z95 = 1.959963984540054
#: below this many customers in a group, or fewer than this many converting or not
#: converting in one, the normal approximations behind the intervals do not hold
MIN_GROUP = 30
MIN_EVENTS = 5
_PAID = ("paid", "partially_refunded")


def _diff_ci(a: float, b: float, se: float) -> dict[str, float | None]:
    diff = a - b
    if not math.isfinite(se):
        return {"difference": diff, "ci_low": None, "ci_high": None}
    return {"difference": diff, "ci_low": diff - Z95 * se, "ci_high": diff + Z95 * se}


def compare(treated: dict[str, float], holdout: dict[str, float]) -> dict[str, Any]:
    """Conversion and revenue per customer of two groups (n, conversions, revenue sum and
    sum of squares) with the differences and their 95% intervals."""
    nt, nh = treated["n"], holdout["n"]
    out: dict[str, Any] = {"treated": {"customers": int(nt)}, "holdout": {"customers": int(nh)}}
    for name, g in (("treated", treated), ("holdout", holdout)):
        n = g["n"]
        out[name]["conversions"] = int(g["converted"])
        out[name]["conversion"] = g["converted"] / n if n else None
        out[name]["revenue_per_customer"] = g["revenue"] / n if n else None
    if nt and nh:
        pt, ph = treated["converted"] / nt, holdout["converted"] / nh
        se = math.sqrt(pt * (1 - pt) / nt + ph * (1 - ph) / nh)
        out["conversion_difference"] = _diff_ci(pt, ph, se)
        var = []
        for g in (treated, holdout):
            n, mean = g["n"], g["revenue"] / g["n"]
            var.append((g["revenue_sq"] - n * mean * mean) / (n - 1) if n > 1 else math.inf)
        se_rev = math.sqrt(var[0] / nt + var[1] / nh)
        out["revenue_difference"] = _diff_ci(
            treated["revenue"] / nt, holdout["revenue"] / nh, se_rev
        )
    else:
        out["conversion_difference"] = None
        out["revenue_difference"] = None
    small = min(nt, nh) < MIN_GROUP or any(
        min(g["converted"], g["n"] - g["converted"]) < MIN_EVENTS for g in (treated, holdout)
    )
    out["too_small"] = bool(small)
    return out


def journeys_report(
    ws: Workspace, *, days: int | None = None, lang: str | None = None
) -> dict[str, Any]:
    """The uplift of every journey with assignments (see the module's description)."""
    try:
        journeys = load_journeys(ws, workspace_taxonomy(ws))
    except ValueError:
        journeys = Journeys()
    if not db.exists(ws):
        return {"journeys": []}
    with db.connect(ws) as con:
        assigned = con.execute(
            "SELECT journey_id, customer_id, grp, as_of FROM assignments "
            "WHERE grp IN ('treated', 'holdout') "
            "QUALIFY row_number() OVER (PARTITION BY journey_id, customer_id "
            "ORDER BY as_of, run_id) = 1"
        ).fetch_arrow_table()
    ids = sorted(set(assigned.column("journey_id").to_pylist()))
    windows = pa.table(
        {
            "journey_id": pa.array(ids, pa.string()),
            "days": pa.array(
                [
                    days or (journeys.journey(j).conversion_days if journeys.journey(j) else 30)  # type: ignore[union-attr]
                    for j in ids
                ],
                pa.int64(),
            ),
        }
    )
    with ws.read() as con:
        con.register("assigned", assigned)
        con.register("windows", windows)
        latest = con.execute("SELECT max(ordered_at) FROM orders").fetchone()
        rows = con.execute(
            f"""
            WITH a AS (
                SELECT a.journey_id, a.customer_id, a.grp, a.as_of, w.days FROM assigned a
                JOIN windows w USING (journey_id)
            ), per AS (
                SELECT a.journey_id, a.customer_id, a.grp, a.as_of, a.days,
                       count(o.order_id) AS orders,
                       coalesce(sum(o.amount - coalesce(o.refunded, 0)), 0)::DOUBLE AS revenue
                FROM a LEFT JOIN orders o ON o.customer_id = a.customer_id
                 AND (o.status IS NULL OR o.status IN {_PAID!r})
                 AND o.ordered_at >= a.as_of + INTERVAL 1 DAY
                 AND o.ordered_at < a.as_of + INTERVAL 1 DAY + to_days(a.days::INTEGER)
                GROUP BY ALL
            )
            SELECT journey_id, grp, count(*), count(*) FILTER (WHERE orders > 0),
                   sum(revenue), sum(revenue * revenue), max(as_of), min(as_of), max(days)
            FROM per GROUP BY ALL ORDER BY ALL
            """
        ).fetchall()
    last_order = latest[0].date() if latest and latest[0] else None
    groups: dict[str, dict[str, Any]] = {}
    for jid, grp, n, conv, rev, rev_sq, last, first, window in rows:
        entry = groups.setdefault(jid, {"window_days": int(window), "first": first, "last": last})
        entry[grp] = {
            "n": float(n), "converted": float(conv), "revenue": float(rev or 0),
            "revenue_sq": float(rev_sq or 0),
        }  # fmt: skip
        entry["last"] = max(entry["last"], last)
        entry["first"] = min(entry["first"], first)
    empty = {"n": 0.0, "converted": 0.0, "revenue": 0.0, "revenue_sq": 0.0}
    out = []
    for jid, entry in groups.items():
        journey = journeys.journey(jid)
        result = compare(entry.get("treated", empty), entry.get("holdout", empty))
        complete = bool(
            last_order and entry["last"] + dt.timedelta(days=entry["window_days"]) <= last_order
        )
        notes = []
        if result["too_small"]:
            notes.append(t("automation.too_small", lang, n=MIN_GROUP, k=MIN_EVENTS))
        if not complete:
            notes.append(t("automation.window_open", lang, days=entry["window_days"]))
        out.append(
            {
                "journey": jid,
                "name": local(journey, lang) if journey else jid,
                "window_days": entry["window_days"],
                "triggered_from": entry["first"].isoformat(),
                "triggered_to": entry["last"].isoformat(),
                "window_complete": complete,
                **result,
                "notes": notes,
            }
        )
    return {"journeys": out, "orders_until": last_order.isoformat() if last_order else None}
