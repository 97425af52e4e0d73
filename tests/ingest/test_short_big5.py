"""Short Big5 files (a header and one to three rows, as a 台灣 or 香港 shop's first test
export is) are read as Big5, and short GBK files still as GBK.

Big5 decodes as GB18030 too, into other characters; kequn took a file for Big5 only when
that reading had private-use characters (where Big5's most common characters fall in
GBK). A file with English headers and a few names often had none: 許志豪, 嘉義市 was
stored as 砛в花, 古竡カ."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

BIG5 = [
    "customer id,name,city\r\nC1,許志豪,嘉義市\r\n",
    "customer id,name,city\r\nC1,劉德華,臺中市\r\n",
    "customer id,name,city\r\nC1,張雅婷,高雄市\r\nC2,陳大文,台北市\r\n",
    (
        "customer id,name,city,phone\r\nC1,蔡宜蓁,宜蘭縣,0912345678\r\n"
        "C2,鄭國強,基隆市,0922333444\r\nC3,周潤發,沙田,98765432\r\n"
    ),
    "id,name\r\nC1,陳大文\r\n",
    "會員編號,姓名,城市\r\nM001,陳大文,台北市\r\n",
]
GBK = [
    "customer id,name,city\r\nC1,陈伟,北京市\r\n",
    "customer id,name,city\r\nC1,王芳,上海\r\nC2,张伟,杭州市\r\n",
    "customer id,name,city\r\nC1,李娜,深圳市\r\nC2,刘洋,成都市\r\nC3,赵强,武汉市\r\n",
    "客户编号,姓名,城市\r\nC1,陈大文,台北市\r\n",
]


def rows(text: str) -> list[tuple[str, str, str | None]]:
    out = []
    for line in text.split("\r\n")[1:]:
        if line:
            cells = line.split(",")
            out.append((cells[0], cells[1], cells[2] if len(cells) > 2 else None))
    return out


def stored(ws: Workspace) -> list[tuple[str, str, str | None]]:
    with ws.read() as con:
        found = con.execute("SELECT customer_id, name, city FROM customers ORDER BY 1").fetchall()
    return [(str(r[0]), str(r[1]), r[2]) for r in found]


@pytest.mark.parametrize("text", BIG5, ids=[f"big5-{i}" for i in range(len(BIG5))])
def test_a_short_big5_file_is_read_as_big5(ws: Workspace, tmp_path: Path, text: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(text.encode("cp950"))
    report = import_file(ws, "customers", path)
    assert report.encoding == "cp950"
    assert stored(ws) == rows(text)


@pytest.mark.parametrize("text", GBK, ids=[f"gbk-{i}" for i in range(len(GBK))])
def test_a_short_gbk_file_is_still_gbk(ws: Workspace, tmp_path: Path, text: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(text.encode("gbk"))
    report = import_file(ws, "customers", path)
    assert report.encoding == "gb18030"
    assert stored(ws) == rows(text)
