"""Reference-table classifiers as Ibis expressions: channel, source, nature, industry, size.

The tables are YAML data in ``kequn/features/refdata/`` (a workspace may point at edited
copies); these builders turn them into ``CASE`` expressions over customer columns, so the
same logic runs on DuckDB and Spark. Keyword lists become one regular expression per
group; Latin words are matched as whole words so that ``inc`` does not match ``Lincoln``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.features.reftables import TIERS, load_reference

Outputs = Callable[[ir.Table], Mapping[str, ir.Value]]
#: a group of :func:`by_distinct`: its inputs, its outputs, and optionally helper columns
#: the outputs read (computed first, once; not kept)
Group = tuple[Sequence[str], Outputs] | tuple[Sequence[str], Outputs, Outputs]


def by_distinct(table: ir.Table, groups: Sequence[Group]) -> ir.Table:
    """``table`` with, for each ``(inputs, outputs)`` group, the columns ``outputs(t)`` added,
    computed once per distinct combination of ``inputs``.

    The classifiers below are long ``CASE`` expressions full of regular expressions, over
    columns with few distinct values (a source, a channel, an industry code and text).
    Evaluated on every row of a million customers they were most of the attribute
    features' time; evaluated on the distinct combinations and joined back (NULL-safe, so
    a missing input gets its own row) they cost a hash join. Every group's combinations
    are read from ``table`` itself, not from the result of the previous joins (which made
    the SQL repeat those joins for each group's keys).

    A group's third element, when given, adds helper columns first (in a query of their
    own, so the outputs refer to them by name instead of repeating their expression: the
    industry section is a 20-way ``CASE`` that the industry group and the company size
    test dozens of times, which made ~230 KB of SQL that DuckDB took ~0.4 s to plan).
    """
    out = table
    for g, (inputs, outputs, *helpers) in enumerate(groups):
        keys = table.select(*inputs).distinct()
        for helper in helpers:
            # distinct again (the keys are already): keeps Ibis from merging the helpers'
            # query into the outputs' one, which would inline them again
            keys = keys.mutate(**helper(keys)).distinct()
        produced = outputs(keys)
        mapped = keys.mutate(**produced)
        added = list(produced)
        names = [f"_key{g}_{i}" for i in range(len(inputs))]
        mapped = mapped.rename(dict(zip(names, inputs, strict=True)))
        joined = out.left_join(
            mapped,
            [out[c].identical_to(mapped[n]) for c, n in zip(inputs, names, strict=True)],
        )
        out = joined.select(*out.columns, *added)
    return out


def keyword_pattern(words: list[str]) -> str:
    """One case-insensitive regex for a keyword list; Latin words match as whole words."""
    parts = []
    for word in words:
        escaped = re.escape(str(word).lower())
        parts.append(
            rf"\b{escaped}\b" if re.fullmatch(r"[a-z0-9 ._,&-]+", str(word).lower()) else escaped
        )
    return "(" + "|".join(parts) + ")"


def _normal(text: ir.StringValue) -> ir.StringValue:
    return text.strip().lower()


def _grouped(value: ir.StringValue, table: dict[str, Any]) -> ir.StringValue:
    """Exact synonyms first, then keywords, in the table's group order; else other/unknown."""
    norm = _normal(value)
    groups: dict[str, Any] = table["groups"]
    cases: list[tuple[ir.BooleanValue, str]] = [(norm.isnull() | (norm == ""), "unknown")]
    for group, spec in groups.items():
        exact = [str(v).strip().lower() for v in spec.get("exact", [])]
        if exact:
            cases.append((norm.isin(exact), group))
    for group, spec in groups.items():
        words = spec.get("contains", [])
        if words:
            cases.append((norm.re_search(_contains_pattern(words)), group))
    return ibis.cases(*cases, else_="other")


def _contains_pattern(words: list[str]) -> str:
    return "(" + "|".join(re.escape(str(w).lower()) for w in words) + ")"


def channel_group_expr(channel: ir.StringValue, table: dict[str, Any]) -> ir.StringValue:
    """``online``, ``offline``, ``other`` or ``unknown`` (missing)."""
    return _grouped(channel, table)


def source_group_expr(source: ir.StringValue, table: dict[str, Any]) -> ir.StringValue:
    """``organic``, ``advertising``, ``partner_referral``, ``social``, ``direct``, ``other``
    or ``unknown`` (missing)."""
    return _grouped(source, table)


