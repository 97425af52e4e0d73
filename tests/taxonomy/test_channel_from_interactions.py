"""The channel dimension follows the spec: "declared preference, else the mix of order and
interaction channels" (TAXONOMY.md). Only the orders' channels counted: a prospect who
only writes on WeChat had no channel, and a buyer of one Tmall order who otherwise comes
to the store and calls was 'online'. The reason says which evidence decided."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

CUSTOMERS = (
    "id,name,preferred_channel\nchatter,甲,\nvisitor,乙,\ncaller,丙,\nquiet,丁,\ndeclared,戊,门店\n"
)
ORDERS = (
    "order_id,customer_id,ordered_at,amount,channel\n"
    "o1,visitor,2025-04-01,100,天猫\n"
    "o2,caller,2025-04-02,100,门店\n"
    "o3,declared,2025-04-03,100,天猫\n"
    "o4,quiet,2025-04-04,100,\n"
)
EVENTS = (
    "customer_id,occurred_at,type,channel\n"
    "chatter,2025-04-05,inquiry,微信\n"
    "chatter,2025-04-06,inquiry,微信\n"
    "chatter,2025-04-07,email_open,email\n"
    "visitor,2025-04-08,visit,门店\n"
    "visitor,2025-04-09,visit,门店\n"
    "visitor,2025-04-10,call,电话\n"
    "caller,2025-04-11,call,电话\n"
    "quiet,2025-04-12,view,\n"
    "declared,2025-04-13,click,app\n"
)


def _channels(runner: CliRunner, ws: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for cid in ("chatter", "visitor", "caller", "quiet", "declared"):
        shown = runner.invoke(app, ["show", cid, "-w", str(ws), "--json"])
        assert shown.exit_code == 0, shown.output
        dims = {d["dimension"]: d["labels"] for d in json.loads(shown.stdout)["dimensions"]}
        (label,) = dims["channel"]
        out[cid] = (label["label"], label["reason"])
    return out


def test_channel_counts_orders_and_interactions(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    i18n.set_lang("en")
    try:
        assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
        for table, text in (("customers", CUSTOMERS), ("orders", ORDERS), ("events", EVENTS)):
            path = tmp_path / f"{table}.csv"
            path.write_text(text, encoding="utf-8")
            done = runner.invoke(app, ["import", table, str(path), "-w", str(ws)])
            assert done.exit_code == 0, done.output
        done = runner.invoke(app, ["run", "-w", str(ws), "--no-models"])
        assert done.exit_code == 0, done.output
        found = _channels(runner, ws)
    finally:
        i18n.set_lang(None)
    # no order: the interactions alone decide
    assert found["chatter"] == (
        "online",
        "no stated preference; no paid order yet, and 100% of interactions (total: 3) were online",
    )
    # one Tmall order, two store visits and a call: 3 of 4 contacts offline
    assert found["visitor"] == (
        "offline",
        (
            "no stated preference; 75% of orders and interactions together were offline"
            " (orders: 0%, interactions: 100%)"
        ),
    )
    assert found["caller"][0] == "offline"
    # an order and a view of no known channel are neither
    assert found["quiet"][0] == "unknown"
    # a stated preference comes first
    assert found["declared"] == ("offline", "states a preference for offline contact")
