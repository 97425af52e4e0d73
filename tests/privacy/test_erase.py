"""Erasing a person leaves nothing of them in any file of the workspace, and nobody
else's labels change; exporting them first gives everything that was held."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.privacy import erase_person, export_person
from kequn.snapshots import lookup
from kequn.snapshots.runs import list_runs
from kequn.store.access import audit, read_audit
from kequn.store.workspace import Workspace, WorkspaceError


def _unique_customer(ws: Workspace) -> tuple[str, str, str, str]:
    """A customer with a name, phone and e-mail nobody else's values contain."""
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, name, phone, email FROM customers ORDER BY customer_id"
        ).fetchall()
    for cid, name, phone, email in rows:
        if not (name and phone and email) or len(name) < 3:
            continue
        others = [r for r in rows if r[0] != cid]
        if not any(name in (o[1] or "") or phone == o[2] for o in others):
            return cid, name, phone, email
    raise AssertionError("no customer with unique values in the demo data")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def _found_in(path: Path, needles: tuple[str, ...]) -> list[str]:
    """Where the needles appear in one file, read the way its format is read."""
    hits: list[str] = []

    def check(where: str, texts: list[str]) -> None:
        hits.extend(f"{where}: {n}" for n in needles for s in texts if n in s)

    if path.suffix == ".duckdb":
        con = duckdb.connect(str(path), read_only=True)
        try:
            for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                check(f"{path}:{table}", _strings(con.execute(f'FROM "{table}"').fetchall()))
        finally:
            con.close()
    elif path.suffix == ".parquet":
        check(str(path), _strings(pq.read_table(path).to_pylist()))
    elif path.suffix == ".sqlite":
        con3 = sqlite3.connect(path)
        try:
            tables = con3.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            for (table,) in tables:
                check(
                    f"{path}:{table}", _strings(con3.execute(f'SELECT * FROM "{table}"').fetchall())
                )
        finally:
            con3.close()
    else:
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        decoded: list[str] = []
        if path.suffix == ".json":
            decoded = _strings(json.loads(text))
        elif path.suffix == ".jsonl":
            decoded = [s for line in text.splitlines() if line for s in _strings(json.loads(line))]
        check(str(path), [text, *decoded])
    return hits


def _labels_without(ws: Workspace, customer_id: str) -> dict[str, list[dict[str, Any]]]:
    return {
        run.run_id: sorted(
            (r for r in run.rows().to_pylist() if r["customer_id"] != customer_id),
            key=lambda r: r["customer_id"],
        )
        for run in list_runs(ws)
    }


