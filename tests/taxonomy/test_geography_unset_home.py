"""Geography when the workspace sets no home city or country (``kequn init --home-city ""``):
what is not set cannot be told, so unknown with the reason, never local for everyone
without a city nor international for everyone with a country."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from cli_helpers import small_shop
from kequn.core.rules import compile_rule, parse_rule

CUSTOMERS = """id,name,city,country
c1,张三,上海,中国
c2,李四,,
c3,Acme Ltd,London,UK
c4,王五,北京,
"""


@pytest.mark.parametrize(
    ("home", "expected"),
    [
        (
            ("--home-city", "", "--home-country", ""),
            {
                "c1": ("unknown", "the workspace sets no home city or country"),
                "c2": ("unknown", "the workspace sets no home city or country"),
                "c3": ("unknown", "the workspace sets no home city or country"),
                "c4": ("unknown", "the workspace sets no home city or country"),
            },
        ),
        (
            ("--home-city", "", "--home-country", "CN"),
            {
                "c1": (
                    "unknown",
                    "the workspace sets no home city, so local or elsewhere cannot be told",
                ),
                "c2": ("unknown", "no country or city given"),
                "c3": (
                    "international",
                    "based in GB, not the home country (CN)",
                ),  # UK: GB, its ISO code
                "c4": (
                    "unknown",
                    "the workspace sets no home city, so local or elsewhere cannot be told",
                ),
            },
        ),
        (
            ("--home-city", "上海", "--home-country", ""),
            {
                "c1": ("local", "based in 上海, the home city"),
                "c2": ("unknown", "no country or city given"),
                "c3": (
                    "unknown",
                    "the workspace sets no home country, so home or abroad cannot be told",
                ),
                "c4": (
                    "unknown",
                    "the workspace sets no home country, so home or abroad cannot be told",
                ),
            },
        ),
    ],
    ids=["nothing set", "country only", "city only"],
)
def test_geography_without_a_home(
    tmp_path: Path, home: tuple[str, ...], expected: dict[str, tuple[str, str]]
) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, init_args=home)
    assert {cid: dims["geography"][0] for cid, dims in shop.items()} == expected


def test_a_comparison_with_an_unset_threshold_is_unknown() -> None:
    # Ibis writes `x = NULL` as `x IS NULL`; a rule's `=` with no value is unknown (false)
    table = ibis.memtable({"city_norm": ["上海", None]}, schema={"city_norm": "string"})
    for text in ("city_norm = home_city", "city_norm != home_city", "home_city = city_norm"):
        rule = parse_rule(text, {"city_norm": "string", "home_city": "string"})
        matched = table.select(m=compile_rule(rule, table, {"home_city": None}).fill_null(False))
        assert matched.to_pyarrow().column("m").to_pylist() == [False, False], text
