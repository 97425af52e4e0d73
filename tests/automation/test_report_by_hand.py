"""``kequn journeys report`` checked by hand: the groups, conversions and revenue of a
journey recomputed here in plain Python from the assignments and the orders, with the
Wald and Welch intervals from their textbook formulas; and the holdout is the share
asked for and the same customers on every run."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict

from automation_helpers import TEMPLATES, runs, unprocess, write_journeys

from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.automation.report import Z95, journeys_report
from kequn.store.workspace import Workspace


def test_the_report_matches_a_computation_by_hand(aws: Workspace) -> None:
    early, late = runs(aws)
    write_journeys(
        aws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "templates": TEMPLATES, "holdout": 0.4, "conversion_days": 30,
                       "frequency_cap": None, "consent_required": False}]},
    )  # fmt: skip
    unprocess(aws)
    process_run(early)
    process_run(late)
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT customer_id, grp, as_of, run_id FROM assignments WHERE journey_id = 'buyers'"
        ).fetchall()
    by_run: dict[str, dict[str, str]] = defaultdict(dict)
    first: dict[str, tuple[dt.date, str, str]] = {}
    for cid, grp, as_of, run_id in rows:
        by_run[run_id][cid] = grp
        if grp in ("treated", "holdout") and (cid not in first or (as_of, run_id) < first[cid][:2]):
            first[cid] = (as_of, run_id, grp)
    # stable: whoever both runs randomised is in the same group in both
    both = set(by_run[early.run_id]) & set(by_run[late.run_id])
    assert len(both) > 50
    assert all(by_run[early.run_id][c] == by_run[late.run_id][c] for c in both)
    held = sum(1 for _, _, g in first.values() if g == "holdout")
    assert 0.3 < held / len(first) < 0.5  # 40% asked, ~150 customers
    with aws.read() as con:
        orders = con.execute(
            "SELECT customer_id, ordered_at, amount, refunded, status FROM orders"
        ).fetchall()
    money: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for cid, at, amount, refunded, status in orders:
        if status in (None, "paid", "partially_refunded"):
            money[cid].append((at, float(amount) - float(refunded or 0)))
    groups: dict[str, list[tuple[int, float]]] = {"treated": [], "holdout": []}
    for cid, (as_of, _, grp) in first.items():
        start = dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
        end = start + dt.timedelta(days=30)
        kept = [v for at, v in money[cid] if start <= at < end]
        groups[grp].append((1 if kept else 0, sum(kept)))
    (row,) = journeys_report(aws, lang="en")["journeys"]
    for grp, values in groups.items():
        n = len(values)
        assert row[grp]["customers"] == n
        assert row[grp]["conversions"] == sum(c for c, _ in values)
        assert math.isclose(row[grp]["revenue_per_customer"], sum(r for _, r in values) / n)
    t, h = groups["treated"], groups["holdout"]
    assert all(0 < sum(c for c, _ in g) < len(g) for g in (t, h))  # something to compare
    pt, ph = (sum(c for c, _ in g) / len(g) for g in (t, h))
    se = math.sqrt(pt * (1 - pt) / len(t) + ph * (1 - ph) / len(h))
    conversion = row["conversion_difference"]
    assert math.isclose(conversion["difference"], pt - ph, abs_tol=1e-12)
    assert math.isclose(conversion["ci_low"], pt - ph - Z95 * se, abs_tol=1e-12)
    assert math.isclose(conversion["ci_high"], pt - ph + Z95 * se, abs_tol=1e-12)
    rt, rh = [r for _, r in t], [r for _, r in h]
    welch = math.sqrt(statistics.variance(rt) / len(rt) + statistics.variance(rh) / len(rh))
    revenue = row["revenue_difference"]
    gap = statistics.fmean(rt) - statistics.fmean(rh)
    assert math.isclose(revenue["difference"], gap, abs_tol=1e-9)
    assert math.isclose(revenue["ci_low"], gap - Z95 * welch, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(revenue["ci_high"], gap + Z95 * welch, rel_tol=1e-9, abs_tol=1e-6)
