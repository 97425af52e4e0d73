"""A customer's country as its ISO 3166-1 code, however a file writes it: CN for 中国,
China, 中華人民共和國 or CHN; US for United States, 美国 or USA; JP for Japan or 日本. Only
China's names were known: a shop whose home country is US (a Shopify store's customers
file writes "United States") had every customer of its own country international,
"based in UNITED STATES, not the home country (US)".

The names are Debian's iso-codes (ISO 3166-1 with its zh_CN, zh_TW and zh_HK
translations: refdata/countries.yaml, made by scripts/countries.py); :data:`OTHER_NAMES`
adds the spellings it lacks. Other text is kept, trimmed and in upper case.
"""

from __future__ import annotations

import functools
from importlib import resources

import ibis
import ibis.expr.types as ir

from kequn.core import yamlfile

#: the ISO table's file, whose contents the feature state's attribute key holds
COUNTRIES_FILE = "countries.yaml"

#: spellings files use that ISO 3166-1 does not list
OTHER_NAMES = {
    "CN": ["prc", "p.r.c.", "中国大陆", "中國大陸", "mainland china", "china mainland"],
    "GB": ["uk", "u.k.", "great britain", "britain"],
    "US": ["u.s.", "u.s.a.", "us of a", "america"],
}


def countries_text() -> str:
    return (resources.files("kequn.features") / "refdata" / COUNTRIES_FILE).read_text(
        encoding="utf-8"
    )


@functools.cache
def country_codes() -> dict[str, str]:
    """Every name (trimmed, in lower case) and the code it names; a code names itself."""
    names: dict[str, str] = {}
    for code, words in _table().items():
        for word in [code, *words, *OTHER_NAMES.get(str(code), [])]:
            names.setdefault(str(word).strip().lower(), str(code))
    return dict(sorted(names.items()))


@functools.cache
def _table() -> dict[str, list[str]]:
    """The ISO table as read: each code and its names (English, then the translations)."""
    return {
        str(k): [str(w) for w in v] for k, v in (yamlfile.safe_load(countries_text()) or {}).items()
    }


def country_name(text: str | None, lang: str) -> str | None:
    """The country ``text`` names (CN, China, 中國), by ISO 3166-1's short name in
    ``lang`` (China; 中国: iso-codes' zh_CN), or None for text that names none."""
    code = normalise_country(text)
    words = _table().get(code or "")
    if not words:
        return None
    return words[2] if lang == "zh" and len(words) > 2 else words[1]


def normalise_country(text: str | None) -> str | None:
    """The Python twin of :func:`with_country_code`, for the home country setting: 中国,
    China or cn is CN, as a customer's country is (a shop that set 中国 had every Chinese
    customer international: "based in CN, not the home country (中国)")."""
    if text is None:
        return None
    folded = text.strip().lower()
    return country_codes().get(folded) or text.strip().upper() or None


def with_country_code(table: ir.Table, name: str) -> ir.Table:
    """``table`` with ``name``: its ``country`` as :func:`normalise_country` gives it (an
    ISO 3166-1 code; other text trimmed and in upper case; NULL when empty).

    The names are a small table joined by the country's folded text: as one ``CASE``
    over the 1,500 names, the attribute query's SQL doubled (to 230 KB) and took twice
    as long to plan and run."""
    codes = country_codes()
    names = ibis.memtable(
        {"_country_name": list(codes), "_country_code": list(codes.values())},
        schema={"_country_name": "string", "_country_code": "string"},
    )
    joined = table.left_join(names, table.country.strip().lower() == names._country_name)
    code = ibis.coalesce(joined._country_code, joined.country.strip().upper()).nullif("")
    return joined.select(*[joined[c] for c in table.columns], **{name: code})
