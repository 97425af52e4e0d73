"""A buyer exactly at the frequent line is frequent: 6 orders over a year (365 days since
the first) were 6 / 365 * 365 = 5.999999999999999 orders a year in floating point, short
of the taxonomy's 6, so the buyer was occasional, "6 orders, about 6 a year"; so were
12 orders over two years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cli_helpers import small_shop

AS_OF = dt.date(2026, 6, 1)


def _orders(customer: str, first_days_ago: int, count: int) -> list[str]:
    step = first_days_ago // (count - 1)
    days = [first_days_ago - i * step for i in range(count - 1)] + [0]
    return [
        f"{customer}-{i},{customer},{AS_OF - dt.timedelta(days=d)} 10:00,100"
        for i, d in enumerate(days)
    ]


def test_a_buyer_on_the_line_is_frequent(tmp_path: Path) -> None:
    rows = _orders("Y1", 365, 6) + _orders("Y2", 730, 12) + _orders("N1", 365, 5)
    shop = small_shop(
        tmp_path,
        {
            "customers": "customer_id,name\nY1,甲\nY2,乙\nN1,丙\n",
            "orders": "order_id,customer_id,ordered_at,amount\n" + "\n".join(rows) + "\n",
        },
        "--as-of",
        str(AS_OF),
        "--no-models",
    )
    behaviour = {cid: labels["behaviour"][0] for cid, labels in shop.items()}
    assert behaviour["Y1"] == ("frequent", "6 orders, about 6 a year (at least 6)")
    assert behaviour["Y2"][0] == "frequent"
    assert behaviour["N1"] == ("occasional", "5 orders, about 5 a year")
