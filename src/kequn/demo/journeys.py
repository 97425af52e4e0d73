"""The demo's journeys, and a built-in effect for ``kequn journeys report`` to find.

:func:`simulate_journeys` plays a month of marketing on a demo workspace:

1. it writes :data:`JOURNEYS_YAML` (a win-back journey for customers who entered
   *dormant*, and a "care" journey for those who entered *churned*, both to a file drop,
   with consent and a holdout) and classifies at ``T - 91 days`` and at ``T``, the latest
   order date; the after-publish hook queues the messages of the run at ``T``;
2. it delivers them for real (``kequn deliver`` to the file drop), then switches the
   journeys off so that the second run does not start a new, still open, window;
3. it appends the orders of the ``days`` after ``T``, imported like any order file: a
   customer of either journey returns (one order) with probability ``base``, and with
   ``base + lift`` if the win-back message to them was *sent*: the lift follows the
   outbox and the holdout the journey drew, not a list of customers; the care message
   has no effect at all. Customers outside both audiences buy at their own pace
   (``new``, ``active`` and ``loyal`` ones at their mean gap between orders);
4. it classifies at ``T + days`` and returns :func:`kequn.automation.report.journeys_report`.

With the defaults (a 10% return rate, +15 points for a delivered win-back message, a
30% holdout) the report finds the win-back uplift with a 95% interval above zero and the
care journey's around zero: seed 7 gives +14.5 points [+4.8, +24.3] against +3.9 [−2.6,
+10.4] at 5,000 customers, and +14.5 [+8.2, +20.9] against +1.7 [−3.4, +6.8] at 10,000.
The interval is about ±10 points at 5,000 customers and shrinks with the square root of
the audience; a chance "effect" in the care journey shows 5% of the time, as it should.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from kequn.core.i18n import MESSAGES, local, t
from kequn.demo._arrow import MONEY, ORDER_SCHEMA, make_table
from kequn.store.workspace import Workspace

MESSAGES.update(
    {
        "demo.journeys.run": ("分群（截至 {as_of}）", "classify as of {as_of}"),
        "demo.journeys.deliver": ("发送旅程消息", "deliver the journeys' messages"),
        "demo.journeys.orders": (
            "生成其后 {days} 天的订单",
            "make the orders of the {days} days after",
        ),
        "demo.journeys.effect": (
            (
                "{name}：干预组 {treated:,} 人，对照组 {holdout:,} 人；{days} 天内回购率 "
                "{rate_t:.1%} 对 {rate_h:.1%}，差 {diff:+.1%}"
                "（95% 置信区间 {low:+.1%} 至 {high:+.1%}）"
            ),
            (
                "{name}: treated {treated:,}, holdout {holdout:,}; returned within {days} "
                "days {rate_t:.1%} vs {rate_h:.1%}, {diff:+.1%} (95% CI {low:+.1%} to {high:+.1%})"
            ),
        ),
        "demo.journeys.simulated": (
            (
                "演示数据内置的效果：收到唤醒消息的客户回购率高 {points:.0f} 个百分点"
                "（基准 {base:.0%}）；关怀消息没有效果。"
            ),
            (
                "The effect built into the demo: customers sent the win-back message return "
                "{points:.0f} points more often (base {base:.0%}); the care message has none."
            ),
        ),
    }
)

#: the journeys the demo plays (also an example of journeys.yaml)
JOURNEYS_YAML = """\
# The demo's journeys: messages go to a file drop (drops/demo/, phones and e-mails
# hashed as ad platforms take them), so the demo needs no mail server or receiver.
channels:
  audience:
    type: file
    folder: drops/demo
    hash: sha256
journeys:
  - id: winback
    zh: 沉睡唤醒
    en: Win back the dormant
    trigger: {entered: lifecycle.dormant}
    channel: audience
    purpose: marketing
    templates:
      zh: {subject: "{{ customer.name }}，好久不见", body: "{{ reason }}。送您一张回归优惠券。"}
      en: {subject: "We miss you, {{ customer.name }}", body: "{{ reason }}. Here is a coupon."}
    holdout: 0.3
    conversion_days: 30
  - id: care
    zh: 流失关怀
    en: Churned customer care
    trigger: {entered: lifecycle.churned}
    channel: audience
    purpose: marketing
    templates:
      zh: {subject: "{{ customer.name }}，感谢您曾经的支持", body: "{{ reason }}。"}
      en: {subject: "Thank you, {{ customer.name }}", body: "{{ reason }}."}
    holdout: 0.3
    conversion_days: 30
