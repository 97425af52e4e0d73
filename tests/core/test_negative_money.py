"""A negative amount (an uplift's revenue difference, its confidence bounds) is written
with its sign before the currency, as both languages write money: -¥575, not ¥-575; an
amount that rounds to nothing has no sign."""

from __future__ import annotations

import pytest

from kequn.core.display import money


@pytest.mark.parametrize(
    ("raw", "lang", "shown"),
    [
        (-575, "en", "-¥575"),
        (-575.2, "zh", "-¥575.2"),
        (-25_740, "zh", "-¥2.6万"),
        (-25_740, "en", "-¥25,740"),
        (-3.2e8, "zh", "-¥3.2亿"),
        (-0.004, "en", "¥0"),
        (-0.4, "en", "-¥0.4"),
        (1_424, "en", "¥1,424"),
        (0, "zh", "¥0"),
    ],
)
def test_the_sign_comes_before_the_currency(raw: float, lang: str, shown: str) -> None:
    assert money(raw, lang) == shown


@pytest.mark.parametrize(
    ("raw", "lang", "shown"),
    [
        (9.9, "zh", "¥9.9"),
        (199.9, "en", "¥199.9"),
        (99.5, "zh", "¥99.5"),
        (12.345, "en", "¥12.35"),
        (100.0, "en", "¥100"),
        (1_234.5, "en", "¥1,235"),
        (12_000, "zh", "¥1.2万"),
        (300_000, "zh", "¥30万"),
        (88.8, "en", "HK$88.8"),
    ],
)
def test_a_price_keeps_its_cents_and_pages_and_reasons_agree(
    raw: float, lang: str, shown: str
) -> None:
    """A ¥9.9 order (拼多多's usual price) was shown as ¥10 in a customer's order list
    and as ¥9.9 in the reason beside it: two formatters. There is one now, and amounts
    below 1,000 keep their cents."""
    from kequn.taxonomy.reasons import fmt_value

    currency = "HKD" if shown.startswith("HK$") else "CNY"
    assert money(raw, lang, currency) == shown
    assert fmt_value(raw, "money", lang, currency=currency) == shown
