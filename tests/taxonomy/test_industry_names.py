"""An industry written as a company list writes it: 企查查 / 天眼查's 所属行业 is a GB/T
4754-2017 section's or division's name (批发和零售业, 计算机、通信和其他电子设备制造业; the
standard's names, http://crsrw.com/qiyezixun/48983.html), a 国标行业 column a code before
its name (C3981 电子元件及电子专用材料制造). Read as keywords they misled: 电力、热力、燃气及水
生产和供应业 was a finished-goods maker (生产), division 39 a finished-goods maker where its
code makes it a component maker, 文化、体育和娱乐业 "other" where its code R is a service;
and a section's letter alone (F) was "other" though all of F is wholesale and retail."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

INDUSTRIES = [  # (所属行业, 国标行业, the industry group)
    ("电力、热力、燃气及水生产和供应业", "", "other"),
    ("水利、环境和公共设施管理业", "", "other_services"),
    ("文化、体育和娱乐业", "", "other_services"),
    ("计算机、通信和其他电子设备制造业", "", "components"),
    ("通用设备制造业", "", "components"),
    ("石油、煤炭及其他燃料加工业", "", "raw_materials"),
    ("批发和零售业", "", "retail"),
    ("批發和零售業", "", "retail"),  # as 台灣 writes it
    ("C3981 电子元件及电子专用材料制造", "", "components"),
    ("", "C3981 电子元件及电子专用材料制造", "components"),
    ("", "F", "retail"),
    ("", "J", "finance"),
    ("批发业", "", "retail"),
    # kept as the keywords read them: sections that mix groups
    ("制造业", "", "finished_goods"),
    ("住宿和餐饮业", "", "catering"),
    ("卫生和社会工作", "", "healthcare"),
]


def test_names_and_codes_with_names_are_grouped_as_their_codes(
    ws: Workspace, tmp_path: Path
) -> None:
    customers = tmp_path / "企业.csv"
    customers.write_text(
        "客户编号,企业名称,所属行业,国标行业\n"
        + "".join(
            f'C{i:02d},某公司{i},"{text}","{code}"\n'
            for i, (text, code, _) in enumerate(INDUSTRIES)
        ),
        encoding="utf-8",
    )
    import_file(ws, "customers", customers)
    orders = tmp_path / "o.csv"
    orders.write_text(
        "订单号,客户编号,下单时间,实付金额\nO1,C00,2026-05-01,100\n", encoding="utf-8"
    )
    import_file(ws, "orders", orders)
    run = run_taxonomy(ws, with_models=False)
    table = pq.read_table(run.labels_path, columns=["customer_id", "industry_sector"])
    found = {r["customer_id"]: r["industry_sector"] for r in table.to_pylist()}
    assert found == {f"C{i:02d}": group for i, (_, _, group) in enumerate(INDUSTRIES)}


def test_a_division_name_sizes_by_its_row(ws: Workspace, tmp_path: Path) -> None:
    """批发业 (51) is sized by wholesale's lines: 30 staff and ¥6,000万 are medium (the
    'other' row, read without a code, made 30 staff small)."""
    found = _sized(ws, tmp_path, "C1,某贸易有限公司,批发业,30,6000万\n")
    assert found == {"C1": ("medium", "retail")}


def _sized(ws: Workspace, tmp_path: Path, rows: str) -> dict[str, tuple[str, str]]:
    """Each customer's size and industry group after a run, from company-list ``rows``
    (客户编号, 企业名称, 所属行业, 员工人数, 营业收入) and one order of C1."""
    customers = tmp_path / "企业.csv"
    customers.write_text("客户编号,企业名称,所属行业,员工人数,营业收入\n" + rows, encoding="utf-8")
    import_file(ws, "customers", customers)
    orders = tmp_path / "o.csv"
    orders.write_text("订单号,客户编号,下单时间,实付金额\nO1,C1,2026-05-01,100\n", encoding="utf-8")
    import_file(ws, "orders", orders)
    run = run_taxonomy(ws, with_models=False)
    columns = ["customer_id", "company_size", "industry_sector"]
    table = pq.read_table(run.labels_path, columns=columns).to_pylist()
    return {r["customer_id"]: (r["company_size"], r["industry_sector"]) for r in table}


def test_a_mixed_section_name_sizes_by_its_lines(ws: Workspace, tmp_path: Path) -> None:
    """住宿和餐饮业 and 制造业 are left to the keywords for the group, but the size standard
    (统计上大中小微型企业划分办法（2017）) gives each its lines: 150 staff and ¥1,500万 in
    accommodation and catering are small (revenue under 2,000万), and 200 staff at a
    manufacturer are small (industry's medium starts at 300); read as "other industries",
    by the staff alone, both were medium. 卫生和社会工作 has no lines of its own."""
    found = _sized(
        ws,
        tmp_path,
        "C1,某酒店管理有限公司,住宿和餐饮业,150,1500万\n"
        "C2,某机械有限公司,制造业,200,10000万\n"
        "C3,某诊所,卫生和社会工作,150,1500万\n",
    )
    assert found == {
        "C1": ("small", "catering"),
        "C2": ("small", "finished_goods"),
        "C3": ("medium", "healthcare"),
    }


def test_a_mixed_section_names_its_lines_in_the_reason() -> None:
    """The reason names the lines that sized the company (the standard alone before)."""
    from kequn.taxonomy.reasons import size_basis

    hotel = {"industry": "住宿和餐饮业", "employees": 150, "annual_revenue": 15_000_000}
    maker = {"industry": "制造业", "employees": 200, "annual_revenue": 100_000_000}
    for values in (hotel, maker):
        values |= {"industry_section": None, "company_size_cn": "small", "cny_per_unit": 1.0}
    assert size_basis(hotel, "zh") == "国标住宿业和餐饮业：营业收入 ¥1,500万 ≥ ¥100万（< ¥2,000万）"
    assert size_basis(maker, "en") == "China 2017 standard, industry: employees 200 ≥ 20 (< 300)"
