"""Every dimension of the default taxonomy at its thresholds' boundaries (table-driven)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kequn.taxonomy.model import Taxonomy

Classify = Callable[..., list[dict[str, Any]]]

# (description, features, expected) per exclusive dimension; purchase cycle C = 30 days
#: a repeat buyer on a steady cycle (bulk needs one): three purchase days, even intervals
STEADY = {"orders": 3, "purchase_days": 3, "cv_days_between_orders": 0.1}

CASES: dict[str, list[tuple[str, dict[str, Any], str]]] = {
    "lifecycle": [
        ("never bought", {}, "prospect"),
        (
            "recency just over 4C",
            {"orders": 1, "days_since_last_order": 121, "days_since_first_order": 300},
            "churned",
        ),
        (
            "recency exactly 4C is dormant, not churned",
            {"orders": 1, "days_since_last_order": 120, "days_since_first_order": 120},
            "dormant",
        ),
        (
            "recency just over 2C, first order before the new-customer window",
            {"orders": 1, "days_since_last_order": 91, "days_since_first_order": 91},
            "dormant",
        ),
        # a first-time buyer within the window is new, however short the cycle: just
        # acquired, to be led to a second order (not a lapsed relationship)
        (
            "one order 61 days ago, over 2C, within the window",
            {"orders": 1, "days_since_last_order": 61, "days_since_first_order": 61},
            "new",
        ),
        (
            "one order 90 days ago, over 2C, the window's last day",
            {"orders": 1, "days_since_last_order": 90, "days_since_first_order": 90},
            "new",
        ),
        # a repeat buyer within the window who lapsed has a relationship to wake
        (
            "two orders within the window, the last over 2C ago",
            {"orders": 2, "days_since_last_order": 61, "days_since_first_order": 80},
            "dormant",
        ),
        (
            "two orders within the window, the model gives up",
            {
                "orders": 2,
                "days_since_last_order": 20,
                "days_since_first_order": 80,
                "p_alive": 0.01,
            },
            "churned",
        ),
        (
            "recency exactly 2C and first order at 90 days is new",
            {"orders": 1, "days_since_last_order": 60, "days_since_first_order": 90},
            "new",
        ),
        (
            "first order 91 days ago, few orders",
            {"orders": 2, "days_since_last_order": 10, "days_since_first_order": 91},
            "active",
        ),
        (
            "3 orders and 180 days of tenure",
            {"orders": 3, "days_since_last_order": 10, "days_since_first_order": 180},
            "loyal",
        ),
        (
            "3 orders but 179 days",
            {"orders": 3, "days_since_last_order": 10, "days_since_first_order": 179},
            "active",
        ),
        (
            "repeat buyer the model gives up on",
            {
                "orders": 3,
                "purchase_days": 3,
                "days_since_last_order": 50,
                "days_since_first_order": 400,
                "p_alive": 0.049,
            },
            "churned",
        ),
        (
            "repeat buyer just alive enough",
            {
                "orders": 3,
                "purchase_days": 3,
                "days_since_last_order": 50,
                "days_since_first_order": 400,
                "p_alive": 0.05,
            },
            "loyal",
        ),
        (
            "one-time buyer the model gives up on",
            {
                "orders": 1,
                "purchase_days": 1,
                "days_since_last_order": 50,
                "days_since_first_order": 50,
                "p_alive": 0.049,
            },
            "churned",
        ),
    ],
    "value": [
        (
            "spend at the high line",
            {"orders": 5, "spend": 1000, "days_since_first_order": 400},
            "high",
        ),
        (
            "young with a high order value",
            {"orders": 1, "spend": 999, "days_since_first_order": 180, "aov_pct": 0.8},
            "potential_high",
        ),
        (
            "old, high order value, medium spend",
            {"orders": 2, "spend": 300, "days_since_first_order": 181, "aov_pct": 0.9},
            "medium",
        ),
        (
            "young with a high predicted value",
            {
                "orders": 1,
                "spend": 100,
                "days_since_first_order": 30,
                "aov_pct": 0.1,
                "clv_pct": 0.8,
            },
            "potential_high",
        ),
        (
            "young, predicted value just under",
            {
                "orders": 1,
                "spend": 100,
                "days_since_first_order": 30,
                "aov_pct": 0.1,
                "clv_pct": 0.79,
            },
            "low",
        ),
        (
            "just under medium",
            {"orders": 2, "spend": 299.99, "days_since_first_order": 400, "aov_pct": 0.1},
            "low",
        ),
        ("no purchase", {}, "none"),
    ],
    "behaviour": [
        ("6 orders a year", {"orders": 3, "orders_per_year": 6}, "frequent"),
        ("just under 6 a year", {"orders": 3, "orders_per_year": 5.99}, "occasional"),
        ("two orders", {"orders": 2, "orders_per_year": 12}, "occasional"),
        ("one order", {"orders": 1}, "one_time"),
        (
            "browsing within 180 days",
            {"views": 1, "events": 1, "days_since_last_event": 180},
            "potential_demand",
        ),
        (
            "browsing 181 days ago",
            {"views": 1, "events": 1, "days_since_last_event": 181},
            "silent",
        ),
        ("nothing at all", {}, "silent"),
    ],
    "loyalty": [
        (
            "repeat, tenure, recent, full price",
            {"orders": 3, "tenure_days": 180, "days_since_last_order": 60, "full_price_share": 0.5},
            "high",
        ),
        (
            "discount buyer who refers",
            {
                "orders": 3,
                "tenure_days": 180,
                "days_since_last_order": 60,
                "full_price_share": 0.4,
                "referrals": 1,
            },
            "high",
        ),
        (
            "discount buyer",
            {
                "orders": 3,
                "tenure_days": 180,
                "days_since_last_order": 60,
                "full_price_share": 0.49,
            },
            "medium",
        ),
        (
            "loyal habits but probably gone",
            {
                "orders": 3,
                "tenure_days": 180,
                "days_since_last_order": 60,
                "full_price_share": 0.9,
                "p_alive": 0.49,
            },
            "medium",
        ),
        ("two orders, recency 4C", {"orders": 2, "days_since_last_order": 120}, "medium"),
        ("two orders, recency past 4C", {"orders": 2, "days_since_last_order": 121}, "low"),
        ("not a buyer", {}, "unknown"),
    ],
    "rfm": [
        ("5-5-5", {"r_score": 5, "f_score": 5, "m_score": 5}, "champions"),
        ("4-4-3 is loyal, not champion", {"r_score": 4, "f_score": 4, "m_score": 3}, "loyal"),
        ("3-3-1", {"r_score": 3, "f_score": 3, "m_score": 1}, "loyal"),
        ("1-4-4", {"r_score": 1, "f_score": 4, "m_score": 4}, "cant_lose"),
        ("1-4-3", {"r_score": 1, "f_score": 4, "m_score": 3}, "at_risk"),
        ("2-3-1", {"r_score": 2, "f_score": 3, "m_score": 1}, "at_risk"),
        ("5-1", {"r_score": 5, "f_score": 1, "m_score": 2}, "new"),
        ("4-2", {"r_score": 4, "f_score": 2, "m_score": 2}, "potential_loyalist"),
        ("3-1", {"r_score": 3, "f_score": 1, "m_score": 1}, "promising"),
        ("3-2", {"r_score": 3, "f_score": 2, "m_score": 2}, "need_attention"),
        ("2-2", {"r_score": 2, "f_score": 2, "m_score": 5}, "about_to_sleep"),
        ("1-2", {"r_score": 1, "f_score": 2, "m_score": 2}, "hibernating"),
        ("1-1", {"r_score": 1, "f_score": 1, "m_score": 1}, "lost"),
        ("no scores", {}, "no_purchase"),
    ],
    "order_size": [
        (
            "repeat at the bulk value, on a steady cycle",
            {**STEADY, "avg_order_value": 500, "avg_quantity": 1},
            "bulk",
        ),
        (
            "repeat at the bulk quantity, on a steady cycle",
            {**STEADY, "avg_order_value": 100, "avg_quantity": 20},
            "bulk",
        ),
        (
            "repeat at the bulk value, uneven intervals",
            {**STEADY, "cv_days_between_orders": 0.51, "avg_order_value": 500, "avg_quantity": 1},
            "regular",
        ),
        (
            "repeat at the bulk value, variation at the line",
            {**STEADY, "cv_days_between_orders": 0.5, "avg_order_value": 500, "avg_quantity": 1},
            "bulk",
        ),
        (
            "repeat at the bulk value, two purchase days",
            {"orders": 2, "purchase_days": 2, "avg_order_value": 500, "avg_quantity": 1},
            "regular",
        ),
        (
            "one big order is not bulk",
            {"orders": 1, "avg_order_value": 500, "avg_quantity": 1},
            "regular",
        ),
        ("at the small line", {"orders": 3, "avg_order_value": 50, "avg_quantity": 1}, "small"),
        (
            "just over the small line",
            {"orders": 3, "avg_order_value": 50.01, "avg_quantity": 1},
            "regular",
        ),
        ("no orders", {}, "none"),
    ],
    "geography": [
        ("home city", {"city_norm": "上海", "country_norm": "CN"}, "local"),
        ("abroad", {"city_norm": "boston", "country_norm": "US"}, "international"),
        ("another Chinese city", {"city_norm": "杭州", "country_norm": "CN"}, "domestic"),
        ("city without country", {"city_norm": "杭州"}, "domestic"),
        # the province alone: the home municipality's is local, another is domestic
        ("home municipality as the province", {"province_norm": "上海"}, "local"),
        ("another province alone", {"province_norm": "浙江"}, "domestic"),
        ("nothing known", {}, "unknown"),
    ],
    "age_group": [
        ("teen", {"age": 16}, "youth"),
        ("34", {"age": 34}, "youth"),
        ("35", {"age": 35}, "middle_aged"),
        ("59", {"age": 59}, "middle_aged"),
        ("60", {"age": 60}, "senior"),
        ("unknown", {}, "unknown"),
    ],
    "gender_group": [
        ("female", {"gender": "female"}, "female"),
        ("male", {"gender": "male"}, "male"),
        ("other", {"gender": "other"}, "other"),
        ("missing", {}, "unknown"),
    ],
    "income_level": [
        ("300k", {"income": 300000}, "high"),
        ("just under", {"income": 299999}, "middle"),
        ("60k", {"income": 60000}, "middle"),
        ("just under 60k", {"income": 59999}, "low"),
        ("missing", {}, "unknown"),
    ],
    "customer_nature": [
        (kind, {"nature": kind}, kind)
        for kind in ("individual", "enterprise", "government", "institution")
    ]
    + [("missing", {}, "unknown")],
    "company_size": [
        (size, {"company_size_cn": size, "company_size_eu": "large"}, size)
        for size in ("large", "medium", "small", "micro")
    ]
    + [("unknown", {"company_size_cn": "unknown"}, "unknown")],
    "industry_sector": [
        (group, {"industry_group": group}, group)
        for group in (
            "raw_materials",
            "components",
            "finished_goods",
            "catering",
            "finance",
            "healthcare",
            "other_services",
            "retail",
            "other",
        )
    ]
    + [("individual", {}, "unknown")],
    "channel": [
        ("declared online", {"preferred_channel_group": "online", "online_share": 0.0}, "online"),
        (
            "declared offline",
            {"preferred_channel_group": "offline", "online_share": 1.0},
            "offline",
        ),
        (
            "half online",
            {"preferred_channel_group": "unknown", "contact_online_share": 0.5},
            "online",
        ),
        (
            "mostly offline",
            {"contact_online_share": 0.49, "contact_offline_share": 0.51},
            "offline",
        ),
        # orders and interactions together: online orders, offline contact otherwise
        (
            "orders online, interactions offline",
            {"online_share": 1.0, "contact_online_share": 0.25, "contact_offline_share": 0.75},
            "offline",
        ),
        # orders of no known channel (an export without a channel column) are neither
        ("channel unknown", {"contact_online_share": 0.0, "contact_offline_share": 0.0}, "unknown"),
        ("nothing known", {}, "unknown"),
    ],
    "acquisition_source": [
        (group, {"source_group": group}, group)
        for group in ("organic", "advertising", "partner_referral", "social", "direct", "other")
    ]
    + [("unknown", {"source_group": "unknown"}, "unknown")],
}

TAGS: list[tuple[str, dict[str, Any], str, bool]] = [
    ("half the orders discounted", {"orders": 2, "discount_share": 0.5}, "price_sensitive", True),
    ("just under half", {"orders": 2, "discount_share": 0.49}, "price_sensitive", False),
    ("one discounted order", {"orders": 1, "discount_share": 1.0}, "price_sensitive", False),
    ("came from social", {"source_group": "social"}, "social", True),
    ("shares twice", {"shares": 2}, "social", True),
    ("shared once", {"shares": 1}, "social", False),
    ("referred someone", {"referrals": 1}, "social", True),
    (
        "steady cadence, quiet",
        {"purchase_days": 4, "cv_days_between_orders": 0.35, "inquiries": 1},
        "habitual",
        True,
    ),
    (
        "cadence too irregular",
        {"purchase_days": 4, "cv_days_between_orders": 0.36},
        "habitual",
        False,
    ),
    (
        "too few purchase days",
        {"purchase_days": 3, "cv_days_between_orders": 0.1},
        "habitual",
        False,
    ),
    (
        "steady but engaged",
        {"purchase_days": 4, "cv_days_between_orders": 0.1, "tickets": 2},
        "habitual",
        False,
    ),
    (
        "full price repeat",
        {"orders": 3, "full_price_share": 0.8, "days_since_last_order": 60},
        "brand_loyal",
        True,
    ),
    (
        "mostly full price",
        {"orders": 3, "full_price_share": 0.79, "days_since_last_order": 60},
        "brand_loyal",
        False,
    ),
    ("three questions", {"inquiries": 2, "tickets": 1}, "functional_need", True),
    ("two questions", {"inquiries": 2}, "functional_need", False),
]

EXCLUSIVE_CASES = [(dim, *case) for dim, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(
    ("dimension", "description", "features", "expected"),
    EXCLUSIVE_CASES,
    ids=[f"{c[0]}:{c[1]}" for c in EXCLUSIVE_CASES],
)
def test_exclusive_boundaries(
    classify_rows: Classify,
    dimension: str,
    description: str,
    features: dict[str, Any],
    expected: str,
) -> None:
    (row,) = classify_rows([features])
    assert row[dimension] == expected, description


@pytest.mark.parametrize(
    ("description", "features", "tag", "expected"), TAGS, ids=[c[0] for c in TAGS]
)
def test_trait_boundaries(
    classify_rows: Classify, description: str, features: dict[str, Any], tag: str, expected: bool
) -> None:
    (row,) = classify_rows([features])
    assert row[f"traits_{tag}"] is expected, description


def test_a_first_time_buyer_is_new_through_the_window_whatever_the_cycle(
    classify_rows: Classify,
) -> None:
    """A short purchase cycle (15 days: 2C 30, 4C 60) does not make a first-time buyer
    of the new-customer window (90 days) dormant or churned: just acquired, not lapsed.
    Past the window, recency against the cycle decides again."""
    rows = [
        {"orders": 1, "days_since_last_order": d, "days_since_first_order": d}
        for d in (31, 61, 90, 91)
    ]
    found = [r["lifecycle"] for r in classify_rows(rows, purchase_cycle_days=15.0)]
    assert found == ["new", "new", "new", "churned"]


def test_every_dimension_of_the_spec_is_covered(taxonomy: Taxonomy) -> None:
    ids = {d.id for d in taxonomy.dimensions}
    assert set(CASES) | {"traits", "types"} == ids


def test_eu_standard_is_selectable(classify_rows: Classify) -> None:
    row = {"company_size_cn": "large", "company_size_eu": "small"}
    assert classify_rows([row])[0]["company_size"] == "large"
    assert classify_rows([row], size_standard="eu")[0]["company_size"] == "small"


def test_eleven_types_compose_other_dimensions(classify_rows: Classify) -> None:
    (row,) = classify_rows(
        [
            {
                "orders": 3,
                "spend": 5000,
                "days_since_last_order": 10,
                "days_since_first_order": 400,
                "tenure_days": 400,
                "full_price_share": 0.2,
                "discount_share": 0.8,
                "shares": 3,
            }
        ]
    )
    on = {name.removeprefix("types_") for name, v in row.items() if name.startswith("types_") and v}
    assert on == {"loyal", "high_value", "price_sensitive", "social"}
    (prospect,) = classify_rows([{}])
    assert {n for n, v in prospect.items() if n.startswith("types_") and v} == {"types_potential"}


numbers = st.one_of(st.none(), st.floats(min_value=0, max_value=5000, allow_nan=False))
scores = st.one_of(st.none(), st.integers(min_value=1, max_value=5).map(float))
texts = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "online",
            "offline",
            "social",
            "上海",
            "CN",
            "US",
            "female",
            "enterprise",
            "large",
            "retail",
            "x",
        ]
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "orders": st.integers(0, 20).map(float),
                "spend": numbers,
                "days_since_last_order": numbers,
                "days_since_first_order": numbers,
                "tenure_days": numbers,
                "orders_per_year": numbers,
                "r_score": scores,
                "f_score": scores,
                "m_score": scores,
                "avg_order_value": numbers,
                "avg_quantity": numbers,
                "age": numbers,
                "income": numbers,
                "online_share": numbers,
                "offline_share": numbers,
                "contact_online_share": numbers,
                "contact_offline_share": numbers,
                "city_norm": texts,
                "country_norm": texts,
                "gender": texts,
                "nature": texts,
                "source_group": texts,
                "preferred_channel_group": texts,
                "industry_group": texts,
                "company_size_cn": texts,
                "discount_share": numbers,
                "full_price_share": numbers,
            }
        ),
        min_size=1,
        max_size=30,
    )
)
def test_each_exclusive_dimension_gives_exactly_one_label(
    classify_rows: Classify, taxonomy: Taxonomy, rows: list[dict[str, Any]]
) -> None:
    for out in classify_rows(rows):
        for dim in taxonomy.dimensions:
            if dim.type != "exclusive":
                continue
            allowed = {label.id for label in dim.labels} | {
                dim.fallback.id if dim.fallback else "unknown"
            }
            assert out[dim.id] in allowed, (dim.id, out[dim.id])
