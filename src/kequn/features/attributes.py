"""Attribute features: what a customer's own record says (kind, place, industry, size,
source, age), normalised and grouped with the reference tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.schema import ATTRIBUTES_NOT_FEATURES
from kequn.features import reference as ref
from kequn.features.context import DateLike, FeatureContext, day_value
from kequn.features.countries import normalise_country, with_country_code
from kequn.features.places import (
    home_city_form,
    home_city_spellings,
    latin_city_key_expr,
    normalise_province,
    province_norm_expr,
)
from kequn.features.reftables import NAMES

#: what a city's name may end with and still be that city: 上海市 is 上海, and 香港特别行政区
#: (as member files and 地区 columns write Hong Kong and Macao) is 香港, the home city as
#: a shop there sets it; it was a city elsewhere in China, and its customers domestic
_CITY_SUFFIX = "(市|特别行政区|特別行政區)$"


def normalise_city(text: str | None) -> str | None:
    """The Python twin of :func:`city_norm_expr`, for settings such as the home city."""
    if text is None:
        return None
    return re.sub(_CITY_SUFFIX, "", text.strip()).lower() or None


def city_norm_expr(city: ir.StringValue) -> ir.StringValue:
    return city.strip().re_replace(_CITY_SUFFIX, "").lower().nullif("")


def home_city_norm(text: str | None) -> str | None:
    """The home city setting as customers' ``city_norm`` are compared with it: 杭州市 is
    杭州, Shanghai is 上海 (:func:`~kequn.features.places.home_city_spellings`)."""
    return home_city_form(normalise_city(text))


def home_city_expr(
    city_norm: ir.StringValue,
    province_norm: ir.StringValue,
    country_norm: ir.StringValue,
    ctx: FeatureContext,
) -> ir.StringValue:
    """``city_norm`` with the home city written in another script made the home city's
    form: Hangzhou, HANG ZHOU City and 杭州 are one city to a shop in 杭州, and 廣州 is 广州
    (:func:`~kequn.features.places.home_city_spellings`). A customer whose province or
    country is given and is not the home's keeps their own: pinyin is shared by cities
    (Suzhou: 苏州 in 江苏, 宿州 in 安徽)."""
    home, keys, forms = home_city_spellings(normalise_city(ctx.home_city))
    if home is None or not (keys or forms):
        return city_norm
    same = city_norm.isin(list(forms)) if forms else ibis.literal(False)
    if keys:
        same = same | latin_city_key_expr(city_norm).isin(sorted(keys))
    home_country = normalise_country(ctx.home_country)
    home_province = normalise_province(ctx.home_province, home_country)
    if home_province is not None:
        same = same & (province_norm.isnull() | (province_norm == home_province))
    if home_country is not None:
        same = same & (country_norm.isnull() | (country_norm == home_country))
    return ibis.cases((same.fill_null(False), home), else_=city_norm)


#: the reference tables :func:`attribute_columns` reads (the feature state keys its kept
#: columns on their contents)
REFERENCES = NAMES


#: an industry given as a GB/T 4754 code (C, C26, 26, 2614, C2614) rather than words
_CODE_LIKE = r"^[A-T]?[0-9]{2,4}$|^[A-T]$"
#: a code followed by its name, as 国标行业 columns show one (C3981 电子元件及电子专用材料制造)
_CODE_FIRST = r"^([A-T]?[0-9]{2,4})[\s:：\-]*[\x{3400}-\x{9fff}]"


def code_of(text: ir.StringValue, names: dict[str, list[str]]) -> ir.StringValue:
    """The GB/T 4754 code ``text`` gives: a code, a code before its name, or a section's or
    division's name of the reference table's ``names`` (批发业 is 51); else NULL."""
    plain = text.strip()
    upper = plain.upper()
    cases: list[tuple[ir.BooleanValue, ir.Value]] = [
        (upper.re_search(_CODE_LIKE), upper),
        (upper.re_search(_CODE_FIRST), upper.re_extract(_CODE_FIRST, 1)),
    ]
    cases += [(plain.isin([str(w) for w in words]), str(code)) for code, words in names.items()]
    return ibis.cases(*cases, else_=ibis.null("string"))


def with_code_from_text(customers: ir.Table, table: dict[str, Any] | None = None) -> ir.Table:
    """``customers`` with an ``industry_code`` taken from ``industry`` where that column
    holds a code, a code and its name, or a section's or division's name (``names`` of
    the reference ``table``) and no code is given: a single 行业 column of codes is common,
    and its codes read as words grouped nothing but "other"; a 所属行业 of 企查查 names
    the section (电力、热力、燃气及水生产和供应业), whose words read as keywords misled
    (生产: a finished-goods maker). A code column holding a code and its name is read
    as the code."""
    names: dict[str, list[str]] = dict((table or {}).get("names") or {})
    given = customers.industry_code
    code = ibis.coalesce(code_of(given, names), given, code_of(customers.industry, names))
    # the sections whose names are left out of ``names`` (their divisions fall in
    # different groups, and the keywords decide the group) still say which lines of
    # the size standard apply: 制造业 is sized as industry, not as "other industries"
    sized = dict((table or {}).get("size_names") or {})
    size_code = ibis.coalesce(code, code_of(customers.industry, sized)) if sized else code
    return customers.mutate(industry_code=code, _size_code=size_code)


def attribute_features(customers: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Each customer's attribute features on ``ctx.as_of``."""
    return finish_attributes(attribute_columns(customers, ctx), ctx.day)


