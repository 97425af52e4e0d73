"""The import's column mapping names what each header was taken for as the rest of the
UI names the field, in the language: the zh summary said `实付金额 → amount`, the
columns' internal ids, where a Chinese user reads 金额; an order export's buyer columns
are the buyer's fields (买家名称, buyer's name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words

#: 千牛's order export headers (the taobao profile's own), in a plain CSV
ORDERS = "订单编号,买家会员名,下单时间,实付金额,订单状态,收货人姓名\nA1,tb_amy,2024-01-05,10,已付款,张三\n"


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        (
            "zh",
            ["订单编号 → 订单编号", "实付金额 → 金额", "订单状态 → 状态", "收货人姓名 → 买家名称"],
            ["order_id", "→ amount", "customer_name"],
        ),
        (
            "en",
            ["订单编号 → order id", "实付金额 → amount", "收货人姓名 → buyer's name"],
            ["order_id", "ordered_at", "customer_name"],
        ),
    ],
)
def test_the_mapping_names_the_fields_in_the_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    said: list[str],
    not_said: list[str],
) -> None:
    ws = tmp_path / "ws"
    assert kequn_words(capsys, "init", "-w", ws)[0] == 0
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    code, out = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws)
    assert code == 0, out
    for words in said:
        assert words in out, out
    for words in not_said:
        assert words not in out, out