@pytest.fixture(scope="module")
def erased(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ws = demo_workspace(tmp_path_factory.mktemp("privacy"), 300)
    cid, name, phone, email = _unique_customer(ws)
    # rows of theirs the import rejects (a customer row without an id, an unreadable
    # order amount), so the quarantine mentions them
    bad = ws.root.parent / "bad"
    bad.mkdir()
    (bad / "客户补充.csv").write_text(
        f"客户编号,姓名,手机,邮箱\n,{name},{phone},{email}\n", encoding="utf-8"
    )
    (bad / "orders-bad.csv").write_text(
        f"订单编号,客户编号,下单时间,实付金额\nX-1,{cid},2026-01-05,not-a-number\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", bad / "客户补充.csv", create_customers=False)
    import_file(ws, "orders", bad / "orders-bad.csv", create_customers=False)
    with ws.read() as con:
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()
    assert quarantined
    assert quarantined[0] >= 2
    # a background job's report and a staged upload mentioning them
    (ws.root / "jobs").mkdir(exist_ok=True)
    (ws.root / "jobs" / "0123456789ab.json").write_text(
        json.dumps(
            {
                "id": "0123456789ab",
                "result": {"quarantine": [{"record": {"姓名": name, "手机": phone}}]},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    upload = ws.tmp_dir / "uploads" / "tmpabc"
    upload.mkdir(parents=True)
    (upload / "客户.csv").write_text(
        f"客户编号,姓名,手机\n{cid},{name},{phone}\nC99999999,某人,13900000000\n", encoding="utf-8"
    )
    pipeline.run(ws, with_models=False)
    pipeline.run(ws, with_models=False)
    runs = list_runs(ws)
    assert len(runs) == 2
    for r in runs:  # as a server builds them after the runs are published
        lookup.build_index(r)
    assert all(lookup.is_ready(r) for r in runs)
    lookup.cursor(runs[0]).__enter__()  # this process holds one open, as a server would
    before = _labels_without(ws, cid)
    # what a server logs about them: a profile read, an unsubscribe; and someone else's
    audit(ws, "ana", "customer.read", {"customer_id": cid})
    audit(ws, "ana", "unsubscribe", {"customer_id": cid, "source": "email"})
    audit(ws, "ana", "customer.read", {"customer_id": "C99999999"})
    exported = export_person(ws, cid, who="admin")
    result = erase_person(ws, cid, who="admin")
    return {
        "ws": ws,
        "who": (cid, name, phone, email),
        "before": before,
        "exported": exported,
        "result": result,
        "runs": runs,
    }


def test_nothing_of_them_is_left_in_any_file(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    _cid, name, phone, email = erased["who"]
    files = [p for p in ws.root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in files)
    hits = [hit for path in files for hit in _found_in(path, (name, phone, email))]
    assert hits == []
    # nor in the files' bytes: a database file keeps deleted rows in its blocks
    raw = [p for p in files for n in (name, phone, email) if n.encode() in p.read_bytes()]
    assert raw == []
    assert (ws.tmp_dir / "uploads" / "tmpabc" / "客户.csv").read_text(encoding="utf-8").count(
        "\n"
    ) == 2  # the other person's row stays


def test_their_id_is_gone_from_tables_and_runs(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    cid = erased["who"][0]
    with ws.read() as con:
        for table in ("customers", "orders", "events"):
            found = con.execute(f"SELECT count(*) FROM {table} WHERE customer_id = ?", [cid])
            assert found.fetchone() == (0,)
    attributes_seen = False
    for run in list_runs(ws):
        # each file of the run (its rows join them: one left behind would not show)
        for path in (run.labels_path, run.features_path):
            assert path.is_file()
            assert cid not in pq.read_table(path).column("customer_id").to_pylist(), path
        if run.attributes_path.is_file():  # the state's file of attributes, linked
            kept = pq.read_table(run.attributes_path).column("customer_id").to_pylist()
            assert cid not in kept, run.attributes_path
            attributes_seen = True
    assert attributes_seen  # a run from the feature state keeps its attributes apart
    # the feature state the runs keep (their spend, dates, channels) loses them at once,
    # not at the next run, and so do the lookup builds' per-customer digests
    state = sorted((ws.root / "feature-state").glob("*.parquet"))
    assert state, "the runs kept a feature state"
    assert erased["result"]["removed"]["feature_state"] >= 1
    for path in state:
        assert cid not in pq.read_table(path).column("customer_id").to_pylist(), path
    for path in ws.runs_dir.rglob("lookup-digests.parquet"):  # only ones built since
        assert cid not in pq.read_table(path).column("customer_id").to_pylist(), path


def test_everyone_elses_labels_are_unchanged(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    assert _labels_without(ws, erased["who"][0]) == erased["before"]
    for run in list_runs(ws):
        rows = run.rows().num_rows
        assert run.customers == rows  # the run's counts follow
        assert sum(run.counts["lifecycle"].values()) == rows


def test_lookups_are_rebuilt_from_the_cleaned_data(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    cid = erased["who"][0]
    from kequn.snapshots import read

    run = list_runs(ws)[0]
    for built in (False, True):  # read on the spot at once, then from files built again
        assert lookup.is_ready(run) == built
        assert read.profile(run, cid, "en") is None
        total = sum(
            read.segments(run, "lifecycle")["dimensions"][0]["labels"][i]["count"] for i in range(1)
        )
        assert total >= 0
        page = read.members(run, "lifecycle", next(iter(run.counts["lifecycle"])), limit=500)
        assert cid not in {r["customer_id"] for r in page["rows"]}
        lookup.build_index(run)


def test_the_audit_keeps_a_pseudonym_not_the_person(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    cid = erased["who"][0]
    entries = [e for e in read_audit(ws, 1000) if e["action"].startswith("privacy.")]
    erase = next(e for e in entries if e["action"] == "privacy.erase")
    assert erase["details"]["subject"] == erased["result"]["subject"]
    assert erase["details"]["subject"].startswith("p_")
    assert cid not in json.dumps(entries, ensure_ascii=False)
    # their earlier entries name the pseudonym now; nobody else's changed
    assert cid not in (ws.root / "audit.jsonl").read_text(encoding="utf-8")
    reads = [e for e in read_audit(ws, 1000) if e["action"] in ("customer.read", "unsubscribe")]
    subject = erased["result"]["subject"]
    assert {e["details"]["customer_id"] for e in reads} >= {subject, "C99999999"}
    assert erased["result"]["removed"]["audit_entries"] == 2
    assert erased["result"]["removed"]["customers"] == 1
    assert erased["result"]["removed"]["quarantine"] >= 2


def test_the_export_held_everything(erased: dict[str, Any]) -> None:
    cid, name, phone, _email = erased["who"]
    data = erased["exported"]
    assert data is not None
    assert data["customers"][0]["name"] == name
    assert data["customers"][0]["phone"] == phone
    assert data["orders"]
    assert all(o["customer_id"] == cid for o in data["orders"])
    assert len(data["runs"]) == 2
    assert all(r["labels"][0]["customer_id"] == cid for r in data["runs"])
    assert len(data["quarantine"]) >= 2
    json.dumps(data, ensure_ascii=False)  # JSON-ready


def test_erasing_again_or_a_stranger_says_so(erased: dict[str, Any]) -> None:
    ws: Workspace = erased["ws"]
    with pytest.raises(WorkspaceError, match="holds nothing"):
        erase_person(ws, erased["who"][0])
    assert export_person(ws, "NOBODY") is None
