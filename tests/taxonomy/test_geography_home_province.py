"""Geography against the home city, province and country (TAXONOMY.md: "against the
business's home city/country set in the workspace"). The workspace's ``home_province``
was read and never used: a customer whose place an export gives as the province alone
(a 省份 column, a Shopify ``Province Code`` of ZJ) had "no country or city given", a
municipality's customer given as 上海市 in the province column only was not local, and
a customer in another city of the home province read like any other city.

Places as exports write them: a member export's 地区 "浙江省 杭州市" (read into province
and city by kequn.ingest.region), separate 省份 / 城市 columns, and an English export's
Province / City / Country (Zhejiang, Hangzhou, China; Shopify's province code ZJ)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

CUSTOMERS = """id,name,地区
hz,甲,浙江省 杭州市
nb,乙,浙江省宁波市
sz,丙,广东省 深圳市
nj,丁,中国-江苏-南京
"""

ENGLISH = """id,name,city,province,country
hz,A,Hangzhou,Zhejiang,China
nb,B,Ningbo,Zhejiang Province,China
zj,C,,ZJ,CN
gd,D,,Guangdong,
on,E,Toronto,Ontario,Canada
"""

PROVINCE_ONLY = """id,name,province
sh,甲,上海市
zj,乙,浙江
bj,丙,北京市
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_province_in_chinese_places(tmp_path: Path, lang: str) -> None:
    home = ("--home-city", "杭州", "--home-province", "浙江省", "--home-country", "中国")
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, init_args=home, lang=lang)
    found = {cid: dims["geography"][0] for cid, dims in shop.items()}
    assert found["hz"][0] == "local"
    assert found["sz"][0] == "domestic"
    assert found["nj"][0] == "domestic"
    assert found["nb"] == (
        "domestic",
        "在本省（浙江省）的 宁波，不是本地城市 杭州"
        if lang == "zh"
        else "in 宁波 in the home province (浙江省), not the home city 杭州",
    )


def test_home_province_in_english_places(tmp_path: Path) -> None:
    home = ("--home-city", "Hangzhou", "--home-province", "Zhejiang", "--home-country", "CN")
    shop = small_shop(tmp_path, {"customers": ENGLISH}, init_args=home)
    found = {cid: dims["geography"][0] for cid, dims in shop.items()}
    assert found["hz"][0] == "local"
    assert found["nb"] == (
        "domestic",
        "in ningbo in the home province (Zhejiang Province), not the home city hangzhou",
    )
    # the province alone: in the home province, or elsewhere in the home country
    assert found["zj"] == ("domestic", "in the home province (ZJ); no city given")
    assert found["gd"] == ("domestic", "in Guangdong in the home country; no city given")
    assert found["on"][0] == "international"


def test_a_municipality_given_as_the_province(tmp_path: Path) -> None:
    # the default workspace: home city and province 上海, country CN
    shop = small_shop(tmp_path, {"customers": PROVINCE_ONLY})
    found = {cid: dims["geography"][0] for cid, dims in shop.items()}
    assert found["sh"] == ("local", "based in 上海市, the home municipality")
    assert found["zj"] == ("domestic", "in 浙江 in the home country; no city given")
    assert found["bj"][0] == "domestic"
