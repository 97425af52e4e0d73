"""``kequn quarantine`` names each row's column as the person knows it: the file's header
and the field's name in the language (订单创建时间 (下单时间)), in its table and in its
messages alike; the messages read "订单创建时间 (ordered_at) 不是可识别的日期", kequn's
internal id where the table said 下单时间.

The file is 淘宝/天猫's ExportOrderList (the columns as the importers cited in
formats/taobao.yaml read them), one order's 订单创建时间 not a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output, kequn_words
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

EXPORT = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,联系手机,订单创建时间,订单付款时间 ,店铺名称\r\n"
    "1930679858170641,amy,88.00,交易成功,138****5678,2024-03-05 14:03:00,2024-03-05 14:05:00,小店\r\n"
    "1930679858170642,ben,66.00,交易成功,139****1234,not a date,2024-03-06 09:00:00,小店\r\n"
)


@pytest.mark.parametrize(
    ("lang", "label", "said"),
    [
        ("zh", "订单创建时间 (下单时间)", "订单创建时间 (下单时间) 不是可识别的日期: not a date"),
        ("en", "订单创建时间 (order time)", "订单创建时间 (order time) is not a date: not a date"),
    ],
)
def test_the_quarantine_names_the_column_as_known(
    capsys: pytest.CaptureFixture[str],
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    label: str,
    said: str,
) -> None:
    path = tmp_path / "ExportOrderList.csv"
    path.write_bytes(EXPORT.encode("gbk"))
    assert import_file(ws, "orders", path).rejected == 1
    monkeypatch.setenv("COLUMNS", "250")
    code, out, err = kequn_output(capsys, "--lang", lang, "quarantine", "-w", ws.root, "--json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["message"] == said
    assert (row["column"], row["column_label"]) == ("ordered_at", label)
    code, words = kequn_words(capsys, "--lang", lang, "quarantine", "-w", ws.root)
    assert code == 0, words
    assert label in words, words
    assert "ordered_at" not in words, words
