"""The home city written in another script than a customer's: a shop in 杭州 found its
customers of an English export (City: Hangzhou, HANG ZHOU City) elsewhere in the country,
"in hangzhou, not the home city 杭州"; one whose home city is Shanghai found its 上海
members domestic. A customer's province or country that is not the home's keeps the
spelling to itself: pinyin is shared by cities (Suzhou is 苏州 in 江苏 and 宿州 in 安徽)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

MEMBERS = """customer_id,name,country,province,city
G1,g1,,,Hangzhou
G2,g2,China,Zhejiang,HANG ZHOU City
G3,g3,中国,浙江省,杭州市
G4,g4,,,Hangzhou Shi
G5,g5,US,,Hangzhou
G6,g6,,安徽,Hangzhou
G7,g7,,,Shanghai
G8,g8,,,上海市
G9,g9,,,廣州
"""


def _geography(tmp_path: Path, home_city: str, home_province: str) -> dict[str, str]:
    shop = small_shop(
        tmp_path,
        {"customers": MEMBERS},
        "--as-of",
        "2026-06-01",
        init_args=("--home-city", home_city, "--home-province", home_province),
    )
    return {cid: labels["geography"][0][0] for cid, labels in shop.items()}


def test_a_home_city_in_hanzi_is_found_in_pinyin(tmp_path: Path) -> None:
    found = _geography(tmp_path, "杭州市", "浙江")
    local = {cid for cid, label in found.items() if label == "local"}
    assert local == {"G1", "G2", "G3", "G4"}
    assert found["G5"] == "international"
    assert found["G6"] == "domestic"  # Hangzhou, but in 安徽


@pytest.mark.parametrize(
    ("home_city", "home_province", "expected"),
    [
        # a province-level city named in English is its 汉字 name
        ("Shanghai", "Shanghai", {"G7": "local", "G8": "local", "G1": "domestic"}),
        # a home city in pinyin matches the Latin spellings; its 汉字 cannot be told
        # from pinyin, so 杭州市 stays elsewhere
        ("Hangzhou", "Zhejiang", {"G2": "local", "G4": "local", "G3": "domestic"}),
        # traditional characters are the simplified city
        ("广州", "广东", {"G9": "local", "G8": "domestic"}),
    ],
)
def test_the_home_city_in_other_scripts(
    tmp_path: Path, home_city: str, home_province: str, expected: dict[str, str]
) -> None:
    found = _geography(tmp_path, home_city, home_province)
    assert {cid: found[cid] for cid in expected} == expected


def test_the_reason_names_the_home_city(tmp_path: Path) -> None:
    shop = small_shop(
        tmp_path,
        {"customers": MEMBERS},
        "--as-of",
        "2026-06-01",
        init_args=("--home-city", "杭州", "--home-province", "浙江"),
        lang="zh",
    )
    assert shop["G1"]["geography"] == [("local", "所在城市 杭州 即本地城市")]
