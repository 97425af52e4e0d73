"""A customer's sources and linked source records (``kequn show``), and segments counted
over the members of one source (``kequn segments --source``), with identity resolution
off and on."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kequn import identity
from kequn.cli import app
from kequn.identity import synthetic
from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.snapshots import linked, read
from kequn.store.workspace import Workspace

runner = CliRunner()
DAY = dt.date(2026, 9, 30)
COLUMNS = ["customer_id", "name", "phone", "email", "city", "address", "birth_date"]
#: one person in three sources (汉字, pinyin, traditional), each source with its own id
ALICE = {
    "tmall": {"customer_id": "A1", "name": "王小明", "phone": "13912345678", "city": "杭州"},
    "jd": {
        "customer_id": "A2",
        "name": "Wang Xiaoming",
        "phone": "+86 139 1234 5678",
        "email": "wxm@example.com",
        "city": "杭州市",
    },
    "crm": {"customer_id": "A3", "name": "王曉明", "email": "WXM@example.com", "city": "杭州"},
}


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Records of several sources, each imported as its own (``--source``), with orders."""
    root = tmp_path_factory.mktemp("linked")
    ws = Workspace.init(root / "ws")
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in synthetic.generate(120, seed=5).to_pylist():
        own_id = str(row["customer_id"]).split(":", 1)[1]
        by_source.setdefault(str(row["origin"]), []).append({**row, "customer_id": own_id})
    for source, person in ALICE.items():
        by_source.setdefault(source, []).append(person)
    for source, rows in sorted(by_source.items()):
        table = [[r.get(c) or "" for c in COLUMNS] for r in rows]
        path = _write(root / f"{source}.csv", COLUMNS, table)
        import_file(ws, "customers", path, origin=source)
    orders = [
        ("tmall", "O1", "A1", "2026-09-01 10:00:00", "100.50"),
        ("jd", "O2", "A2", "2026-09-10 10:00:00", "200.00"),
        ("crm", "O3", "A3", "2026-09-20 10:00:00", "50.25"),
        ("jd", "O4", "0000001", "2026-09-21 10:00:00", "9.00"),
    ]
    for source in ("tmall", "jd", "crm"):
        rows = [[o, c, when, amount, "paid"] for s, o, c, when, amount in orders if s == source]
        header = ["order_id", "customer_id", "ordered_at", "amount", "status"]
        import_file(ws, "orders", _write(root / f"o-{source}.csv", header, rows), origin=source)
    return ws


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_records_and_segments_by_source_without_identity(ws: Workspace) -> None:
    info = run(ws, as_of=DAY, with_models=False)
    found = json.loads(_cli("show", "jd:A2", "-w", str(ws.root), "--json"))["linked"]
    assert found["person_id"] is None
    assert found["sources"] == ["jd"]
    (record,) = found["records"]
    assert (record["source"], record["source_id"], record["file"]) == ("jd", "A2", "jd.csv")
    assert isinstance(record["row"], int)
    assert "name" not in record  # nothing personal in a linked record
    # the members of one source: counted over its records only
    jd_records = sum(1 for r in info.rows(["customer_id"])[0]
                     if str(r).startswith("jd:"))  # fmt: skip
    data = read.segments(info, "lifecycle", source="jd")
    assert data["source"] == {"name": "jd", "customers": jd_records}
    assert sum(label["count"] for label in data["dimensions"][0]["labels"]) == jd_records
    everyone = read.segments(info, "lifecycle")
    assert sum(lab["count"] for lab in everyone["dimensions"][0]["labels"]) == info.customers
    assert jd_records < info.customers
    out = _cli("segments", "lifecycle", "--source", "jd", "-w", str(ws.root))
    assert f"Only customers with records from source jd: {jd_records}" in out


def test_an_unknown_source_is_a_clear_error(ws: Workspace) -> None:
    run(ws, as_of=DAY, with_models=False)
    result = runner.invoke(app, ["segments", "--source", "nosuch", "-w", str(ws.root)])
    assert result.exit_code == 2  # a usage error, as an unknown --team is
    assert "There is no source nosuch" in result.output
    assert "tmall" in result.output  # the known ones are named
    with pytest.raises(linked.UnknownSourceError):
        linked.require_source(ws, "nosuch")


def test_a_persons_profile_lists_its_sources_records_and_links(ws: Workspace) -> None:
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\n")
    info = run(ws, as_of=DAY, with_models=False)  # resolves first
    person = linked.linked_records(ws, "tmall:A1")["person_id"]
    assert person is not None
    data = json.loads(_cli("show", person, "-w", str(ws.root), "--json"))
    found = data["linked"]
    assert found["person_id"] == person
    assert set(found["sources"]) >= {"tmall", "jd", "crm"}
    ids = {(r["source"], r["source_id"]) for r in found["records"]}
    assert {("tmall", "A1"), ("jd", "A2"), ("crm", "A3")} <= ids
    assert all(r["file"] and r["row"] for r in found["records"])
    assert found["links"], "the links that made the person, with their evidence"
    assert all(link["rule"] and link["evidence"] for link in found["links"])
    # a person's decision shows on the link
    identity.decide(ws, "tmall:A1", "jd:A2", "confirm")
    after = linked.linked_records(ws, "tmall:A1")
    decided = [x for x in after["links"] if {x["a"], x["b"]} == {"tmall:A1", "jd:A2"}]
    assert [x["decision"] for x in decided] == ["confirm"]
    out = _cli("show", person, "-w", str(ws.root))
    assert "Sources: " in out
    assert "tmall · A1 (tmall.csv, row" in out
    assert "confirmed by a person" in out
    # members of a source are persons now: the person counts once, for each of its sources
    for source in ("tmall", "jd", "crm"):
        data = read.segments(info, "lifecycle", source=source)
        counted = sum(lab["count"] for lab in data["dimensions"][0]["labels"])
        assert counted == data["source"]["customers"] > 0
    zh = runner.invoke(app, ["show", person, "-w", str(ws.root)], env={"KEQUN_LANG": "zh"})
    assert "数据源：" in zh.output
