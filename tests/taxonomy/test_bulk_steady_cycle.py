"""Bulk (大宗) is large orders on a stable purchase cycle, as the seeds define it
(单次采购量大、采购周期稳定): large orders bought at uneven intervals, or on two days only,
are regular, and the reason says what was missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cli_helpers import small_shop

AS_OF = dt.date(2025, 6, 30)


def _shop() -> dict[str, str]:
    orders = ["order_id,customer_id,ordered_at,amount,quantity"]

    def add(customer: str, days_ago: int, amount: int, quantity: int = 1) -> None:
        day = AS_OF - dt.timedelta(days=days_ago)
        orders.append(f"o{len(orders)},{customer},{day},{amount},{quantity}")

    for i in range(10):
        add(f"s{i}", 20 + i, 100)
    for days_ago in (10, 40, 70, 100):
        add("steady", days_ago, 5000)
    for days_ago in (10, 15, 200):
        add("erratic", days_ago, 5000)
    for days_ago in (10, 40):
        add("twice", days_ago, 5000)
    for days_ago in (10, 40, 70):
        add("items", days_ago, 100, 50)
    ids = [f"s{i}" for i in range(10)] + ["steady", "erratic", "twice", "items"]
    customers = "id,name\n" + "".join(f"{c},{c}\n" for c in ids)
    return {"customers": customers, "orders": "\n".join(orders) + "\n"}


EXPECTED = {
    "en": {
        "steady": (
            "bulk",
            (
                "4 orders on 4 days averaging ¥5,000, at or above the bulk line of ¥5,000, "
                "bought every 30 days on average, varying by 0% (at most 50%)"
            ),
        ),
        "erratic": (
            "regular",
            (
                "3 orders averaging ¥5,000, at or above the bulk line of ¥5,000, but the days "
                "between them vary by 134%, more than 50%: no steady cycle"
            ),
        ),
        "twice": (
            "regular",
            (
                "2 orders averaging ¥5,000, at or above the bulk line of ¥5,000, but bought on "
                "too few days (purchase days: 2): bulk needs a steady cycle over at least 3"
            ),
        ),
        "items": (
            "bulk",
            (
                "3 orders on 3 days averaging 50 items, at or above the bulk line of 50, "
                "bought every 30 days on average, varying by 0% (at most 50%)"
            ),
        ),
    },
    "zh": {
        "steady": (
            "bulk",
            (
                "在 4 个日期下单 4 次，平均订单金额 ¥5,000，达到大宗线 ¥5,000；"
                "平均每 30 天采购一次，间隔波动 0%（不超过 50%）"
            ),
        ),
        "erratic": (
            "regular",
            (
                "下单 3 次，平均订单金额 ¥5,000，达到大宗线 ¥5,000，但采购间隔波动 134%，"
                "超过 50%：周期不稳定"
            ),
        ),
        "twice": (
            "regular",
            (
                "下单 2 次，平均订单金额 ¥5,000，达到大宗线 ¥5,000，但只在 2 个日期购买："
                "大宗要求至少 3 个日期的稳定采购周期"
            ),
        ),
        "items": (
            "bulk",
            (
                "在 3 个日期下单 3 次，平均每单 50 件，达到大宗件数线 50 件；"
                "平均每 30 天采购一次，间隔波动 0%（不超过 50%）"
            ),
        ),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bulk_needs_a_steady_cycle(tmp_path: Path, lang: str) -> None:
    shop = small_shop(tmp_path, _shop(), "--as-of", AS_OF.isoformat(), lang=lang)
    for cid, expected in EXPECTED[lang].items():
        assert shop[cid]["order_size"] == [expected], cid
    assert [c for c, dims in shop.items() if dims["order_size"][0][0] == "bulk"] == [
        "steady",
        "items",
    ]
