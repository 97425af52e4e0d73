"""Identity in a workspace: decisions that last, and runs that classify persons."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn import identity
from kequn.cli import app
from kequn.identity import synthetic
from kequn.identity.workspace import forget
from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.store.workspace import Workspace

Writer = Callable[[Path, list[dict[str, object]]], Path]

#: one person in three sources (汉字, pinyin, traditional), and a stranger
ALICE = [
    {"customer_id": "tmall:A1", "name": "王小明", "phone": "13912345678", "city": "杭州"},
    {
        "customer_id": "jd:A2",
        "name": "Wang Xiaoming",
        "phone": "+86 139 1234 5678",
        "email": "wxm@example.com",
        "city": "杭州市",
    },
    {"customer_id": "crm:A3", "name": "王曉明", "email": "WXM@example.com", "city": "杭州"},
]


@pytest.fixture
def ws(tmp_path: Path, write_customers: Writer) -> Workspace:
    ws = Workspace.init(tmp_path / "ws")
    rows = [*synthetic.generate(300, seed=5).to_pylist(), *ALICE]
    import_file(ws, "customers", write_customers(tmp_path / "customers.csv", rows))
    return ws


def _enable(ws: Workspace) -> None:
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\nthreshold = 0.95\n")


def _person(ws: Workspace, customer_id: str) -> str:
    with ws.read() as con:
        row = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = ?", [customer_id]
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_one_person_in_three_sources_with_a_surviving_profile(ws: Workspace) -> None:
    report = identity.run(ws)
    assert report["persons"] < report["records"]
    person = _person(ws, "tmall:A1")
    assert _person(ws, "jd:A2") == person == _person(ws, "crm:A3")
    with ws.read() as con:
        name, email = con.execute(
            "SELECT name, email FROM identity_persons WHERE customer_id = ?", [person]
        ).fetchone() or (None, None)
        evidence = con.execute(
            "SELECT count(*) FROM identity_links WHERE evidence <> ''"
        ).fetchone()
    assert name in ("王小明", "王曉明")  # 汉字 wins over pinyin
    assert email is not None
    assert email.lower() == "wxm@example.com"
    assert evidence is not None
    assert evidence[0] > 0


def test_a_rejected_pair_stays_apart_after_reimport(
    ws: Workspace, tmp_path: Path, write_customers: Writer
) -> None:
    identity.run(ws)
    assert _person(ws, "tmall:A1") == _person(ws, "jd:A2")
    result = CliRunner().invoke(
        app, ["identity", "reject", "tmall:A1", "jd:A2", "-w", str(ws.root)]
    )
    assert result.exit_code == 0, result.output
    assert _person(ws, "tmall:A1") != _person(ws, "jd:A2")
    # the same records imported again (one changed) and resolved again
    changed = [dict(ALICE[0], city="上海"), *ALICE[1:]]
    import_file(ws, "customers", write_customers(tmp_path / "again.csv", changed))
    assert not identity.is_current(ws)
    identity.run(ws)
    assert _person(ws, "tmall:A1") != _person(ws, "jd:A2")
    # confirming brings them back; splitting the person undoes it all
    identity.decide(ws, "tmall:A1", "jd:A2", "confirm")
    assert _person(ws, "tmall:A1") == _person(ws, "jd:A2")
    identity.decide(ws, _person(ws, "jd:A2"), None, "split")
    assert len({_person(ws, r["customer_id"]) for r in ALICE}) == 3  # type: ignore[arg-type]


def test_review_lists_uncertain_pairs_with_evidence(ws: Workspace) -> None:
    identity.run(ws)
    result = CliRunner().invoke(app, ["identity", "review", "--json", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    for pair in identity.review(ws):
        assert pair["evidence"]
        assert 0.5 <= pair["probability"] <= 1


def test_a_run_values_a_person_as_the_sum_of_their_sources(ws: Workspace, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["order_id", "customer_id", "ordered_at", "amount", "status"])
        writer.writerow(["O1", "tmall:A1", "2026-09-01 10:00:00", "100.50", "paid"])
        writer.writerow(["O2", "jd:A2", "2026-09-10 10:00:00", "200.00", "paid"])
        writer.writerow(["O3", "crm:A3", "2026-09-20 10:00:00", "50.25", "paid"])
        writer.writerow(["O4", "tmall:0000001", "2026-09-21 10:00:00", "9.00", "paid"])
    import_file(ws, "orders", orders)
    day = dt.date(2026, 9, 30)

    plain = run(ws, as_of=day, with_models=False)  # identity disabled: records as they are
    labels = plain.rows(["customer_id", "spend"]).to_pylist()
    by_id = {r["customer_id"]: r["spend"] for r in labels}
    assert float(by_id["jd:A2"]) == 200.0

    _enable(ws)
    info = run(ws, as_of=day, with_models=False)  # resolves first: the customers changed
    person = _person(ws, "tmall:A1")
    labels = info.rows(["customer_id", "spend"]).to_pylist()
    by_id = {r["customer_id"]: r["spend"] for r in labels}
    assert float(by_id[person]) == pytest.approx(100.50 + 200.00 + 50.25)
    assert "jd:A2" not in by_id
    assert info.customers < plain.customers


def test_forgetting_a_record_leaves_no_identity_rows(ws: Workspace) -> None:
    identity.run(ws)
    with ws.write() as con:
        assert forget(con, "jd:A2") > 0
        con.execute("DELETE FROM customers WHERE customer_id = 'jd:A2'")
    with ws.read() as con:
        for table, where in (
            ("identity_map", "customer_id"),
            ("identity_links", "a"),
            ("identity_links", "b"),
            ("identity_persons", "customer_id"),
        ):
            row = con.execute(f"SELECT count(*) FROM {table} WHERE {where} = 'jd:A2'").fetchone()
            assert row == (0,), table
        # the persons view reads the customers as they are: nothing of the record is left
        row = con.execute(
            "SELECT count(*) FROM identity_persons WHERE email IS NOT NULL"
            " AND lower(email) = 'wxm@example.com' AND name = 'Wang Xiaoming'"
        ).fetchone()
        assert row == (0,)


def test_one_source_of_distinct_customers_links_no_one_and_does_not_crash(
    tmp_path: Path,
) -> None:
    """The demo's customers share no e-mail or phone with a name: splink's EM had a prior
    of 0 to start from and stopped on log2(0) with a traceback (`kequn identity run`, and
    `kequn run` with [identity] enabled). Now there is simply no model, and no link."""
    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 400, seed=5)
    result = CliRunner().invoke(app, ["identity", "run", "--workspace", str(ws.root), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["trained"] is False
    assert report["model"].startswith("none: no two records")
    assert report["persons"] == report["records"] == 400
    assert report["links"] == 0
