"""A potential high-value buyer's percentile is said of the other buyers: a percent rank
counts the buyers below among the others, so the highest of two read 'an average order
of ¥300, above 100% of buyers' (themselves included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

FILES = {
    "customers": "id,name\na,甲\nb,乙\n",
    # both spend ¥300 (neither is high value); b's one order is the larger
    "orders": (
        "order_id,customer_id,ordered_at,amount\n"
        "o1,a,2025-01-10,100\no2,a,2025-02-10,100\no3,a,2025-03-10,100\n"
        "o4,b,2025-01-20,300\n"
    ),
}


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        (
            "en",
            (
                "first order only 54 days ago, and an average order of ¥300, "
                "higher than 100% of the other buyers"
            ),
        ),
        ("zh", "首次下单仅在 54 天前，平均订单金额 ¥300 已高于 100% 的其他买家"),
    ],
)
def test_the_top_of_two_is_above_all_the_others(tmp_path: Path, lang: str, reason: str) -> None:
    shop = small_shop(tmp_path, FILES, "--as-of", "2025-03-15", lang=lang)
    assert shop["b"]["value"] == [("potential_high", reason)]
