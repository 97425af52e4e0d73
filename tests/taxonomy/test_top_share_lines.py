"""The lines of a top share (high value: the top 20% of spend; bulk: the top 10% of order
values) let that share reach them: of ten buyers spending ¥100..¥1,000, two are high value,
not three (the 80th percentile itself, ¥800, is not in the top 20%)."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest
from ibis.backends import BaseBackend

from cli_helpers import small_shop
from kequn.taxonomy.model import TaxonomyError, parse_taxonomy
from kequn.taxonomy.thresholds import top_line

CUSTOMERS = "id,name\n" + "".join(f"c{i},Buyer {i}\n" for i in range(1, 11))
ORDERS = "order_id,customer_id,ordered_at,amount\n" + "".join(
    f"o{i},c{i},2025-02-01,{i * 100}\n" for i in range(1, 11)
)


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("en", "total spend ¥900, at or above the high-value line of ¥900 (top 20%)"),
        ("zh", "累计消费 ¥900，达到高价值线 ¥900（前 20%）"),
    ],
)
def test_two_of_ten_buyers_are_the_top_20_percent(tmp_path: Path, lang: str, reason: str) -> None:
    shop = small_shop(
        tmp_path, {"customers": CUSTOMERS, "orders": ORDERS}, "--as-of", "2025-03-01", lang=lang
    )
    high = [cid for cid, dims in shop.items() if dims["value"][0][0] == "high"]
    assert high == ["c9", "c10"]
    assert shop["c9"]["value"][0][1] == reason
    assert shop["c8"]["value"][0][0] == "medium"


@pytest.mark.parametrize(
    ("values", "top", "line"),
    [
        ([100, 200, 300, 400, 500], 0.2, 500),  # one of five
        ([100, 200, 300], 0.2, 300),  # one of three (the top one, at least)
        ([100, 100, 100, 100, 100, 100, 100, 500, 500, 500], 0.2, 500),  # a tie: all in
        ([700], 0.2, 700),
        ([float(v) for v in range(1, 21)], 0.1, 19),  # two of twenty
    ],
)
def test_top_line(backend: BaseBackend, values: list[float], top: float, line: float) -> None:
    name = f"top_{len(values)}_{int(top * 100)}_{int(values[-1])}"
    data = ibis.memtable({"spend": [float(v) for v in values]})
    if backend.name == "pyspark":
        # a temporary view: a table was written under ./spark-warehouse, which the same
        # test run again in that folder then refused (LOCATION_ALREADY_EXISTS)
        table = backend.create_view(name, data, overwrite=True)
    else:
        table = backend.create_table(name, data)
    assert backend.execute(top_line(table, "spend", top)) == line


def test_a_quantile_takes_q_or_top_not_both() -> None:
    text = """
thresholds:
  line: {derive: quantile, of: spend, q: 0.8, top: 0.2}
dimensions:
  - {id: d, zh: 维度, en: D, labels: [{id: a, zh: 甲, en: A, when: "spend >= line"}]}
"""
    with pytest.raises(TaxonomyError, match="'top'"):
        parse_taxonomy(text, "taxonomy.yaml")