def attribute_columns(customers: ir.Table, ctx: FeatureContext) -> ir.Table:
    """The attribute features that do not depend on the as-of date (every one but the age
    from a birth date): the feature state keeps them between runs while the customers do
    not change. ``birth_date`` is kept for :func:`finish_attributes`."""

    def sections_of(column: str) -> Callable[[ir.Table], dict[str, ir.Value]]:
        def sections(t: ir.Table) -> dict[str, ir.Value]:
            # the section and division once per code, read by name below (see by_distinct)
            return {
                "_section": ref.industry_section_expr(t[column], ctx.reference("industry_gbt4754")),
                "_division": ref.division_expr(t[column]),
            }

        return sections

    def industry(t: ir.Table) -> dict[str, ir.Value]:
        return {
            "industry_section": t._section,
            "industry_group": ref.industry_group_expr(
                t.industry_code,
                t.industry,
                t.supply_chain_role,
                ctx.reference("industry_gbt4754"),
                section=t._section,
                division=t._division,
            ),
        }

    def size(t: ir.Table) -> dict[str, ir.Value]:
        employees = t.employees.cast("float64")
        revenue, assets = t.annual_revenue.cast("float64"), t.total_assets.cast("float64")
        cny, eur = ctx.cny_per_unit / 10000.0, ctx.eur_per_unit
        return {
            "company_size_cn": ref.company_size_cn_expr(
                t._size_code,
                employees,
                revenue * cny,
                assets * cny,
                ctx.reference("size_cn_2017"),
                section=t._section,
                division=t._division,
            ),
            "company_size_eu": ref.company_size_eu_expr(
                employees, revenue * eur, assets * eur, ctx.reference("size_eu_2003")
            ),
        }

    def groups(t: ir.Table) -> dict[str, ir.Value]:
        return {
            "source_group": ref.source_group_expr(t.source, ctx.reference("sources")),
            "preferred_channel_group": ref.channel_group_expr(
                t.preferred_channel, ctx.reference("channels")
            ),
        }

    # the province once, read by name below (the home city reads it too)
    def province(t: ir.Table) -> dict[str, ir.Value]:
        return {"_province": province_norm_expr(t.province, t._country)}

    def places(t: ir.Table) -> dict[str, ir.Value]:
        return {
            "city_norm": home_city_expr(city_norm_expr(t.city), t._province, t._country, ctx),
            "province_norm": t._province,
            "country_norm": t._country,
        }

    coded = with_country_code(customers, "_country")
    c = ref.by_distinct(
        with_code_from_text(coded, ctx.reference("industry_gbt4754")),
        [
            (
                ["industry_code", "industry", "supply_chain_role"],
                industry,
                sections_of("industry_code"),
            ),
            (
                ["_size_code", "employees", "annual_revenue", "total_assets"],
                size,
                sections_of("_size_code"),
            ),
            (["source", "preferred_channel"], groups),
            (["city", "province", "_country"], places, province),
        ],
    )
    return c.select(
        "customer_id",
        "kind",
        "name",
        "city",
        "province",
        "gender",
        "industry",
        "source",
        "marketing_consent",
        "attributes",
        "created_at",
        # the SMS answer beside the general one (a workspace not written since the column
        # came has none: every answer unknown, as an import without it leaves them)
        sms_consent=c.sms_consent if "sms_consent" in c.columns else ibis.null("boolean"),
        employees=c.employees.cast("float64"),
        annual_revenue=c.annual_revenue.cast("float64"),
        total_assets=c.total_assets.cast("float64"),
        income=c.income.cast("float64"),
        age=c.age.cast("float64"),
        birth_date=c.birth_date,
        city_norm=c.city_norm,
        province_norm=c.province_norm,
        country_norm=c.country_norm,
        nature=ref.nature_expr(c.kind, c.name, ctx.reference("nature_keywords")),
        industry_section=c.industry_section,
        industry_group=c.industry_group,
        company_size_cn=c.company_size_cn,
        company_size_eu=c.company_size_eu,
        source_group=c.source_group,
        preferred_channel_group=c.preferred_channel_group,
    )


