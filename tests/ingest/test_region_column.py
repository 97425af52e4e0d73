"""A customer's place in one column, as member files give it: 地区 ``浙江省 杭州市``,
``广东省深圳市``, ``中国-广东-广州`` (a WeChat profile's country, province and city, 中国 /
广东 / 广州 in the user-info API,
https://developers.weixin.qq.com/doc/service/api/webdev/access/api_snsuserinfo.html, shown
joined with dashes, https://docs.rs/wechat-minapp/3.3.0/src/wechat_minapp/user/user_info.rs.html).
Before, the column was only an attribute: no province, city or country, so every customer's
geography was unknown. So was a customers file with only an address (浙江省杭州市西湖区...)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

PLACES = [  # (地区, (country, province, city))
    ("浙江省 杭州市", (None, "浙江省", "杭州市")),
    ("上海市 上海市", (None, "上海市", "上海市")),
    ("上海 浦东新区", (None, "上海", "上海")),  # a municipality is its own city
    ("广东省深圳市南山区", (None, "广东省", "深圳市")),
    ("中国-广东-广州", ("中国", "广东", "广州")),
    ("中国浙江省杭州市", ("中国", "浙江省", "杭州市")),
    ("江苏省/南京市", (None, "江苏省", "南京市")),
    ("广西壮族自治区南宁市", (None, "广西壮族自治区", "南宁市")),
    ("北京市", (None, "北京市", "北京市")),
    ("廣東省 廣州市", (None, "廣東省", "廣州市")),
    ("美国 纽约", ("美国", None, "纽约")),
    ("杭州市 西湖区", (None, None, "杭州市")),
    ("New York, NY", (None, None, None)),  # Latin letters: city first, left as written
    ("-", (None, None, None)),
]


def _places(ws: Workspace) -> dict[str, tuple[str | None, ...]]:
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, country, province, city FROM customers").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "xlsx"])
def test_a_region_column_gives_the_place(ws: Workspace, tmp_path: Path, encoding: str) -> None:
    rows = [("会员编号", "姓名", "地区")]
    rows += [(f"M{i:02d}", "张三", cell) for i, (cell, _) in enumerate(PLACES)]
    if encoding == "xlsx":
        path = tmp_path / "会员.xlsx"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        path = tmp_path / "会员.csv"
        text = "".join(",".join(f'"{c}"' for c in row) + "\n" for row in rows)
        path.write_bytes(text.encode(encoding))
    report = import_file(ws, "customers", path)
    assert report.mapping["region"] == "地区"
    assert report.attributes == ["地区"]  # kept as written too
    assert not report.warnings_by_reason
    found = _places(ws)
    want = {f"M{i:02d}": place for i, (_, place) in enumerate(PLACES)}
    assert found == want


def test_columns_of_their_own_win(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "客户编号,城市,地区\nC1,苏州市,江苏省 南京市\nC2,,浙江省 杭州市\n", encoding="utf-8"
    )
    import_file(ws, "customers", path)
    assert _places(ws) == {"C1": (None, "江苏省", "苏州市"), "C2": (None, "浙江省", None)}


def test_the_start_of_an_address_gives_the_place(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "客户编号,详细地址\nC1,浙江省杭州市西湖区文三路 100 号\nC2,上海市浦东新区张江路 1 号\n"
        "C3,文三路 100号\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", path)
    # a street and a number are no country and city
    assert _places(ws) == {
        "C1": (None, "浙江省", "杭州市"),
        "C2": (None, "上海市", "上海市"),
        "C3": (None, None, None),
    }


def test_geography_reads_the_region(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "会员编号,地区\nM1,上海 浦东新区\nM2,浙江省 杭州市\nM3,美国 纽约\nM4,中国-上海-上海\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", path)
    orders = tmp_path / "o.csv"
    orders.write_text(
        "订单号,会员编号,下单时间,实付金额\n"
        + "".join(f"O{i},M{i},2026-05-0{i},100\n" for i in range(1, 5)),
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    run = run_taxonomy(ws, with_models=False)  # home: 上海, CN
    table = pq.read_table(run.labels_path, columns=["customer_id", "geography"])
    found = {r["customer_id"]: r["geography"] for r in table.to_pylist()}
    assert found == {"M1": "local", "M2": "domestic", "M3": "international", "M4": "local"}


def test_a_long_region_and_address_give_their_first_places(ws: Workspace, tmp_path: Path) -> None:
    """A cell of 10 KB (a note pasted into 地区, an address repeated): its first words are
    the place. Each part of the place split the text ~30 times: 200 such rows took 1.1 GB."""
    long_region = "浙江省杭州市西湖区" * 1200
    long_address = "美国 纽约 " + "第五大道" * 2500
    path = tmp_path / "会员.csv"
    rows = ["会员编号,地区,地址"]
    rows += [f"R{i},{long_region},{long_address}" for i in range(20)]
    rows += [f"A{i},,{long_address}" for i in range(20)]
    rows += [f'P{i},"{cell}",{long_address}' for i, (cell, _) in enumerate(PLACES)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(ws, "customers", path)
    found = _places(ws)
    assert {found[f"R{i}"] for i in range(20)} == {(None, "浙江省", "杭州市")}
    # an address's first two words are no country and city (a street and a number)
    assert {found[f"A{i}"] for i in range(20)} == {(None, None, None)}
    assert {k: v for k, v in found.items() if k[0] == "P"} == {
        f"P{i}": place for i, (_, place) in enumerate(PLACES)
    }
