"""A company list as 企查查 / 天眼查 give one, and a member file's ages, imported as
customers.

A 天眼查 company page names its fields 统一社会信用代码, 所属行业, 人员规模 ({scale}) and
参保人数 ({insuranceNum}) beside 注册资本 (a company-report template built on 天眼查's
API, github-code-index:16991206332); the size bands are choices such as 少于50人,
50-150人 ... 10000人以上 (job sites' company-size lists, github-code-index:134089546,
github-code-index:46858256310). Before: the file was refused (no customer id column:
统一社会信用代码 was no synonym), 所属省份 / 所属城市 / 国标行业 / 人员规模 / 参保人数 were
kept as attributes only, so geography, industry and company size were unknown; a band
(50-99人), 1.2亿 or 5000万-1亿 was "not a number / amount" and emptied, and so was an
age of 25岁.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

COMPANIES = """统一社会信用代码,企业名称,登记状态,注册资本,所属行业,国标行业,人员规模,参保人数,营业收入,所属省份,所属城市
91330100MA2A000001,杭州甲乙贸易有限公司,存续,1000万人民币,批发和零售业,F5191,少于50人,32,,浙江省,杭州市
91310000MA2A000002,上海丙丁电子有限公司,在业,500万美元,制造业,C3981,100-499人,210,5000万-1亿,上海市,上海市
91440300MA2A000003,深圳某某银行股份有限公司,存续,100亿人民币,金融业,J6620,10000人以上,12000,1000亿以上,广东省,深圳市
91440100MA2A000004,某某科技工作室,存续,10万,科学研究和技术服务业,M7520,0-20人,3,少于100万,广东省,广州市
"""


def _one_column(tmp_path: Path, header: str, cells: list[str]) -> Path:
    path = tmp_path / "customers.csv"
    rows = "".join(f'C{i:02d},"{cell}"\n' for i, cell in enumerate(cells))
    path.write_text(f"客户编号,{header}\n{rows}", encoding="utf-8")
    return path


def _values(ws: Workspace, column: str) -> list[object]:
    with ws.read() as con:
        rows = con.execute(f"SELECT {column} FROM customers ORDER BY customer_id").fetchall()
    return [value for (value,) in rows]


def test_a_company_list_maps_its_columns(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "企业名单.csv"
    path.write_text(COMPANIES, encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert report.accepted == 4
    assert not report.warnings_by_reason, report.warnings_by_reason
    assert report.mapping["customer_id"] == "统一社会信用代码"
    assert report.mapping["industry_code"] == "国标行业"
    assert report.mapping["employees"] == "参保人数"  # the count before the band
    assert report.mapping["province"] == "所属省份"
    assert report.mapping["city"] == "所属城市"
    # in the order of their ids
    assert _values(ws, "employees") == [210, 32, 3, 12000]
    assert _values(ws, "annual_revenue") == [75_000_000, None, 500_000, 100_000_000_000]


HEADCOUNTS = [  # (人员规模, the employees kept: a band's middle, whole persons)
    ("少于50人", 25),
    ("50-99人", 74),
    ("100-499人", 299),
    ("1000-4999人", 2999),
    ("10000人以上", 10000),
    ("0-20人", 10),
    ("员工 300 人", 300),
    ("1,200人", 1200),
    ("1.2万人", 12000),
    ("51-200 employees", 125),
    ("保密", None),
    ("-", None),
]


def test_headcount_bands_are_read(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(
        ws, "customers", _one_column(tmp_path, "人员规模", [c for c, _ in HEADCOUNTS])
    )
    assert not report.warnings_by_reason, report.warnings_by_reason
    assert _values(ws, "employees") == [kept for _, kept in HEADCOUNTS]


def test_revenue_in_yi_and_bands(ws: Workspace, tmp_path: Path) -> None:
    cells = ["1.2亿", "5000万-1亿", "1000万人民币", "少于100万", "¥1,234.5", "很多"]
    report = import_file(ws, "customers", _one_column(tmp_path, "营业收入", cells))
    assert report.warnings_by_reason == {"bad_money": 1}  # 很多
    found = [None if v is None else float(v) for v in _values(ws, "annual_revenue")]
    assert found == [120_000_000, 75_000_000, 10_000_000, 500_000, 1234.5, None]


AGES = [("25岁", 25), ("68周岁", 68), ("30-39岁", 34), ("60岁以上", 60), ("25", 25), ("保密", None)]


def test_ages_with_their_words(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "customers", _one_column(tmp_path, "年龄", [c for c, _ in AGES]))
    assert not report.warnings_by_reason, report.warnings_by_reason
    assert _values(ws, "age") == [kept for _, kept in AGES]


@pytest.mark.parametrize("cell", ["三十几", "很多人"])
def test_words_that_are_no_number_are_told(ws: Workspace, tmp_path: Path, cell: str) -> None:
    report = import_file(ws, "customers", _one_column(tmp_path, "年龄", [cell]))
    assert report.warnings_by_reason == {"bad_number": 1}


def test_the_size_and_geography_of_a_company_list(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "企业名单.csv"
    path.write_text(COMPANIES, encoding="utf-8")
    import_file(ws, "customers", path)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,客户编号,下单时间,实付金额\nO1,91330100MA2A000001,2026-05-01,100\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    run = run_taxonomy(ws, with_models=False)
    table = pq.read_table(run.labels_path, columns=["customer_id", "company_size", "geography"])
    found = {r["customer_id"]: (r["company_size"], r["geography"]) for r in table.to_pylist()}
    assert found == {
        "91330100MA2A000001": ("unknown", "domestic"),  # wholesale: revenue missing
        "91310000MA2A000002": ("small", "local"),  # 210 in manufacturing
        "91440300MA2A000003": ("large", "domestic"),
        "91440100MA2A000004": ("micro", "domestic"),
    }
