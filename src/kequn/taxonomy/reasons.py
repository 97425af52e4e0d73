"""Reasons as a person says them: the taxonomy's templates filled with formatted values.

A template is ``距上次下单已 {days_since_last_order:days}``; each placeholder names a
feature, a threshold or a dimension, with a format from
:data:`kequn.features.catalogue.FORMATS`. Missing values read 未知 / "—".
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from typing import Any

from kequn.core.display import money, trimmed
from kequn.core.i18n import local
from kequn.core.rules import holds
from kequn.features.reftables import TIERS, load_reference
from kequn.taxonomy.model import Label, Taxonomy

_NONE = {"zh": "未知", "en": "—"}
#: English names of the China 2017 standard's rows (the table names them in 中文)
_CN_ROWS_EN = {
    "A": "agriculture",
    "industry": "industry",
    "E": "construction",
    "51": "wholesale",
    "52": "retail",
    "transport": "transport",
    "59": "warehousing",
    "60": "postal services",
    "H": "hotels and catering",
    "telecom": "telecommunications",
    "65": "software and IT services",
    "7010": "property development",
    "702": "property management",
    "L": "leasing and business services",
    "other": "other industries",
}
_INDICATORS = {
    "X": ("从业人员", "employees"),
    "Y": ("营业收入", "revenue"),
    "Z": ("资产总额", "total assets"),
}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def days(value: float, lang: str) -> str:
    n = round(float(value))
    if lang == "zh":
        return f"{n:,} 天"
    return f"{n:,} day" if abs(n) == 1 else f"{n:,} days"


def ago(value: float, lang: str) -> str:
    """How long ago, in whole days: 今天 / today for 0 (an order on the as-of day read
    "0 days ago"), else 21 天前 / 21 days ago."""
    n = round(float(value))
    if n == 0:
        return "今天" if lang == "zh" else "today"
    return days(n, lang) + ("前" if lang == "zh" else " ago")


#: how a number is shown in each numeric format: (value, lang, currency) -> text
_NUMBER_FORMATS: dict[str, Any] = {
    "days": lambda n, lang, _c: days(n, lang),
    "ago": lambda n, lang, _c: ago(n, lang),
    "money": money,
    "pct": lambda n, _l, _c: f"{trimmed(n * 100, 0 if abs(n) >= 0.1 else 1)}%",
    "int": lambda n, _l, _c: f"{round(n):,}",
    "number": lambda n, _l, _c: trimmed(n, 1),
}


def fmt_value(  # noqa: PLR0911 - one return per kind of value
    value: Any,
    fmt: str,
    lang: str,
    *,
    currency: str = "CNY",
    taxonomy: Taxonomy | None = None,
    name: str = "",
) -> str:
    """One value as a reason shows it."""
    lang = "zh" if lang == "zh" else "en"
    if _missing(value):
        return _NONE[lang]
    if fmt == "label":
        dim = taxonomy.dimension(name) if taxonomy else None
        label = dim.label(str(value)) if dim else None
        if label is None:
            return _NONE[lang]
        text = local(label, lang)
        # "still counted as active": an English name reads lower-case inside a sentence
        if lang == "en" and len(text) > 1 and text[1].islower():
            text = text[0].lower() + text[1:]
        return text
    if fmt == "bool" or isinstance(value, bool):
        yes = bool(value)
        return ("是" if yes else "否") if lang == "zh" else ("yes" if yes else "no")
    if isinstance(value, int | float) and fmt in _NUMBER_FORMATS:
        return _NUMBER_FORMATS[fmt](float(value), lang, currency)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def render_template(
    text: str,
    values: Mapping[str, Any],
    taxonomy: Taxonomy,
    lang: str,
    currency: str = "CNY",
) -> str:
    """A reason template with this customer's values (checked when the taxonomy loaded)."""
    out: list[str] = []
    for literal, name, spec, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is None:
            continue
        fmt = spec or taxonomy.format_of(name)
        value = values.get(name)
        if name == "size_basis":
            value = size_basis(values, lang, currency)
        out.append(fmt_value(value, fmt, lang, currency=currency, taxonomy=taxonomy, name=name))
    return "".join(out)


def choose_reason(
    taxonomy: Taxonomy, dim_id: str, label: Label, values: Mapping[str, Any]
) -> int | None:
    """The index of the first variant of a label's reason whose ``when`` holds."""
    rules = taxonomy.reason_rules()
    for i, variant in enumerate(label.reason):
        if variant.when is None:
            return i
        rule = rules.get((dim_id, label.id, i))
        if rule is not None and holds(rule, values):
            return i
    return None


# -- company size: which standard, which threshold ---------------------------------------
def size_basis(values: Mapping[str, Any], lang: str, currency: str = "CNY") -> str:
    """``国标工业：从业人员 2,064 ≥ 1,000 人`` — what sized the company, under the
    taxonomy's ``size_standard`` (the standard alone when the figures do not show it)."""
    lang = "zh" if lang == "zh" else "en"
    standard = str(values.get("size_standard") or "cn").lower()
    if standard == "eu":
        found = _eu_basis(values, lang)
        return found or ("欧盟 2003/361 标准" if lang == "zh" else "EU 2003/361 standard")
    found = _cn_basis(values, lang)
    return found or ("国标（2017）" if lang == "zh" else "China 2017 standard")


