"""Percentile lines on shops whose numbers tie: every order one item, every buyer spending
the same. A line meant to single out a few (the top 20%, bulk, small orders) that ties
with the median buyer singles out nobody, rather than everybody."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop
from kequn.taxonomy.explain import why_not
from kequn.taxonomy.model import load_taxonomy

CUSTOMERS = "id,name\n" + "".join(f"c{i},客户{i}\n" for i in range(10))


def test_one_item_per_order_does_not_make_every_repeat_buyer_bulk(tmp_path: Path) -> None:
    # every order is one item: the 95th percentile of items per order is 1
    orders = ["order_id,customer_id,time,amount,quantity,status"]
    for i in range(10):
        for k in range(1 + (i + 2) % 3):  # one, two or three orders each (three: c9)
            orders.append(f"o{i}-{k},c{i},2025-0{1 + k}-1{i % 9},{100 + 10 * i},1,paid")
    shop = small_shop(tmp_path, {"customers": CUSTOMERS, "orders": "\n".join(orders)})
    bulk = [cid for cid, dims in shop.items() if dims["order_size"][0][0] == "bulk"]
    # bulk is by order value alone: the repeat buyer with the largest orders
    assert bulk == ["c9"]
    assert "items" not in shop["c9"]["order_size"][0][1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_equal_spend_is_medium_value_and_regular_size(tmp_path: Path, lang: str) -> None:
    orders = "order_id,customer_id,time,amount,quantity,status\n" + "".join(
        f"o{i},c{i},2025-03-0{1 + i % 5},100,1,paid\n" for i in range(10)
    )
    shop = small_shop(tmp_path, {"customers": CUSTOMERS, "orders": orders}, lang=lang)
    for dims in shop.values():
        (value,) = dims["value"]
        (size,) = dims["order_size"]
        assert value[0] == "medium"
        assert size[0] == "regular"
    reason_value, reason_size = shop["c0"]["value"][0][1], shop["c0"]["order_size"][0][1]
    if lang == "zh":
        assert (
            reason_value == "累计消费 ¥100，与过半买家持平（中位线 ¥100），达到高价值线也不算突出"
        )
        assert reason_size == "只下过 1 单，金额 ¥100，正是买家的中位水平"
    else:
        assert reason_value == (
            "total spend ¥100, the same as half the buyers or more (median ¥100): "
            "reaching the high-value line does not set them apart"
        )
        assert reason_size == "a single order of ¥100, what the median buyer spends per order"


def test_why_not_high_at_a_tied_median_says_no_zero_gap() -> None:
    taxonomy = load_taxonomy()
    params = {name: th.value for name, th in taxonomy.thresholds.items() if th.value is not None}
    params.update(high_value_spend=100.0, medium_value_spend=100.0)
    row = {"orders": 1, "spend": 100.0, "days_since_first_order": 400, "value": "medium"}
    answer = why_not(taxonomy, row, params, "value", "high", "en")
    (unmet,) = [c for c in answer["conditions"] if not c["met"]]
    assert unmet["gap"] is None
    assert "¥0" not in unmet["text"]
    assert answer["hint"] is None


def test_a_customer_without_a_paid_order_has_no_value_when_the_median_spend_is_zero(
    tmp_path: Path,
) -> None:
    orders = (
        "order_id,customer_id,time,amount,status\n"
        "o1,c0,2025-03-01,100,paid\n"
        "o2,c1,2025-03-01,0,paid\n"  # a free order: the median spend of buyers is ¥0
        "o3,c2,2025-03-02,100,cancelled\n"
    )
    shop = small_shop(tmp_path, {"customers": CUSTOMERS, "orders": orders})
    assert shop["c2"]["value"] == [("none", "no paid order yet")]
    assert shop["c9"]["value"] == [("none", "no paid order yet")]
    assert shop["c1"]["value"][0][0] == "medium"
