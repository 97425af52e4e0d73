"""A scheduled job's whole chain against real parts: sync pulls a saved PostgreSQL source
(see conftest.py), run classifies what arrived, deliver posts the journey's messages to a
webhook receiver on loopback. Fired by the scheduler's tick with an injected clock."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import zoneinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import yaml

from kequn.automation import install
from kequn.automation.schedule import Scheduler, records, schedule_status
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class _Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()


@pytest.fixture
def hook() -> Any:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    handler = type("Hook", (_Hook,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/hook", handler.received
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_a_scheduled_job_syncs_runs_and_delivers(
    pg_server: Any, ws: Workspace, monkeypatch: pytest.MonkeyPatch, hook: Any
) -> None:
    url, received = hook
    pg_server.execute(
        "DROP TABLE IF EXISTS sched_orders",
        "CREATE TABLE sched_orders (order_id VARCHAR(20) PRIMARY KEY, customer_id VARCHAR(20), "
        "phone VARCHAR(20), ordered_at TIMESTAMP, amount DECIMAL(12, 2), status VARCHAR(20), "
        "updated_at TIMESTAMP)",
        "INSERT INTO sched_orders VALUES "
        "('O1', 'C001', '13800000001', '2026-09-03 10:00:00', 100.00, 'paid', '2026-09-03 10:00:00'), "
        "('O2', 'C002', '13800000002', '2026-09-04 11:00:00', 50.50, 'paid', '2026-09-04 11:00:00'), "
        "('O3', 'C001', '13800000001', '2026-09-20 11:00:00', 80.00, 'paid', '2026-09-20 11:00:00')",
    )
    monkeypatch.setenv("KQ_SCHED_URL", pg_server.url)
    monkeypatch.setenv("KQ_SCHED_SECRET", "hook-secret")
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[sources.shop]\nurl_env = "KQ_SCHED_URL"\ntable = "sched_orders"\n'
            'kind = "orders"\nwatermark = "updated_at"\n'
            '\n[schedule]\ndaily = { at = "06:00", steps = ["sync", "run", "deliver"] }\n'
        )
    (ws.root / "journeys.yaml").write_text(
        yaml.safe_dump(
            {
                "delivery": {"max_attempts": 3, "backoff_seconds": 0.01, "batch": 10},
                "channels": {"crm": {"type": "webhook", "url": url, "secret_env": "KQ_SCHED_SECRET"}},
                "journeys": [
                    {"id": "thanks", "purpose": "service", "trigger": {"rule": "orders >= 1"},
                     "channel": "crm", "frequency_cap": None,
                     "templates": {"zh": {"subject": "谢谢", "body": "谢谢您的订单"},
                                   "en": {"subject": "Thanks", "body": "Thank you for your order"}}},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )  # fmt: skip
    install()
    ws = Workspace.open(ws.root)
    now = [dt.datetime(2026, 12, 1, 5, 30, tzinfo=SHANGHAI)]
    scheduler = Scheduler(ws, clock=lambda: now[0], deliver_seconds=0)
    assert scheduler.tick() == []  # first sight
    now[0] = dt.datetime(2026, 12, 1, 6, 0, 2, tzinfo=SHANGHAI)
    (record,) = scheduler.tick()
    assert record["outcome"] == "ok", record
    assert [s["step"] for s in record["steps"]] == ["sync", "run", "deliver"]
    assert record["steps"][0]["detail"] == "shop: +3 ~0 !0"
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders WHERE origin = 'shop'").fetchone() == (3,)
    (run,) = list_runs(ws)
    assert run.customers == 2
    assert record["steps"][1]["detail"] == f"{run.run_id} (2)"
    assert record["steps"][2]["detail"] == "sent 2, failed 0"
    assert sorted(m["customer_id"] for m in received) == ["shop:C001", "shop:C002"]
    assert pg_server.password not in json.dumps(records.history(ws, limit=100))

    # the next day: a known customer's new order arrives; the job syncs only it
    pg_server.execute(
        "INSERT INTO sched_orders VALUES "
        "('O4', 'C002', '13800000002', '2026-11-30 09:00:00', 20.00, 'paid', '2026-11-30 09:00:00')"
    )
    now[0] = dt.datetime(2026, 12, 2, 6, 0, 1, tzinfo=SHANGHAI)
    (record,) = scheduler.tick()
    assert record["outcome"] == "ok", record
    assert record["steps"][0]["detail"] == "shop: +1 ~0 !0"
    assert len(list_runs(ws)) == 2
    status = schedule_status(ws, now=now[0])["jobs"][0]
    assert status["next"] == "2026-12-03T06:00:00+08:00"
    assert status["last"]["outcome"] == "ok"
