"""The income lines are yuan (a yearly ¥300,000 is a high income, ¥60,000 a low one): a
workspace that counts in dollars had a customer earning $50,000 (¥350,000) called a low
income, compared with "$60,000", and the reason showed the yuan figures as dollars. A
pinned threshold with ``currency: CNY`` is now converted with kequn.toml's
``cny_per_unit``."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop


def test_income_lines_in_dollars(tmp_path: Path) -> None:
    found = small_shop(
        tmp_path,
        {"customers": "id,name,income\nc1,Ann,50000\nc2,Bo,5000\n"},
        "--as-of",
        "2025-03-01",
        init_args=("--currency", "USD"),
        settings={"cny_per_unit": "7.0"},
    )
    assert {cid: labels["income_level"] for cid, labels in found.items()} == {
        "c1": [("high", "a yearly income of $50,000, at or above $42,857")],
        "c2": [("low", "a yearly income of $5,000, below $8,571")],
    }
