"""A city written with its 特别行政区, as member files and settings write Hong Kong and
Macao: a shop whose home city is 香港特别行政区 found none of its Hong Kong members local
(香港, 中国 香港特别行政区 九龙 ...): each was in a city elsewhere in the country."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

MEMBERS = """会员编号,地区
H1,香港特别行政区
H2,中国 香港特别行政区 九龙
H3,香港
M1,澳門特別行政區
S1,广东省深圳市
"""


def test_a_special_administrative_region_is_its_city(tmp_path: Path) -> None:
    shop = small_shop(
        tmp_path,
        {"customers": MEMBERS},
        "--as-of",
        "2026-06-01",
        init_args=("--home-city", "香港特别行政区", "--home-province", "香港"),
    )
    found = {cid: labels["geography"][0][0] for cid, labels in shop.items()}
    assert found == {
        "H1": "local",
        "H2": "local",
        "H3": "local",
        "M1": "domestic",
        "S1": "domestic",
    }
    assert shop["H1"]["geography"] == [("local", "based in 香港, the home city")]