#: the ages a customer can have; outside them an age (0 or 150 as exports leave an unset
#: one, a birth date after the as-of date or in 1900) is unknown, not a youth or a senior
AGE_RANGE = (1, 120)


def plausible_age(age: ir.FloatingValue) -> ir.FloatingValue:
    """``age`` when within :data:`AGE_RANGE`, else NULL."""
    low, high = AGE_RANGE
    return ibis.cases((age.between(low, high), age), else_=ibis.null("float64"))


def finish_attributes(columns: ir.Table, as_of: DateLike) -> ir.Table:
    """:func:`attribute_columns` on ``as_of``: the age given, else from the birth date,
    each only when plausible (:data:`AGE_RANGE`).

    The age from a birth date is counted in calendar years, as people count it: one more
    on each birthday (someone born on 29 February gets a year older on 1 March in other
    years). Days / 365.25 left people a year short on some birthdays."""
    born, day = columns.birth_date, day_value(as_of)
    later = (born.month() > day.month()) | (
        (born.month() == day.month()) & (born.day() > day.day())
    )
    from_birth = day.year() - born.year() - later.cast("int64")
    age = ibis.coalesce(plausible_age(columns.age), plausible_age(from_birth.cast("float64")))
    kept = [c for c in columns.columns if c != "birth_date"]
    return columns.select(*[age.name("age") if c == "age" else columns[c] for c in kept])


def join_attributes(features: ir.Table, attributes: ir.Table) -> ir.Table:
    """``features`` built without the attribute columns (:func:`kequn.features.build.
    build_features` given the kept ones) with them joined from ``attributes``
    (:func:`attribute_columns`), in the order a whole build gives: each customer's own
    age as of the run stays the features' one."""
    left_out = set(features.columns) - {"customer_id"} | set(ATTRIBUTES_NOT_FEATURES)
    joined = features.left_join(
        attributes.select(*[c for c in attributes.columns if c not in left_out]), "customer_id"
    )
    first = [c for c in attributes.columns if c not in ATTRIBUTES_NOT_FEATURES]
    return joined.select(*first, *[c for c in features.columns if c not in first])
