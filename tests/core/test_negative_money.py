"""A negative amount (an uplift's revenue difference, its confidence bounds) is written
with its sign before the currency, as both languages write money: -¥575, not ¥-575; an
amount that rounds to nothing has no sign."""

from __future__ import annotations

import pytest

from kequn.core.display import money


@pytest.mark.parametrize(
    ("raw", "lang", "shown"),
    [
        (-575.2, "en", "-¥575"),
        (-575.2, "zh", "-¥575"),
        (-25_740, "zh", "-¥2.6万"),
        (-25_740, "en", "-¥25,740"),
        (-3.2e8, "zh", "-¥3.20亿"),
        (-0.4, "en", "¥0"),
        (1_424, "en", "¥1,424"),
        (0, "zh", "¥0"),
    ],
)
def test_the_sign_comes_before_the_currency(raw: float, lang: str, shown: str) -> None:
    assert money(raw, lang) == shown
