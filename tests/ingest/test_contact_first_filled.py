"""A customer's phone (or e-mail) given in two columns, the first empty on some rows: a
member list's 手机 and 手机号码, or two columns both headed 手机, as a form tool's export
writes a field asked twice. Each row's first filled one is read, as Shopify's Phone is
backed by its Default Address Phone (columns._platform_phone); the number was kept only
as an attribute, the customer left with no phone (no SMS, no identity by phone). The
other columns stay attributes, and a header heading two columns is still told."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile
from kequn.store.workspace import Workspace

CASES = [
    {
        "description": "手机 empty, 手机号码 filled",
        "header": "客户编号,姓名,手机,手机号码,邮箱",
        "rows": ["C1,张三,,13800138000,", "C2,李四,13900139000,13900139001,"],
        "phones": {"C1": "13800138000", "C2": "13900139000"},
    },
    {
        "description": "two columns headed 手机",
        "header": "客户编号,姓名,手机,手机,邮箱",
        "rows": ["C1,张三,,13800138000,", "C2,李四,13900139000,13900139001,"],
        "phones": {"C1": "13800138000", "C2": "13900139000"},
    },
    {
        "description": "the better synonym first, whatever its place: 手机号码 before 联系方式",
        "header": "客户编号,联系方式,手机号码,邮箱",
        "rows": ["C1,,13800138000,", "C2,13700137000,,"],
        "phones": {"C1": "13800138000", "C2": "13700137000"},
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_the_first_filled_phone_is_read(
    ws: Workspace, tmp_path: Path, case: dict[str, object]
) -> None:
    path = tmp_path / "members.csv"
    path.write_text("\n".join([str(case["header"]), *case["rows"]]) + "\n", encoding="utf-8")  # type: ignore[misc]
    report = import_file(ws, "customers", path)
    assert report.rejected == 0
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, phone FROM customers").fetchall())
    assert got == case["phones"]


def test_the_other_columns_stay_and_are_told(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("客户编号,手机,手机,邮箱,电子邮箱\nC1,,13800138000,,a@example.com\n")
    report = import_file(ws, "customers", path)
    assert [d["header"] for d in report.duplicate_headers] == ["手机"]
    with ws.read() as con:
        phone, email, attrs = con.execute(
            "SELECT phone, email, attributes FROM customers"
        ).fetchone()  # type: ignore[misc]
    assert (phone, email) == ("13800138000", "a@example.com")
    assert attrs["手机 (3)"] == "13800138000"


def test_a_column_the_mapping_names_is_read_alone(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("客户编号,手机,手机号码\nC1,,13800138000\n")
    import_file(ws, "customers", path, mapping=MappingFile(columns={"phone": "手机"}))
    with ws.read() as con:
        assert con.execute("SELECT phone FROM customers").fetchone() == (None,)
