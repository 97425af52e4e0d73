"""A customer's province, normalised so that the ways exports write one compare equal:
浙江省 (a 地区 column or an address read by :mod:`kequn.ingest.region`), 浙江, 浙江 in
traditional characters where they differ (廣東), and the pinyin of an English export or a
Shopify-style ``Province`` column (Zhejiang, Zhejiang Province, Guangxi Zhuang Autonomous
Region, Inner Mongolia / Nei Mongol, Tibet / Xizang) are all 浙江, 广东, 广西..., and so is
the ISO 3166-2 code a Shopify export's ``Province Code`` column holds (ZJ: "the subdivision
code without the country", Shopify's customer CSV description, e.g. ssopdot.com/blog/
14162.html), read as one only for a customer in China (SC is Sichuan there, South Carolina
in the US).

The provinces' names, pinyin and codes: GB/T 2260 and ISO 3166-2:CN (the provincial
divisions with their English names and two-letter codes, e.g. github.com/LYZhelloworld/
QslNetWebsite src/references/provinces.md; the pinyin-to-Chinese table of github.com/
Priest-seeker/TRAVELER vue/public/China.js). Other text (a province of another country:
Ontario, Bavaria) is kept, trimmed and in lower case, as a city's is.
"""

from __future__ import annotations

import re

import ibis
import ibis.expr.types as ir

#: what a province's name may end with and still be that province (浙江省, 广西壮族自治区,
#: 上海市, 香港特别行政区), in simplified and traditional characters, and in English
_SUFFIX = (
    "(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区"
    "|壯族自治區|回族自治區|維吾爾自治區|自治區|特別行政區"
    "| province| sheng| shi| municipality| city"
    "| zhuang autonomous region| hui autonomous region| uygur autonomous region"
    "| uyghur autonomous region| autonomous region| special administrative region| sar)$"
)

#: each province (simplified, without its suffix) and the other ways it is written: the
#: traditional characters where they differ, and the pinyin (lower case)
PROVINCES: dict[str, tuple[str, ...]] = {
    "北京": ("beijing", "peking"),
    "天津": ("tianjin",),
    "河北": ("hebei",),
    "山西": ("shanxi",),
    "内蒙古": ("內蒙古", "inner mongolia", "nei mongol", "neimenggu"),
    "辽宁": ("遼寧", "liaoning"),
    "吉林": ("jilin",),
    "黑龙江": ("黑龍江", "heilongjiang"),
    "上海": ("shanghai",),
    "江苏": ("江蘇", "jiangsu"),
    "浙江": ("zhejiang",),
    "安徽": ("anhui",),
    "福建": ("fujian",),
    "江西": ("jiangxi",),
    "山东": ("山東", "shandong"),
    "河南": ("henan",),
    "湖北": ("hubei",),
    "湖南": ("hunan",),
    "广东": ("廣東", "guangdong"),
    "广西": ("廣西", "guangxi"),
    "海南": ("hainan",),
    "重庆": ("重慶", "chongqing"),
    "四川": ("sichuan",),
    "贵州": ("貴州", "guizhou"),
    "云南": ("雲南", "yunnan"),
    "西藏": ("xizang", "tibet"),
    "陕西": ("陝西", "shaanxi"),
    "甘肃": ("甘肅", "gansu"),
    "青海": ("qinghai",),
    "宁夏": ("寧夏", "ningxia"),
    "新疆": ("xinjiang",),
    "台湾": ("台灣", "臺灣", "taiwan"),
    "香港": ("hong kong", "hongkong"),
    "澳门": ("澳門", "macao", "macau"),
}

#: ISO 3166-2:CN's codes (2017) of the provinces, as Shopify writes a Chinese address's
#: province code (without the CN-)
CODES = {
    "AH": "安徽", "BJ": "北京", "CQ": "重庆", "FJ": "福建", "GD": "广东", "GS": "甘肃",
    "GX": "广西", "GZ": "贵州", "HA": "河南", "HB": "湖北", "HE": "河北", "HI": "海南",
    "HK": "香港", "HL": "黑龙江", "HN": "湖南", "JL": "吉林", "JS": "江苏", "JX": "江西",
    "LN": "辽宁", "MO": "澳门", "NM": "内蒙古", "NX": "宁夏", "QH": "青海", "SC": "四川",
    "SD": "山东", "SH": "上海", "SN": "陕西", "SX": "山西", "TJ": "天津", "TW": "台湾",
    "XJ": "新疆", "XZ": "西藏", "YN": "云南", "ZJ": "浙江",
}  # fmt: skip

#: every other spelling and the province it names
_SPELLINGS = {other: name for name, others in PROVINCES.items() for other in others}


