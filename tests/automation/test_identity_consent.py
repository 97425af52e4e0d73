"""Journeys with identity resolution on: a run's customers are persons, so consent,
contacts, opt-outs and erasures must be read and applied per person, whichever of their
records they were recorded under. And consent withdrawn after planning stops delivery."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from automation_helpers import SECRET, SECRET_ENV, TEMPLATES, Mailbox, Receiver, write_journeys

from kequn import automation, pipeline, privacy
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.automation.unsubscribe import make_token, record_opt_out
from kequn.identity import synthetic
from kequn.ingest.importer import import_file
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

DAY = dt.date(2026, 9, 30)
COLUMNS = ["customer_id", "name", "phone", "email", "city", "marketing_consent"]
#: two people, three sources each (imported crm, jd, tmall: tmall newest). Alice refused
#: marketing in the oldest source only; Bob agreed everywhere, his e-mail in one source.
PEOPLE = {
    "crm": [
        ["A3", "王小明", "13912345678", "", "杭州", "no"],
        ["B3", "李雷", "13800000001", "lilei@example.com", "上海", "yes"],
    ],
    "jd": [
        ["A2", "王小明", "+86 139 1234 5678", "wxm@example.com", "杭州", "yes"],
        ["B2", "李雷", "138 0000 0001", "", "上海", "yes"],
    ],
    "tmall": [
        ["A1", "王小明", "13912345678", "wxm@example.com", "杭州", "yes"],
        ["B1", "李雷", "13800000001", "", "上海", "yes"],
    ],
}


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    automation.install()  # as the CLI and the server do: erasures reach the outbox
    root = tmp_path_factory.mktemp("identity_consent")
    ws = Workspace.init(root / "ws")
    by_source: dict[str, list[list[Any]]] = {s: list(rows) for s, rows in PEOPLE.items()}
    for row in synthetic.generate(90, seed=3).to_pylist():
        source = str(row["origin"])
        own = str(row["customer_id"]).split(":", 1)[1]
        by_source.setdefault(source, []).append(
            [own, row["name"], row["phone"] or "", row["email"] or "", row["city"] or "", "yes"]
        )
    orders = []
    for source, rows in sorted(by_source.items()):
        import_file(ws, "customers", _csv(root / f"{source}.csv", COLUMNS, rows), origin=source)
        orders = [[f"O-{r[0]}", r[0], "2026-09-01 10:00:00", "88.00", "paid"] for r in rows]
        header = ["order_id", "customer_id", "ordered_at", "amount", "status"]
        import_file(ws, "orders", _csv(root / f"o-{source}.csv", header, orders), origin=source)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\n")
    pipeline.run(ws, as_of=DAY, with_models=False)
    return ws.root


@pytest.fixture
def ws(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    shutil.copytree(base, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


@pytest.fixture
def smtp_box() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller
    from automation_helpers import free_port

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def _person(ws: Workspace, record: str) -> str:
    with ws.read() as con:
        row = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = ?", [record]
        ).fetchone()
    assert row, record
    return str(row[0])


def _journeys(ws: Workspace, port: int, receiver: Receiver | None = None) -> None:
    channels: dict[str, Any] = {
        "mail": {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
                 "sender": "shop@example.com",
                 "unsubscribe_url": "http://127.0.0.1:8000/unsubscribe/{token}"},
    }  # fmt: skip
    journeys: list[dict[str, Any]] = [
        {"id": "thanks", "trigger": {"rule": "orders >= 1"}, "channel": "mail",
         "templates": TEMPLATES, "frequency_cap": None},
    ]  # fmt: skip
    if receiver is not None:
        channels["hook"] = {"type": "webhook", "url": receiver.url, "secret_env": SECRET_ENV}
        journeys.append({"id": "crm", "trigger": {"rule": "orders >= 1"}, "channel": "hook",
                         "templates": TEMPLATES, "frequency_cap": None})  # fmt: skip
    fast = {"max_attempts": 3, "backoff_seconds": 0.01, "backoff_max_seconds": 0.05}
    write_journeys(ws, {"channels": channels, "journeys": journeys, "delivery": fast})


def _outcomes(ws: Workspace, journey: str) -> dict[str, tuple[str, str]]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT customer_id, grp, outcome FROM assignments WHERE journey_id = ?", [journey]
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _latest(ws: Workspace) -> Any:
    return max(list_runs(ws), key=lambda r: (r.as_of_date, r.created_at))


def test_a_person_is_reached_with_their_profile_and_a_refusal_stands(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    box, port = smtp_box
    receiver = Receiver().start()
    try:
        _journeys(ws, port, receiver)
        alice, bob = _person(ws, "crm:A3"), _person(ws, "crm:B3")
        assert alice == _person(ws, "tmall:A1")
        assert bob == _person(ws, "tmall:B1")
        process_run(_latest(ws))
        thanks = _outcomes(ws, "thanks")
        # Alice's oldest record refused; two newer ones agreeing do not undo that
        assert thanks[alice] == ("excluded", "no_consent")
        # Bob's e-mail is on one of his three records: the person has it
        assert thanks[bob] == ("treated", "queued")
        assert deliver(ws)["sent"] >= 1
        to_bob = [m for m in box.messages if m["To"] == "lilei@example.com"]
        assert len(to_bob) == 1
        hooks = [r["body"] for r in receiver.requests if r["body"]["customer_id"] == bob]
        assert hooks
        assert hooks[0]["customer"]["email"] == "lilei@example.com"
        assert hooks[0]["customer"]["name"] == "李雷"
    finally:
        receiver.stop()


def test_an_opt_out_under_a_record_stops_the_persons_messages(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    box, port = smtp_box
    _journeys(ws, port)
    bob = _person(ws, "jd:B2")
    process_run(_latest(ws))
    assert _outcomes(ws, "thanks")[bob] == ("treated", "queued")
    # an unsubscribe link from before identity was on names a record, not the person
    record_opt_out(ws, make_token(ws, "jd:B2"))
    deliver(ws)
    assert not [m for m in box.messages if m["To"] == "lilei@example.com"]
    with db.connect(ws) as con:
        status = con.execute(
            "SELECT status, last_error FROM outbox WHERE customer_id = ?", [bob]
        ).fetchall()
    assert status == [("cancelled", "opted out")]
    # and the next day's run does not choose him
    pipeline.run(ws, as_of=DAY + dt.timedelta(days=1), with_models=False)
    process_run(_latest(ws))
    with db.connect(ws) as con:
        later = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'thanks' AND customer_id = ? "
            "AND as_of = ?",
            [bob, DAY + dt.timedelta(days=1)],
        ).fetchall()
    assert later == [("opted_out",)]


def test_an_opt_out_under_the_person_reaches_each_record(ws: Workspace) -> None:
    bob = _person(ws, "jd:B2")
    record_opt_out(ws, make_token(ws, bob))
    with db.connect(ws) as con:
        ids = {
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM opt_outs WHERE source != 'address'"
            ).fetchall()
        }
    assert ids == {bob, "crm:B3", "jd:B2", "tmall:B1"}


def test_consent_withdrawn_after_planning_stops_delivery(
    ws: Workspace, smtp_box: tuple[Mailbox, int], tmp_path: Path
) -> None:
    box, port = smtp_box
    _journeys(ws, port)
    bob = _person(ws, "crm:B3")
    process_run(_latest(ws))
    # the CRM export of the next morning: Bob said no
    rows = [["B3", "李雷", "13800000001", "lilei@example.com", "上海", "no"]]
    import_file(ws, "customers", _csv(tmp_path / "crm2.csv", COLUMNS, rows), origin="crm")
    deliver(ws)
    assert not [m for m in box.messages if m["To"] == "lilei@example.com"]
    with db.connect(ws) as con:
        status = con.execute(
            "SELECT status, last_error FROM outbox WHERE customer_id = ?", [bob]
        ).fetchall()
    assert status == [("cancelled", "no marketing consent any more")]


def test_erasing_one_record_takes_the_persons_messages_and_labels(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    _, port = smtp_box
    _journeys(ws, port)
    bob = _person(ws, "crm:B3")
    process_run(_latest(ws))
    privacy.erase_person(ws, "crm:B3")
    with db.connect(ws) as con:
        left = con.execute("SELECT count(*) FROM outbox WHERE customer_id = ?", [bob]).fetchone()
    assert left == (0,)
    raw = (ws.root / db.FOLDER / db.DB_NAME).read_bytes()
    assert b"lilei@example.com" not in raw
    import pyarrow.dataset as ds

    for run in list_runs(ws):
        ids = ds.dataset(run.labels_path).to_table(columns=["customer_id"]).column(0).to_pylist()
        assert bob not in ids
        assert bob not in run.rows(["customer_id"]).column(0).to_pylist()


def test_erasing_a_person_erases_each_of_their_records(ws: Workspace) -> None:
    bob = _person(ws, "crm:B3")
    result = privacy.erase_person(ws, bob)
    assert result["removed"]["customers"] == 3
    with ws.read() as con:
        left = con.execute(
            "SELECT count(*) FROM customers WHERE customer_id IN ('crm:B3', 'jd:B2', 'tmall:B1')"
        ).fetchone()
    assert left == (0,)
    assert json.dumps(result).find("B3") == -1  # the result names no one


def test_the_dashboards_preview_counts_what_planning_does(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    from collections import Counter

    from kequn.automation.journeys import load_journeys
    from kequn.web.journeys_view import preview

    _, port = smtp_box
    _journeys(ws, port)
    record_opt_out(ws, make_token(ws, "jd:B2"))  # under a record: the person is out
    run = _latest(ws)
    journeys = load_journeys(ws, run.taxonomy())
    journey = next(j for j in journeys.journeys if j.id == "thanks")
    shown = preview(ws, run, journeys, journey)
    process_run(run)
    planned = Counter(outcome for _, outcome in _outcomes(ws, "thanks").values())
    assert planned["queued"] > 0
    assert planned["opted_out"] == 1
    assert {k: v for k, v in shown["outcomes"].items() if v} == dict(planned)


def test_an_opt_out_outlives_the_erasure_of_the_record_it_was_under(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    _, port = smtp_box
    _journeys(ws, port)
    with db.connect(ws) as con:  # as recorded before identity linked the records
        con.execute("INSERT INTO opt_outs VALUES ('jd:B2', now(), 'link')")
    privacy.erase_person(ws, "jd:B2")
    day = DAY + dt.timedelta(days=1)
    pipeline.run(ws, as_of=day, with_models=False)  # identity resolved again, then planned
    bob = _person(ws, "crm:B3")
    with db.connect(ws) as con:
        outcome = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'thanks' AND customer_id = ? "
            "AND as_of = ?",
            [bob, day],
        ).fetchall()
        kept = {r[0] for r in con.execute("SELECT customer_id FROM opt_outs").fetchall()}
    assert outcome == [("opted_out",)]
    assert "jd:B2" not in kept
    assert {"crm:B3", "tmall:B1"} <= kept


def test_an_unsubscribe_after_a_split_reaches_the_address_that_was_mailed(
    ws: Workspace, smtp_box: tuple[Mailbox, int]
) -> None:
    from kequn import identity

    box, port = smtp_box
    _journeys(ws, port)
    text = (ws.root / "journeys.yaml").read_text(encoding="utf-8")
    (ws.root / "journeys.yaml").write_text(  # a journey that does not ask for consent
        text.replace("frequency_cap: null", "frequency_cap: null\n  consent_required: false"),
        encoding="utf-8",
    )
    alice = _person(ws, "crm:A3")
    process_run(_latest(ws))
    deliver(ws)
    assert [m for m in box.messages if m["To"] == "wxm@example.com"]
    # the person is split: the id the link names keeps crm:A3 alone, no e-mail on it
    identity.decide(ws, alice, None, "split")
    record_opt_out(ws, make_token(ws, alice))
    with db.connect(ws) as con:
        ids = {r[0] for r in con.execute("SELECT customer_id FROM opt_outs").fetchall()}
    assert {"jd:A2", "tmall:A1"} <= ids