def _eu_basis(values: Mapping[str, Any], lang: str) -> str | None:
    """``EU 2003/361 standard: 30 staff < 50, turnover €8,000,000 ≤ €10,000,000``: what
    sized the company under the Recommendation (staff below the tier's headcount AND
    turnover OR balance sheet within its ceiling, :func:`~kequn.features.reference.
    company_size_eu_expr`), with the money in euros (the workspace's ``eur_per_unit``),
    and why not the tier below when the staff would have fitted it (the ceilings)."""
    size = values.get("company_size_eu")
    found = values.get("employees")
    if size not in TIERS or found is None or _missing(found):
        return None
    staff, zh = float(found), lang == "zh"
    to_eur = float(values.get("eur_per_unit") or 0.13)
    figures = {
        key: None if _missing(values.get(name)) else float(values[name]) * to_eur
        for key, name in (("turnover", "annual_revenue"), ("balance", "total_assets"))
    }
    tiers = load_reference("size_eu_2003")["tiers"]
    head = "欧盟 2003/361 标准：" if zh else "EU 2003/361 standard: "
    n = f"{round(staff):,}"

    def euros(v: float) -> str:
        return money(v, lang, "EUR")

    def over(tier: dict[str, Any]) -> str:
        """Why the figures exceed ``tier``'s ceilings (both, as the standard asks)."""
        parts = [
            f"{_EU_NAMES[key][0 if zh else 1]} {euros(v)} > {euros(tier[key + '_max'])}"
            for key, v in figures.items()
            if v is not None
        ]
        return ("，" if zh else " and ").join(parts)

    index = next((i for i, tier in enumerate(tiers) if tier["id"] == size), None)
    if index is None:  # large: staff at the medium headcount, or both figures above
        top = tiers[-1]
        if staff >= top["staff_below"]:
            below = f"{top['staff_below']:,}"
            return head + (f"员工 {n} 人 ≥ {below} 人" if zh else f"{n} staff ≥ {below}")
        return head + (f"员工 {n} 人，但" if zh else f"{n} staff, but ") + over(top)
    tier = tiers[index]
    below = f"{tier['staff_below']:,}"
    text = f"员工 {n} 人 < {below} 人" if zh else f"{n} staff < {below}"
    met = [
        f"{_EU_NAMES[key][0 if zh else 1]} {euros(v)} ≤ {euros(tier[key + '_max'])}"
        for key, v in figures.items()
        if v is not None and v <= tier[key + "_max"]
    ]
    if met:
        text += ("，" if zh else ", ") + met[0]
    elif all(v is None for v in figures.values()):
        text += "（未提供营业额与资产）" if zh else " (no turnover or balance sheet given)"
    if index > 0 and staff < tiers[index - 1]["staff_below"]:
        # the staff fit the tier below: its ceilings were both exceeded
        text += ("；超过下一档上限：" if zh else "; above the lower tier's ceilings: ") + over(
            tiers[index - 1]
        )
    return head + text


#: the EU standard's financial figures, in 中文 and English
_EU_NAMES = {"turnover": ("营业额", "turnover"), "balance": ("资产负债表总额", "balance sheet")}


def _section_divisions(section: str) -> tuple[int, int] | None:
    found = load_reference("industry_gbt4754")["sections"].get(section)
    return (int(found[0]), int(found[1])) if found else None


def _cn_row_fits(row: dict[str, Any], section: Any) -> bool:
    match = row.get("match") or {}
    if not match:
        return True
    if not isinstance(section, str) or not section:
        return False
    if section in match.get("sections", []):
        return True
    span = _section_divisions(section)
    if span is None:
        return False
    divisions = [int(d) for d in match.get("divisions", [])]
    divisions += [int(str(c)[:2]) for c in match.get("classes", [])]
    return any(span[0] <= d <= span[1] for d in divisions)


def _cn_tier(value: Any, bounds: list[float]) -> int | None:
    if _missing(value):
        return None
    large, medium, small = bounds
    v = float(value)
    return 3 if v >= large else 2 if v >= medium else 1 if v >= small else 0


