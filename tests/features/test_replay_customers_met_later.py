"""A run as of an earlier date leaves out the customers met later: a customer without a
creation date (as an order export's buyers are) whose first order or interaction comes
after the as-of date was listed as a prospect ('no paid order yet') in the replay."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

CUSTOMERS = "id,name\nearly,甲\nlater,乙\nvisitor,丙\nquiet,丁\n"
ORDERS = (
    "order_id,customer_id,ordered_at,amount\n"
    "o1,early,2025-01-10,100\n"
    "o2,later,2025-04-10,100\n"
    "o3,early,2025-04-20,100\n"
)
EVENTS = "customer_id,occurred_at,type\nvisitor,2025-04-01,view\n"


def _lifecycles(runner: CliRunner, ws: Path) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for cid in ("early", "later", "visitor", "quiet"):
        shown = runner.invoke(app, ["show", cid, "-w", str(ws), "--json"])
        if shown.exit_code != 0:
            out[cid] = None  # not in the run
            continue
        dims = {d["dimension"]: d["labels"] for d in json.loads(shown.stdout)["dimensions"]}
        out[cid] = dims["lifecycle"][0]["label"]
    return out


def test_a_replay_leaves_out_customers_met_later(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    i18n.set_lang(None)
    try:
        assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
        for table, text in (("customers", CUSTOMERS), ("orders", ORDERS), ("events", EVENTS)):
            path = tmp_path / f"{table}.csv"
            path.write_text(text, encoding="utf-8")
            done = runner.invoke(app, ["import", table, str(path), "-w", str(ws)])
            assert done.exit_code == 0, done.output
        done = runner.invoke(app, ["run", "-w", str(ws), "--as-of", "2025-02-01"])
        assert done.exit_code == 0, done.output
        # 'quiet' has nothing dated: nothing says it is new, so it stays
        assert _lifecycles(runner, ws) == {
            "early": "new",
            "later": None,
            "visitor": None,
            "quiet": "prospect",
        }
        done = runner.invoke(app, ["run", "-w", str(ws), "--as-of", "2025-04-30"])
        assert done.exit_code == 0, done.output
        assert _lifecycles(runner, ws) == {
            "early": "active",
            "later": "new",
            "visitor": "prospect",
            "quiet": "prospect",
        }
    finally:
        i18n.set_lang(None)