def nature_expr(
    kind: ir.StringValue, name: ir.StringValue, table: dict[str, Any]
) -> ir.StringValue:
    """The declared kind when it is one of the four, else inferred from the name."""
    valid = ("individual", "enterprise", "government", "institution")
    lowered = name.lower()
    cases: list[tuple[ir.BooleanValue, Any]] = [(kind.isin(valid), kind)]
    # a company's legal form (有限公司, Ltd) says enterprise whatever else the name holds:
    # 中华书局有限公司 is a publisher, not a government bureau (局)
    forms = [str(w) for w in table.get("legal_forms") or []]
    if forms:
        cases.append((lowered.re_search(keyword_pattern(forms)), "enterprise"))
    for group in table["order"]:
        cases.append((lowered.re_search(keyword_pattern(table["keywords"][group])), group))
    cases.append((name.notnull() & (name.strip() != ""), "individual"))
    return ibis.cases(*cases, else_="unknown")


def _code(code: ir.StringValue) -> ir.StringValue:
    return code.strip().upper()


def division_expr(code: ir.StringValue) -> ir.IntegerValue:
    """The 2-digit GB/T 4754 division of a code such as ``26``, ``2614`` or ``C26``, else NULL."""
    digits = _code(code).re_extract(r"^[A-T]?(\d{2})", 1)
    return ibis.cases((digits != "", digits.cast("int64")), else_=ibis.null("int64"))


def industry_section_expr(
    code: ir.StringValue, table: dict[str, Any] | None = None
) -> ir.StringValue:
    """The section letter (A–T) from a letter or a division/class code; NULL if neither."""
    sections = (table or load_reference("industry_gbt4754"))["sections"]
    normalised = _code(code)
    division = division_expr(code)
    cases: list[tuple[ir.BooleanValue, Any]] = [(normalised.re_search(r"^[A-T]$"), normalised)]
    for letter, (low, high) in sections.items():
        cases.append((division.between(low, high), letter))
    return ibis.cases(*cases, else_=ibis.null("string"))


def industry_group_expr(
    code: ir.StringValue,
    text: ir.StringValue,
    role: ir.StringValue,
    table: dict[str, Any],
    *,
    section: ir.StringValue | None = None,
    division: ir.IntegerValue | None = None,
) -> ir.StringValue:
    """The taxonomy's industry group, NULL when neither a code nor a text is given.

    An explicit ``supply_chain_role`` decides within manufacturing (or with no code); role
    keywords in the text refine the manufacturing division default; otherwise a code wins
    over text keywords.
    """
    section = industry_section_expr(code, table) if section is None else section
    division = division_expr(code) if division is None else division
    lowered = text.lower()
    role_norm = _normal(role)
    manufacturing_or_unknown = section.isnull() | (section == "C")
    cases: list[tuple[ir.BooleanValue, Any]] = []
    for group, words in table["roles"].items():
        cases.append(
            (manufacturing_or_unknown & role_norm.isin([str(w).lower() for w in words]), group)
        )
    for group in ("raw_materials", "components", "finished_goods"):
        cases.append(
            ((section == "C") & lowered.re_search(keyword_pattern(table["roles"][group])), group)
        )
    for group, divisions in table["manufacturing"].items():
        cases.append(((section == "C") & division.isin(divisions), group))
    for group, divisions in table["divisions"].items():
        cases.append((division.isin(divisions), group))
    for letter, group in _whole_sections(table).items():
        # a section's letter alone (F, or 批发和零售业 read as F): the group all its
        # divisions are in (F's 51 and 52 are retail), not "other"
        cases.append((division.isnull() & (section == letter), group))
    cases.append((section.isin(table["service_sections"]), "other_services"))
    cases.append((section.notnull(), "other"))
    for group, words in table["keywords"].items():
        cases.append((lowered.re_search(keyword_pattern(words)), group))
    cases.append((text.notnull() & (text.strip() != ""), "other"))
    return ibis.cases(*cases, else_=ibis.null("string"))


def _whole_sections(table: dict[str, Any]) -> dict[str, str]:
    """The sections whose divisions are all in one group of ``divisions``: F (51, 52:
    retail), J (66-69: finance)."""
    out = {}
    for letter, (low, high) in table["sections"].items():
        groups = {
            group
            for group, divisions in table["divisions"].items()
            for d in range(int(low), int(high) + 1)
            if d in divisions
        }
        covered = all(
            any(d in divisions for divisions in table["divisions"].values())
            for d in range(int(low), int(high) + 1)
        )
        if covered and len(groups) == 1:
            out[str(letter)] = groups.pop()
    return out


