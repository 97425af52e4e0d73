"""The R score of buyers who last bought on the same day: ties take the middle of the ranks
they span, so a shop's latest buyers are not scored as its stalest."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

CUSTOMERS = "id,name\n" + "".join(f"c{i},客户{i}\n" for i in range(10))


def _orders(days: list[str]) -> str:
    rows = "".join(f"o{i},c{i},{day},100,paid\n" for i, day in enumerate(days))
    return "order_id,customer_id,time,amount,status\n" + rows


def test_everyone_buying_on_one_day_is_not_lost(tmp_path: Path) -> None:
    shop = small_shop(
        tmp_path,
        {"customers": CUSTOMERS, "orders": _orders(["2025-03-01"] * 10)},
        "--as-of",
        "2025-03-10",
    )
    for dims in shop.values():
        (rfm,) = dims["rfm"]
        # nothing tells them apart: middling recency, one order each
        assert rfm[0] == "promising", rfm
        assert rfm[1].startswith("recency 3, frequency 1")


def test_the_latest_days_buyers_rank_as_recent(tmp_path: Path) -> None:
    days = ["2025-01-01", "2025-01-01"] + ["2025-04-10"] * 8
    shop = small_shop(tmp_path / "most", {"customers": CUSTOMERS, "orders": _orders(days)})
    # eight of ten bought on the latest day: recent (R 4), not 'about to sleep' (R 2)
    assert {shop[f"c{i}"]["rfm"][0][0] for i in range(2, 10)} == {"new"}
    assert {shop[f"c{i}"]["rfm"][0][0] for i in range(2)} == {"lost"}


def test_a_single_buyer_is_not_lost(tmp_path: Path) -> None:
    customers = "id,name\nc1,张三\n"
    shop = small_shop(
        tmp_path,
        {"customers": customers, "orders": _orders(["2025-03-01"]).replace("c0", "c1")},
        lang="zh",
    )
    (rfm,) = shop["c1"]["rfm"]
    assert rfm[0] == "promising"
    assert "近度 R 3 分" in rfm[1]