"""

#: the journey whose delivered messages make customers return more often
EFFECT_JOURNEY = "winback"
NO_EFFECT_JOURNEY = "care"


def write_journeys(ws: Workspace, *, enabled: bool = True) -> Path:
    """The demo's ``journeys.yaml`` in ``ws`` (every journey switched on or off)."""
    data = yaml.safe_load(JOURNEYS_YAML)
    for journey in data["journeys"]:
        journey["enabled"] = enabled
    path = ws.root / "journeys.yaml"
    text = JOURNEYS_YAML if enabled else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def simulate_journeys(
    ws: Workspace,
    *,
    seed: int = 7,
    days: int = 30,
    base: float = 0.10,
    lift: float = 0.15,
    with_models: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Play the demo's journeys on ``ws`` (demo data imported, no runs yet) as the
    module describes; returns the journeys report after the second run, with
    ``effect`` (what was simulated) added."""
    from kequn import pipeline
    from kequn.automation import install
    from kequn.automation.deliver import deliver
    from kequn.automation.plan import process_run
    from kequn.automation.report import journeys_report

    def say(key: str, **kwargs: Any) -> None:
        if progress:
            progress(t(key, **kwargs))

    install()
    write_journeys(ws)
    with pipeline.make_engine(ws) as engine:
        latest = pipeline.latest_date(engine) or dt.date.today()
    run = None
    for as_of in (latest - dt.timedelta(days=91), latest):
        say("demo.journeys.run", as_of=as_of.isoformat())
        run = pipeline.run(ws, as_of=as_of, with_models=with_models)
    assert run is not None
    process_run(run)  # done by the hook already; a no-op then, needed if it failed
    say("demo.journeys.deliver")
    delivered = deliver(ws)
    write_journeys(ws, enabled=False)
    say("demo.journeys.orders", days=days)
    returned = _append_orders(ws, run, days=days, base=base, lift=lift, seed=seed)
    say("demo.journeys.run", as_of=(latest + dt.timedelta(days=days)).isoformat())
    pipeline.run(ws, as_of=latest + dt.timedelta(days=days), with_models=with_models)
    report = journeys_report(ws)
    report["effect"] = {
        "journey": EFFECT_JOURNEY,
        "no_effect_journey": NO_EFFECT_JOURNEY,
        "base": base,
        "lift": lift,
        "days": days,
        "trigger_as_of": latest.isoformat(),
        "delivered": delivered["sent"],
        **returned,
    }
    return report


def effect_lines(report: dict[str, Any], lang: str | None = None) -> list[str]:
    """What :func:`simulate_journeys` found, one line per journey, then what was built
    in, in the user's language (for the ``kequn demo`` summary)."""
    from kequn.automation.report import MIN_EVENTS, MIN_GROUP

    names = {j["id"]: j for j in yaml.safe_load(JOURNEYS_YAML)["journeys"]}
    lines = []
    for journey in report["journeys"]:
        d = journey.get("conversion_difference")
        if not d or d["ci_low"] is None:
            continue
        # the report's own caution: a small group (no holdout customer converting, say)
        # makes the normal interval far too narrow
        small = (
            " " + t("automation.too_small", lang, n=MIN_GROUP, k=MIN_EVENTS)
            if journey.get("too_small")
            else ""
        )
        lines.append(
            t(
                "demo.journeys.effect",
                lang,
                name=local(names[journey["journey"]], lang)
                if journey["journey"] in names
                else journey["name"],
                treated=journey["treated"]["customers"],
                holdout=journey["holdout"]["customers"],
                days=journey["window_days"],
                rate_t=journey["treated"]["conversion"],
                rate_h=journey["holdout"]["conversion"],
                diff=d["difference"],
                low=d["ci_low"],
                high=d["ci_high"],
            )
            + small
        )
    effect = report.get("effect") or {}
    if effect:
        lines.append(
            t("demo.journeys.simulated", lang, points=effect["lift"] * 100, base=effect["base"])
        )
    return lines


def _append_orders(
    ws: Workspace, run: Any, *, days: int, base: float, lift: float, seed: int
) -> dict[str, int]:
    """The ``days`` after the run's as-of date: orders written to Parquet and imported."""
    from kequn.automation import db
    from kequn.ingest.importer import import_file

    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT a.customer_id, bool_or(a.journey_id = ? AND a.grp = 'treated' "
            "AND o.status = 'sent') AS lifted "
            "FROM assignments a LEFT JOIN outbox o USING (message_id) "
            "WHERE a.run_id = ? AND a.journey_id IN (?, ?) AND a.grp IN ('treated', 'holdout') "
            "GROUP BY a.customer_id ORDER BY a.customer_id",
            [EFFECT_JOURNEY, run.run_id, EFFECT_JOURNEY, NO_EFFECT_JOURNEY],
        ).fetchall()
    audience = np.array([r[0] for r in rows], dtype=object)
    lifted = np.array([bool(r[1]) for r in rows], dtype=bool)
    con = duckdb.connect()
    try:
        rows = run.rows_sql()  # our own run folder
        others = con.execute(
            "SELECT customer_id, coalesce(avg_order_value, 100)::DOUBLE, "
            "greatest(coalesce(mean_days_between_orders, 60), 7)::DOUBLE "
            f"FROM {rows} WHERE lifecycle IN ('new', 'active', 'loyal') "
            "ORDER BY customer_id"
        ).fetchall()
        aov = dict(
            con.execute(
                f"SELECT customer_id, coalesce(avg_order_value, 100)::DOUBLE FROM {rows}"
            ).fetchall()
        )
    finally:
        con.close()
    in_audience = set(audience.tolist())
    others = [r for r in others if r[0] not in in_audience]
    rng = np.random.default_rng([seed, 17])
    # the audience: one order or none, the chance set by the delivered win-back message
    back = rng.random(len(audience)) < np.where(lifted, base + lift, base)
    ids = list(audience[back])
    values = [aov.get(cid) or 100.0 for cid in ids]
    # everyone else active: orders at their own pace
    counts = rng.poisson(days / np.array([r[2] for r in others] or [1.0]))[: len(others)]
    for (cid, value, _), count in zip(others, counts, strict=True):
        ids += [cid] * int(count)
        values += [value] * int(count)
    n = len(ids)
    start = np.datetime64(run.as_of_date, "us") + np.timedelta64(1, "D")
    offsets = (rng.random(n) * days * 86_400_000_000).astype(np.int64)
    when = start + offsets.astype("timedelta64[us]")
    seq = np.arange(n)
    tag = f"d{run.as_of_date:%Y%m%d}"
    table = make_table(
        ORDER_SCHEMA,
        {
            "order_id": pa.array([f"{cid}-{tag}-{i}" for cid, i in zip(ids, seq, strict=True)]),
            "customer_id": pa.array(ids, pa.string()),
            "ordered_at": pa.array(when, pa.timestamp("us")),
            "amount": pa.array(
                np.round(np.array(values) * rng.lognormal(0, 0.35, n), 2), pa.float64()
            ).cast(MONEY, safe=False),
            "quantity": pa.array(np.ones(n, dtype=np.int64), pa.int64()),
            "discount": pa.array(np.zeros(n), pa.float64()).cast(MONEY, safe=False),
            "channel": pa.array(["app"] * n, pa.string()),
            "status": pa.array(["paid"] * n, pa.string()),
        },
    )
    folder = ws.tmp_dir / "demo-journeys"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path_out = folder / "orders-after.parquet"
        pq.write_table(table, path_out)
        import_file(ws, "orders", path_out, create_customers=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "audience": len(audience),
        "lifted": int(lifted.sum()),
        "returned": int(back.sum()),
        "orders": n,
    }