def _tier(value: ir.NumericValue, bounds: list[float]) -> ir.IntegerValue:
    large, medium, small = bounds
    return ibis.cases(
        (value.isnull(), ibis.null("int64")),
        (value >= large, 3),
        (value >= medium, 2),
        (value >= small, 1),
        else_=0,
    )


def _row_matches(
    row: dict[str, Any], section: ir.StringValue, division: ir.IntegerValue, code: ir.StringValue
) -> ir.BooleanValue | None:
    match = row.get("match") or {}
    parts: list[ir.BooleanValue] = []
    if match.get("sections"):
        parts.append(section.isin(match["sections"]))
    if match.get("divisions"):
        parts.append(division.isin(match["divisions"]))
    for prefix in match.get("classes", []):
        parts.append(_code(code).re_search(rf"^[A-T]?{re.escape(str(prefix))}"))
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out = out | part
    return out


def _size_parts(
    code: ir.StringValue,
    employees: ir.NumericValue,
    revenue_10k_cny: ir.NumericValue,
    assets_10k_cny: ir.NumericValue,
    table: dict[str, Any],
    section: ir.StringValue | None = None,
    division: ir.IntegerValue | None = None,
) -> list[tuple[ir.BooleanValue | None, ir.IntegerValue]]:
    """Per row of the table: which customers it applies to (None: the default row), and
    the tier its indicators give."""
    section = industry_section_expr(code) if section is None else section
    division = division_expr(code) if division is None else division
    values = {"X": employees, "Y": revenue_10k_cny, "Z": assets_10k_cny}
    present_only = table.get("missing", "unknown") == "present"
    parts = []
    for row in table["rows"]:
        indicators = [k for k in ("X", "Y", "Z") if k in row]
        tiers = [_tier(values[k], row[k]) for k in indicators]
        if present_only:
            tier = ibis.least(*tiers) if len(tiers) > 1 else tiers[0]
        else:
            any_missing = values[indicators[0]].isnull()
            for k in indicators[1:]:
                any_missing = any_missing | values[k].isnull()
            smallest = ibis.least(*tiers) if len(tiers) > 1 else tiers[0]
            # micro needs one indicator below its line, so one known is enough for it
            # (20 employees in industry is micro whatever the revenue); the others need all
            known_micro = tiers[0] == 0
            for other in tiers[1:]:
                known_micro = known_micro | (other == 0)
            tier = ibis.cases(
                (known_micro.fill_null(False), 0),
                (any_missing, ibis.null("int64")),
                else_=smallest,
            )
        parts.append((_row_matches(row, section, division, code), tier))
    return parts


def company_size_cn_expr(
    code: ir.StringValue,
    employees: ir.NumericValue,
    revenue_10k_cny: ir.NumericValue,
    assets_10k_cny: ir.NumericValue,
    table: dict[str, Any],
    *,
    section: ir.StringValue | None = None,
    division: ir.IntegerValue | None = None,
) -> ir.StringValue:
    """Size under China's 2017 statistical standard; revenue and assets in 万元 (10,000 CNY).

    Rows are chosen by code; a customer without a code falls to the ``other`` row
    (employees only).
    """
    parts = _size_parts(code, employees, revenue_10k_cny, assets_10k_cny, table, section, division)
    default = next(tier for cond, tier in parts if cond is None)
    tier = ibis.cases(*[(cond, t) for cond, t in parts if cond is not None], else_=default)
    # a simple CASE names the tier's expression once (a searched one repeated it per tier)
    return tier.cases(*list(enumerate(TIERS)), else_="unknown")


def company_size_eu_expr(
    employees: ir.NumericValue,
    turnover_eur: ir.NumericValue,
    balance_eur: ir.NumericValue,
    table: dict[str, Any],
) -> ir.StringValue:
    """Size under EU 2003/361: staff is required; either financial ceiling may be met."""
    cases: list[tuple[ir.BooleanValue, str]] = [(employees.isnull(), "unknown")]
    for tier in table["tiers"]:
        financial = (turnover_eur <= tier["turnover_max"]).fill_null(False) | (
            balance_eur <= tier["balance_max"]
        ).fill_null(False)
        no_financials = turnover_eur.isnull() & balance_eur.isnull()
        cases.append(((employees < tier["staff_below"]) & (financial | no_financials), tier["id"]))
    return ibis.cases(*cases, else_=table.get("above", "large"))
