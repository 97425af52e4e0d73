"""The import's parse cleans each cell once (``kq_text``) and splits a place column once
(``kq_places``), however many fragments read them. A macro's argument is copied wherever
the macro uses it, and DuckDB shares no copy inside a CASE, AND or OR: an address was
cleaned in its own column and again, with the split, for each of country, province and
city, and a date ~20 times. A customers file of long notes and addresses held every
copy of every 10 KB cell at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kequn.ingest import _pass
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _parse_sql(monkeypatch: pytest.MonkeyPatch, ws: Workspace, path: Path) -> str:
    """The statement that makes the ``parsed`` table, as the import ran it."""
    seen: list[str] = []
    run = _pass.Pass.sql

    def spy(self: _pass.Pass, query: str, **extra: Any) -> duckdb.DuckDBPyConnection:
        seen.append(query)
        return run(self, query, **extra)

    monkeypatch.setattr(_pass.Pass, "sql", spy)
    import_file(ws, "customers", path)
    [parse] = [q for q in seen if "TEMP TABLE parsed AS" in q]
    return parse


def test_each_cell_is_cleaned_once(
    monkeypatch: pytest.MonkeyPatch, ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "客户.csv"
    note = "电话回访，客户满意，下次再联系。" * 40
    rows = ["会员编号,姓名,手机,地区,地址,注册时间,年龄,性别,营销许可,备注,留言"]
    rows += [
        f"M{i},张三,1380013800{i},浙江省 杭州市,浙江省杭州市西湖区文三路 {i} 号,"
        f"2024-01-0{i + 1},3{i}岁,男,是,{note},{note}"
        for i in range(5)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parse = _parse_sql(monkeypatch, ws, path)
    for index in range(11):
        assert len(re.findall(rf"kq_text\(c{index}\)", parse)) <= 1, index
    # the 地区 and the address: each split once for its three parts
    assert parse.count("kq_places(") == 2
    assert "kq_region(" not in parse
    with ws.read() as con:
        found = con.execute(
            "SELECT customer_id, province, city, age, created_at::VARCHAR, "
            "attributes['备注'] = $note FROM customers ORDER BY 1",
            {"note": note.replace("，", ",")},  # full-width ASCII made plain
        ).fetchall()
    assert found == [
        (f"M{i}", "浙江省", "杭州市", 30 + i, f"2024-01-0{i + 1} 00:00:00", True) for i in range(5)
    ]
