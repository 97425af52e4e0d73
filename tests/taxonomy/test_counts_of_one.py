"""Counts in English reasons read right when one of them is 1: 'inquiries: 2, support
tickets: 1', not '2 inquiries and 1 support tickets'; 'shares: 0, referrals: 1', not
'0 shares and 1 referrals'; and a buyer of two bulk-sized orders on one day is told
'purchase days: 1', not 'bought on 1 days only'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kequn.taxonomy.explain import explain
from kequn.taxonomy.model import Taxonomy

Classify = Callable[..., list[dict[str, Any]]]

#: the thresholds the reasons below show (the others as the default taxonomy pins them)
LINES = {
    "purchase_cycle_days": 30.0,
    "bulk_order_value": 500.0,
    "bulk_quantity": 20.0,
    "typical_order_value": 120.0,
    "typical_quantity": 2.0,
    "small_order_value": 50.0,
    "high_value_spend": 1000.0,
    "medium_value_spend": 300.0,
}


def _reasons(taxonomy: Taxonomy, row: dict[str, Any], lang: str) -> dict[tuple[str, str], str]:
    params = {n: th.value for n, th in taxonomy.thresholds.items() if th.value is not None}
    params.update(LINES)
    return {
        (d["dimension"], label["label"]): label["reason"]
        for d in explain(taxonomy, row, params, lang)
        for label in d["labels"]
    }


def test_counts_of_one_in_english(classify_rows: Classify, taxonomy: Taxonomy) -> None:
    asks, refers, loyal, one_day = classify_rows(
        [
            {"inquiries": 2, "tickets": 1},
            {"orders": 1, "spend": 100, "avg_order_value": 100, "referrals": 1},
            {
                "orders": 3,
                "purchase_days": 3,
                "spend": 600,
                "avg_order_value": 200,
                "tenure_days": 200,
                "days_since_first_order": 200,
                "days_since_last_order": 10,
                "full_price_share": 1.0,
                "referrals": 1,
            },
            {"orders": 2, "purchase_days": 1, "avg_order_value": 600, "avg_quantity": 1},
        ],
        **LINES,
    )
    assert _reasons(taxonomy, asks, "en")[("traits", "functional_need")] == (
        "inquiries: 2, support tickets: 1"
    )
    said = _reasons(taxonomy, refers, "en")
    assert said[("traits", "social")] == "shares: 0, referrals: 1"
    assert said[("types", "social")] == "social: shares: 0, referrals: 1"
    assert _reasons(taxonomy, loyal, "en")[("loyalty", "high")] == (
        "3 orders over 200 days, the last 10 days ago; 100% at full price, referrals: 1"
    )
    assert _reasons(taxonomy, one_day, "en")[("order_size", "regular")] == (
        "2 orders averaging ¥600, at or above the bulk line of ¥500, but bought on too few "
        "days (purchase days: 1): bulk needs a steady cycle over at least 3"
    )
