"""A customer whose only orders were refunded or cancelled has orders, just no paid one:
the behaviour reasons said 'silent — no order, and no interaction at all' (尚未购买), on a
customer page whose order list showed the refunded order right below."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

FILES = {
    "customers": "客户编号,姓名\nrefunded,R\ncancelled,C\nbuyer,B\n",
    "orders": (
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        "R1,refunded,2026-10-01 10:00,99.00,已退款\n"
        "R2,cancelled,2026-10-05 10:00,150.00,已取消\n"
        "R3,buyer,2026-10-06 10:00,20.00,已完成\n"
    ),
    "events": ("客户编号,发生时间,类型,渠道\ncancelled,2026-10-04 10:00,浏览,web\n"),
}

SAID = {
    "en": {
        "refunded": "no paid order, and no interaction at all",
        "cancelled": "no paid order yet, but views: 1",
    },
    "zh": {"refunded": "尚无付款订单，也没有任何互动", "cancelled": "尚无付款订单，但有浏览 1 次"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_refunded_or_cancelled_orders_are_no_paid_order(tmp_path: Path, lang: str) -> None:
    shop = small_shop(tmp_path, FILES, "--as-of", "2026-10-06", lang=lang)
    for cid, said in SAID[lang].items():
        [(label, reason)] = shop[cid]["behaviour"]
        assert label in ("silent", "potential_demand"), cid
        assert reason.startswith(said), reason
    [(_, channel)] = shop["cancelled"]["channel"]
    assert ("no paid order yet" if lang == "en" else "尚无付款订单") in channel, channel