def _cn_basis(values: Mapping[str, Any], lang: str) -> str | None:
    size = values.get("company_size_cn")
    if size not in TIERS:
        return None
    table = load_reference("size_cn_2017")
    to_10k = float(values.get("cny_per_unit") or 1.0) / 10000.0
    measures = {
        "X": values.get("employees"),
        "Y": None if _missing(values.get("annual_revenue")) else values["annual_revenue"] * to_10k,
        "Z": None if _missing(values.get("total_assets")) else values["total_assets"] * to_10k,
    }
    rows = [r for r in table["rows"] if r.get("match")] + [
        r for r in table["rows"] if not r.get("match")
    ]
    code = _industry_code(values.get("industry"))
    section = _sized_section(values.get("industry")) if code is None else None
    if section is not None and not values.get("industry_section"):
        # a section named for the size alone (制造业): its lines sized the company
        values = {**values, "industry_section": section}
    if code is not None:
        # the row the code selects, as the size was computed: the section alone fits
        # several (I: telecommunications 63-64 and software 65), and the first whose
        # tier matched was named (software sized by the telecommunications lines)
        chosen = [r for r in rows if _cn_row_of_code(r, code, values.get("industry_section"))]
        found = _cn_basis_by(chosen[:1], values, measures, size, lang)
        if found is not None:
            return found
    return _cn_basis_by(rows, values, measures, size, lang)


#: an industry written as a GB/T 4754 code, or a code before its name (the Python twin of
#: :data:`kequn.features.attributes._CODE_LIKE` and ``_CODE_FIRST``)
_CODE_LIKE = re.compile(r"^[A-T]?[0-9]{2,4}$")
_CODE_FIRST = re.compile(r"^([A-T]?[0-9]{2,4})[\s:：\-]*[\u3400-\u9fff]")


def _industry_code(text: Any) -> str | None:
    """The GB/T 4754 code (with its division) an industry text gives, else None."""
    if not isinstance(text, str):
        return None
    plain = text.strip()
    upper = plain.upper()
    if _CODE_LIKE.match(upper):
        return upper
    first = _CODE_FIRST.match(upper)
    if first:
        return first.group(1)
    names = load_reference("industry_gbt4754").get("names") or {}
    for code, words in names.items():
        if plain in [str(w) for w in words] and str(code).isdigit():
            return str(code)
    return None


def _sized_section(text: Any) -> str | None:
    """The section a name of the reference table's ``size_names`` gives (制造业 is C), as
    :func:`kequn.features.attributes.with_code_from_text` reads it for the size."""
    if not isinstance(text, str):
        return None
    plain = text.strip()
    sized = load_reference("industry_gbt4754").get("size_names") or {}
    return next((str(k) for k, words in sized.items() if plain in [str(w) for w in words]), None)


def _cn_row_of_code(row: dict[str, Any], code: str, section: Any) -> bool:
    """Whether the size table's ``row`` applies to ``code`` (the default row: always),
    as :func:`kequn.features.reference._row_matches` decides it."""
    match = row.get("match") or {}
    if not match:
        return True
    digits = re.match(r"^[A-T]?(\d{2})", code)
    division = int(digits.group(1)) if digits else None
    if section in match.get("sections", []):
        return True
    if division is not None and division in [int(d) for d in match.get("divisions", [])]:
        return True
    return any(re.match(rf"^[A-T]?{re.escape(str(c))}", code) for c in match.get("classes", []))


def _cn_basis_by(
    rows: list[dict[str, Any]],
    values: Mapping[str, Any],
    measures: dict[str, Any],
    size: Any,
    lang: str,
) -> str | None:
    for row in rows:
        if not _cn_row_fits(row, values.get("industry_section")):
            continue
        indicators = [k for k in ("X", "Y", "Z") if k in row]
        tiers = {k: _cn_tier(measures[k], row[k]) for k in indicators}
        known = {k: v for k, v in tiers.items() if v is not None}
        if not known or min(known.values()) != TIERS.index(size):
            continue
        tier = TIERS.index(size)
        deciding = [k for k in indicators if known.get(k) is not None]
        if tier < 3:  # the smallest tier reached decides: name that indicator
            deciding = [next(k for k in deciding if known[k] == tier)]
        parts = [_cn_part(k, measures[k], row[k], tier, lang) for k in deciding]
        if lang == "zh":
            return f"国标{row.get('name', '')}：" + "，".join(parts)
        name = _CN_ROWS_EN.get(str(row.get("id")), "other industries")
        return f"China 2017 standard, {name}: " + ", ".join(parts)
    return None


def _cn_part(key: str, value: Any, bounds: list[float], tier: int, lang: str) -> str:
    """``从业人员 2,064 ≥ 1,000 人`` for the tier reached (or ``< 20`` for micro)."""
    large, medium, small = bounds
    lower = {3: large, 2: medium, 1: small}.get(tier)
    upper = {2: large, 1: medium, 0: small}.get(tier)
    name = _INDICATORS[key][0 if lang == "zh" else 1]

    def show(v: float) -> str:
        if key == "X":
            return f"{round(v):,}"
        return money(v * 10000.0, lang, "CNY")

    unit = " 人" if key == "X" and lang == "zh" else ""
    if lower is not None:
        text = f"{name} {show(float(value))} ≥ {show(lower)}{unit}"
        if upper is not None:
            text += f"（< {show(upper)}）" if lang == "zh" else f" (< {show(upper)})"
        return text
    assert upper is not None
    return f"{name} {show(float(value))} < {show(upper)}{unit}"
