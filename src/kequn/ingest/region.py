"""A customer's place given in one column, as member and CRM exports write it: 地区
``浙江省 杭州市``, ``广东省深圳市南山区``, ``上海 浦东新区``, ``中国 浙江 杭州`` (WeChat's country,
province and city of a profile), ``江苏省/南京市``, ``美国 纽约``; read into the country,
province and city the file does not give in columns of their own; without such a column,
the start of the customer's address is read so (浙江省杭州市西湖区文三路 1 号).

The column is split at spaces and separators (/ , 、 - · >) and after 省, 自治区, 特别行政区,
自治州 and 市 (``广东省深圳市`` is 广东省 + 深圳市); a leading 中国 is the country; a first
part that is one of China's provinces (with or without 省 / 市 / 自治区) is the province and the
next part the city, a municipality or 香港 / 澳门 being its own city; a first part that is a
city (ends in 市, 州, 盟 or 地区) is the city; else, with two parts or more, the first is a
country (美国 纽约). A single word that is none of these, or a place without Chinese
characters, gives nothing; the column is kept as an attribute too. The SQL is kequn's own:
no text of a file is spliced into it.
"""

from __future__ import annotations

import duckdb

#: the parts of a place: country, province, city
PARTS = ("country", "province", "city")

_CHINA = "中国|中國|中华人民共和国|中華人民共和國|china|prc|p\\.r\\.c\\."
#: the municipalities and special administrative regions: each its own city
_CITY_PROVINCES = "北京|天津|上海|重庆|重慶|香港|澳门|澳門"
_PROVINCES = (
    _CITY_PROVINCES
    + "|河北|山西|内蒙古|內蒙古|辽宁|遼寧|吉林|黑龙江|黑龍江|江苏|江蘇|浙江|安徽|福建"
    "|江西|山东|山東|河南|湖北|湖南|广东|廣東|广西|廣西|海南|四川|贵州|貴州|云南|雲南|西藏|陕西|陝西"
    "|甘肃|甘肅|青海|宁夏|寧夏|新疆|台湾|台灣|臺灣"
)
_SUFFIX = (
    "(省|市|自治区|自治區|特别行政区|特別行政區|壮族自治区|回族自治区|维吾尔自治区"
    "|壯族自治區|回族自治區|維吾爾自治區)?"
)
_CITY_END = "(市|州|盟|地区|地區)$"
#: a Chinese character: a place in Latin letters (New York, NY, USA) is written city first
#: and with spaces inside names, and is left to the columns of its own (and the attribute)
_HAN = "[\u3400-\u9fff]"

#: kq_region splits the text once, bound by list_transform's lambdas (written lambda t:,
#: not the arrow DuckDB deprecates, see kequn.ingest.convert): a macro's argument
#: is copied wherever it is used, so the split and its rest were computed ~30 times for
#: each of country, province and city, each a list of every word of the cell. A 地区 of
#: 10 KB in 200 rows took 5.6 s and 1.1 GB; a customers file of 500 rows of 10 KB cells,
#: address and 地区 among them, ran out of the 1 GB memory limit (3.5 GB resident; 40 KB
#: cells: 13.8 GB). Now 3.1 s and 0.5 GB for the 200 rows. kq_places gives the three
#: parts of one split (an import reads it once per cell, as a column of its own, and takes
#: the parts from that: kequn.ingest.parse); kq_region is one part of it
MACROS = rf"""
CREATE OR REPLACE TEMP MACRO kq_region_split(s) AS list_filter(string_split(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(trim(s), '[\s/,，、·|>＞\-—]+', ' ', 'g'),
        '^({_CHINA})', '中国 ', 'i'),
    '(省|自治区|自治區|特别行政区|特別行政區|自治州|市)', '\1 ', 'g'),
    '^(中国 )?\s*({_CITY_PROVINCES})(市)?', '\1\2\3 '), ' '), lambda w: w <> '');
CREATE OR REPLACE TEMP MACRO kq_region_rest(t) AS CASE WHEN t[1] = '中国' THEN t[2:] ELSE t END;
CREATE OR REPLACE TEMP MACRO kq_region_province(w) AS
    regexp_full_match(w, '({_PROVINCES}){_SUFFIX}');
CREATE OR REPLACE TEMP MACRO kq_region_city_province(w) AS
    regexp_full_match(w, '({_CITY_PROVINCES})(市|特别行政区|特別行政區)?');
CREATE OR REPLACE TEMP MACRO kq_region_foreign(t) AS len(t) >= 2
    AND NOT kq_region_province(t[1]) AND NOT regexp_matches(t[1], '{_CITY_END}');
CREATE OR REPLACE TEMP MACRO kq_region_of(t, china, part, abroad) AS CASE
    WHEN part = 'country' THEN CASE WHEN china THEN '中国'
                                    WHEN abroad AND kq_region_foreign(t) THEN t[1] END
    WHEN part = 'province' THEN CASE WHEN kq_region_province(t[1]) THEN t[1] END
    ELSE CASE WHEN kq_region_city_province(t[1]) THEN t[1]
              WHEN kq_region_province(t[1]) THEN t[2]
              WHEN regexp_matches(t[1], '{_CITY_END}') THEN t[1]
              WHEN abroad AND kq_region_foreign(t) THEN t[2] END
    END;
CREATE OR REPLACE TEMP MACRO kq_places(s, abroad) AS CASE
    WHEN s IS NULL OR NOT regexp_matches(s, '{_HAN}') THEN NULL
    ELSE list_transform([kq_region_split(s)], lambda t: list_transform([kq_region_rest(t)],
        lambda r: list_transform(['country', 'province', 'city'],
            lambda p: kq_region_of(r, coalesce(t[1] = '中国', false), p, abroad)))[1])[1] END;
CREATE OR REPLACE TEMP MACRO kq_region(s, part, abroad) AS
    kq_places(s, abroad)[list_position(['country', 'province', 'city'], part)];
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in MACROS.split(";\n"):
        if statement.strip():
            con.execute(statement)


def places(expr: str, *, address: bool = False) -> str:
    """SQL for the list [country, province, city] of the place text ``expr``: a 地区
    column's, or (``address``) the start of an address (浙江省杭州市西湖区文三路 1 号), where
    two words are a street and a number rather than a country and a city. The three
    parts come from one split of the cell (:func:`place_of` takes one); NULL, and so
    each part, where the text names no place."""
    return f"kq_places({expr}, {'false' if address else 'true'})"


def place_of(places_sql: str, part: str) -> str:
    """SQL for ``part`` (country, province or city) of a list :func:`places` made."""
    if part not in PARTS:
        raise ValueError(part)
    return f"{places_sql}[{PARTS.index(part) + 1}]"
