"""An erasure reaches what automation keeps about a person: their segment events, group
assignments, messages (recipient and text) and opt-out, bytes included."""

from __future__ import annotations

from pathlib import Path

from kequn import automation, privacy
from kequn.automation import db
from kequn.demo import demo_workspace


def test_erasing_a_customer_clears_the_automation_database(tmp_path: Path) -> None:
    automation.install()
    ws = demo_workspace(tmp_path, 40, seed=5)
    who, other = "C00000001", "C00000002"
    with db.connect(ws) as con:
        for cid, mail in ((who, "erase.me@example.com"), (other, "keep.me@example.com")):
            con.execute(
                "INSERT INTO segment_events VALUES ('r2', 'r1', DATE '2026-09-30', ?, "
                "'lifecycle', 'dormant', 'entered', 'active', 'dormant')",
                [cid],
            )
            con.execute(
                "INSERT INTO outbox (message_id, journey_id, run_id, customer_id, channel, "
                "channel_type, purpose, recipient, body, status, attempts, created_at, "
                "next_attempt_at) VALUES (?, 'j', 'r2', ?, 'mail', 'email', 'marketing', ?, "
                "?, 'pending', 0, now(), now())",
                [f"m-{cid}", cid, mail, f"您好 {mail}"],
            )
            con.execute("INSERT INTO opt_outs VALUES (?, now(), 'test')", [cid])
    result = privacy.erase_person(ws, who)
    assert result["removed"]["db"] == 3
    with db.connect(ws) as con:
        left = con.execute(
            "SELECT (SELECT count(*) FROM outbox WHERE customer_id = ?), "
            "(SELECT count(*) FROM outbox WHERE customer_id = ?)",
            [who, other],
        ).fetchone()
    assert left == (0, 1)
    raw = (ws.root / db.FOLDER / db.DB_NAME).read_bytes()
    assert b"erase.me@example.com" not in raw
    assert b"keep.me@example.com" in raw
