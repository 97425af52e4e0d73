"""An erased person is not written to again when their records come back.

``kequn privacy erase`` removed the person, and their queued messages with them; but
the next import of an old export (or a sync from the shop, which still has them) brought
the same id back, with its consent, and the next run queued marketing to them again.
Only someone who had also opted out stayed suppressed. An erasure is now kept as a keyed
hash of the id (like an erased person's opt-out: it names no one without the
workspace's key), and marketing is not planned for that id again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from automation_helpers import LATE, TEMPLATES, runs, write_journeys

from kequn import pipeline, privacy
from kequn.automation import db
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _journey(jid: str, **extra: object) -> dict[str, object]:
    return {"id": jid, "trigger": {"rule": "orders >= 1"}, "channel": "crm",
            "templates": TEMPLATES, "frequency_cap": None, **extra}  # fmt: skip


def test_an_erased_customer_imported_again_gets_no_marketing(
    aws: Workspace, tmp_path: Path
) -> None:
    write_journeys(
        aws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
         "journeys": [_journey("promo"),
                      _journey("receipts", purpose="service", consent_required=False)]},
    )  # fmt: skip
    with aws.read() as con:
        who, name, email = con.execute(
            "SELECT c.customer_id, c.name, c.email FROM customers c "
            "JOIN orders o USING (customer_id) WHERE c.marketing_consent AND c.email IS NOT NULL "
            "ORDER BY 1 LIMIT 1"
        ).fetchone()
    privacy.erase_person(aws, who)
    with db.connect(aws) as con:
        assert not con.execute(
            "SELECT count(*) FROM outbox WHERE customer_id = ?", [who]
        ).fetchone()[0]
        assert not con.execute(
            "SELECT count(*) FROM opt_outs WHERE customer_id = ?", [who]
        ).fetchone()[0]
    # the same customer comes back from an old export, consenting, and buys again
    people = tmp_path / "back.csv"
    people.write_text(
        f"客户编号,姓名,邮箱,是否同意营销\n{who},{name},{email},同意\n", encoding="utf-8"
    )
    orders = tmp_path / "back-orders.csv"
    orders.write_text(
        f"订单号,客户编号,下单时间,金额\nback-1,{who},{LATE:%Y-%m-%d} 10:00:00,99\n",
        encoding="utf-8",
    )
    import_file(aws, "customers", people)
    import_file(aws, "orders", orders)
    day = LATE + dt.timedelta(days=1)
    pipeline.run(aws, as_of=day, with_models=False)  # the hook plans the journeys
    with db.connect(aws) as con:
        outcomes = dict(
            con.execute(
                "SELECT journey_id, outcome FROM assignments WHERE customer_id = ? AND as_of = ?",
                [who, day],
            ).fetchall()
        )
        queued = con.execute(
            "SELECT journey_id FROM outbox WHERE customer_id = ?", [who]
        ).fetchall()
        others = con.execute(
            "SELECT count(*) FROM outbox WHERE journey_id = 'promo' AND run_id LIKE ?",
            [f"%{day:%Y%m%d}%"],
        ).fetchone()[0]
    assert outcomes["promo"] == "opted_out"
    assert queued == [("receipts",)]  # a service message (an order's receipt) still goes
    assert others > 0  # everyone else is planned as before
    assert runs(aws)