def normalise_province(text: str | None, country: str | None = "CN") -> str | None:
    """The Python twin of :func:`province_norm_expr`, for the home province setting
    (``country``: the normalised home country)."""
    if text is None:
        return None
    if country == "CN" and text.strip().upper() in CODES:
        return CODES[text.strip().upper()]
    bare = re.sub(_SUFFIX, "", text.strip().lower()).strip()
    return _SPELLINGS.get(bare, bare) or None


def province_norm_expr(province: ir.StringValue, country: ir.StringValue) -> ir.StringValue:
    """A customer's province as :func:`normalise_province` gives it, NULL when empty
    (``country``: the customer's normalised country, ``country_norm``)."""
    code = province.strip().upper()
    bare = province.strip().lower().re_replace(_SUFFIX, "").strip()
    return ibis.cases(
        ((country == "CN") & code.isin(list(CODES)), code.substitute(CODES)),
        else_=bare.substitute(_SPELLINGS, else_=bare),
    ).nullif("")


#: the cities that are provinces (直辖市, 特别行政区): their other names (Peking, Hong
#: Kong, Macau) are the city's too
MUNICIPALITIES = ("北京", "天津", "上海", "重庆", "香港", "澳门")

#: what a city written in Latin letters may end with and still be that city (Hangzhou
#: City, Hangzhou Shi, Chongqing Municipality, Hong Kong SAR)
_LATIN_CITY_SUFFIX = r"( city| shi| municipality| special administrative region| sar)$"
#: what a Latin spelling may hold or not between its syllables: Hang Zhou, Xi'an, Lu’an
_LATIN_GAPS = r"[\s'’.\-]"
#: pinyin combinations of a home city's polyphonic characters kept at most (朝阳:
#: zhaoyang and chaoyang)
_READINGS = 16


def latin_city_key(text: str) -> str:
    """A city's Latin spelling compared without case, suffix or gaps (Hang Zhou City,
    HANGZHOU: hangzhou); the Python twin of :func:`latin_city_key_expr`."""
    folded = re.sub(_LATIN_CITY_SUFFIX, "", text.strip().lower())
    return re.sub(_LATIN_GAPS, "", folded)


def latin_city_key_expr(city_norm: ir.StringValue) -> ir.StringValue:
    return city_norm.re_replace(_LATIN_CITY_SUFFIX, "").re_replace(_LATIN_GAPS, "")


def home_city_spellings(home: str | None) -> tuple[str | None, frozenset[str], frozenset[str]]:
    """The home city ``home`` (as :func:`~kequn.features.attributes.normalise_city` gives
    it) in the form a customer's ``city_norm`` compares with, and the other ways
    customers write it: its Latin keys (:func:`latin_city_key`: the pinyin of
    杭州, hangzhou; Peking for 北京) and its traditional forms (廣州 for 广州).

    A home city set in 汉字 is matched in every script. One set in pinyin is matched in
    Latin spellings only, unless it is a province-level city (Shanghai is 上海): pinyin
    does not tell which characters it stands for (Suzhou is 苏州 and 宿州), and kequn
    keeps no list of the country's cities to look them up in. The pinyin is pypinyin's
    (its phrase dictionary reads 重庆 as chongqing), every reading of a polyphonic
    character kept."""
    from kequn.core.traditional import traditional_forms

    form = home_city_form(home)
    if form is None:
        return None, frozenset(), frozenset()
    if form.isascii():
        return form, frozenset({latin_city_key(form)}), frozenset()
    keys = {latin_city_key(other) for other in PROVINCES.get(form, ()) if other.isascii()}
    keys |= _pinyin_keys(form)
    return form, frozenset(keys), frozenset(traditional_forms(form))


def home_city_form(home: str | None) -> str | None:
    """The first of :func:`home_city_spellings`, without the other spellings: the
    thresholds of every run show it, and the pinyin behind the others takes pypinyin's
    import (0.23-0.3 s, its phrase dictionary), which a run that does not compute the
    customers' places again should not pay."""
    from kequn.core.traditional import simplified

    if home is None or not home.strip():
        return None
    bare = simplified(home.strip().lower())
    if bare.isascii():
        key = latin_city_key(bare)
        for name in MUNICIPALITIES:
            if key in {latin_city_key(other) for other in PROVINCES[name]}:
                return name
    return bare


def _pinyin_keys(hanzi: str) -> set[str]:
    from itertools import islice, product

    from pypinyin import Style, pinyin

    readings = pinyin(hanzi, style=Style.NORMAL, heteronym=True)
    combos = islice(product(*readings), _READINGS)
    return {latin_city_key("".join(combo)) for combo in combos}
