"""Reasons a person can read: every default label has a template in 中文 and English, the
templates name only known features, thresholds and formats, and the rendered text never
shows a code (snake_case names, rule syntax, quotes)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_dimensions import CASES  # the boundary rows of every dimension
from typer.testing import CliRunner

from kequn.cli import app
from kequn.features.catalogue import FORMATS
from kequn.taxonomy.explain import explain
from kequn.taxonomy.model import (
    COMPUTED_PLACEHOLDERS,
    Taxonomy,
    TaxonomyError,
    parse_taxonomy,
)
from kequn.taxonomy.reasons import fmt_value, money

Classify = Callable[..., list[dict[str, Any]]]
DEFAULT = (Path(__file__).parents[2] / "src/kequn/taxonomy/default.yaml").read_text("utf-8")
#: as tests/taxonomy/conftest.py pins them for classify_rows
PINNED: dict[str, Any] = {
    "purchase_cycle_days": 30.0,
    "high_value_spend": 1000.0,
    "medium_value_spend": 300.0,
    "bulk_order_value": 500.0,
    "bulk_quantity": 20.0,
    "small_order_value": 50.0,
    "typical_order_value": 120.0,
    "typical_quantity": 2.0,
    "home_city": "上海",
    "home_province": "上海",
    "home_country": "CN",
}


def params_for(taxonomy: Taxonomy, **overrides: Any) -> dict[str, Any]:
    out = {name: th.value for name, th in taxonomy.thresholds.items() if th.value is not None}
    return {**out, **PINNED, **overrides}


def _every_label(taxonomy: Taxonomy) -> list[tuple[str, Any]]:
    return [
        (dim.id, label)
        for dim in taxonomy.dimensions
        for label in [*dim.labels, *([dim.fallback] if dim.fallback else [])]
    ]


def test_every_default_label_has_a_reason_in_both_languages(taxonomy: Taxonomy) -> None:
    names = set(taxonomy.extra_names()) | set(COMPUTED_PLACEHOLDERS)
    from kequn.features.catalogue import FEATURES, PARAMETERS

    names |= set(FEATURES) | set(PARAMETERS)
    for dim_id, label in _every_label(taxonomy):
        assert label.reason, f"{dim_id}.{label.id} has no reason"
        assert label.reason[-1].when is None, f"{dim_id}.{label.id}: the last variant is for all"
        for variant in label.reason:
            for lang in ("zh", "en"):
                text = getattr(variant, lang)
                assert text.strip(), f"{dim_id}.{label.id} has no {lang} reason"
                for _, name, spec, _ in string.Formatter().parse(text):
                    if name is None:
                        continue
                    assert name in names, f"{dim_id}.{label.id}: unknown {name}"
                    assert (spec or taxonomy.format_of(name)) in FORMATS


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("{spend_total:money}", "unknown name '{spend_total}'"),
        ("{spend:dollars}", "unknown format '{spend:dollars}'"),
        ("{city_norm:money}", "city_norm is a string, not a number"),
        ("{spend:label}", "spend is not a dimension"),
        ("{spend", "not a valid template"),
    ],
)
def test_loading_and_check_flag_bad_templates(tmp_path: Path, template: str, problem: str) -> None:
    text = DEFAULT.replace(
        'reason: {zh: "累计消费 {spend:money}，低于中位线 {medium_value_spend:money}"',
        f'reason: {{zh: "{template}"',
    )
    assert text != DEFAULT
    with pytest.raises(TaxonomyError, match=re.escape(problem)):
        parse_taxonomy(text)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["taxonomy", "check", str(path)])
    assert result.exit_code == 1
    assert "value.low.reason" in result.output


def test_a_reason_variant_rule_is_checked() -> None:
    text = DEFAULT.replace(
        '- {when: "aov_pct >= potential_aov_pct"', '- {when: "aov_pctl >= potential_aov_pct"'
    )
    with pytest.raises(TaxonomyError, match=r"potential_high\.reason\.when"):
        parse_taxonomy(text)


# -- rendering ---------------------------------------------------------------------------
B2B = [
    {  # 国标工业, large by employees and revenue
        "nature": "enterprise",
        "industry_section": "C",
        "industry_group": "raw_materials",
        "industry": "化工",
        "employees": 2064.0,
        "annual_revenue": 5.2e8,
        "company_size_cn": "large",
        "company_size_eu": "large",
        "preferred_channel_group": "offline",
        "source_group": "partner_referral",
        "city_norm": "合肥",
        "country_norm": "CN",
        "orders": 4.0,
        "purchase_days": 4.0,
        "spend": 48000.0,
        "avg_order_value": 12000.0,
        "avg_quantity": 30.0,
        "days_since_last_order": 20.0,
        "days_since_first_order": 400.0,
        "tenure_days": 400.0,
        "orders_per_year": 3.6,
        "full_price_share": 0.75,
        "discount_share": 0.25,
        "offline_share": 1.0,
        "online_share": 0.0,
        "r_score": 5.0,
        "f_score": 4.0,
        "m_score": 5.0,
    },
    {  # no industry code, no channel preference, online mix, small
        "nature": "enterprise",
        "industry_group": "other",
        "industry": "咨询",
        "employees": 45.0,
        "company_size_cn": "small",
        "company_size_eu": "small",
        "preferred_channel_group": "unknown",
        "online_share": 0.8,
        "offline_share": 0.2,
        "city_norm": "Paris",
        "country_norm": "FR",
        "orders": 2.0,
        "spend": 900.0,
        "avg_order_value": 450.0,
        "days_since_last_order": 200.0,
        "days_since_first_order": 500.0,
        "shares": 3.0,
        "age": 41.0,
        "gender": "other",
        "income": 80000.0,
    },
    {  # a government body sized under micro, a young person elsewhere
        "nature": "government",
        "company_size_cn": "micro",
        "employees": 5.0,
        "city_norm": "北京",
        "orders": 1.0,
        "spend": 20.0,
        "avg_order_value": 20.0,
        "days_since_last_order": 10.0,
        "days_since_first_order": 10.0,
        "age": 22.0,
        "gender": "female",
        "income": 20000.0,
        "source_group": "social",
        "p_alive": 0.9,
        "churn_risk": 0.8,
    },
]
#: snake_case identifiers, rule syntax, quoted codes
CODE = re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]|coalesce|['\"{}]|\b(?:and|or) \(|==|!=|<>")


def _rows() -> list[dict[str, Any]]:
    rows = [features for cases in CASES.values() for _, features, _ in cases]
    return rows + B2B


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reasons_read_as_text_not_code(
    classify_rows: Classify, taxonomy: Taxonomy, lang: str
) -> None:
    labelled = classify_rows(_rows())
    params = params_for(taxonomy)
    seen = 0
    for row in labelled:
        for dim in explain(taxonomy, row, params, lang):
            for entry in dim["labels"]:
                reason = entry["reason"]
                seen += 1
                assert reason.strip()
                assert not CODE.search(reason), f"{dim['dimension']}.{entry['label']}: {reason}"
                if lang == "en":
                    assert not re.search(r"[未空]", reason.replace("未知", "")), reason
    assert seen > 500


def test_lifecycle_and_company_size_say_it_as_the_owner_would(
    classify_rows: Classify, taxonomy: Taxonomy
) -> None:
    dormant = {"orders": 2, "days_since_last_order": 56, "days_since_first_order": 200}
    row, b2b = classify_rows([dormant, B2B[0]], purchase_cycle_days=21.44)
    params = params_for(taxonomy, purchase_cycle_days=21.44)
    zh = _reasons(taxonomy, row, params, "zh")
    en = _reasons(taxonomy, row, params, "en")
    assert zh["lifecycle"] == "距上次下单已 56 天，超过购买周期（约 21 天）的 2 倍"
    assert en["lifecycle"] == (
        "56 days since the last order, more than twice the purchase cycle (about 21 days)"
    )
    size = _reasons(taxonomy, b2b, params, "zh")["company_size"]
    assert size.startswith("国标工业：从业人员 2,064 ≥ 1,000 人")
    assert size.endswith("→ 大型")
    assert "¥5.2亿 ≥ ¥4亿" in size
    en_size = _reasons(taxonomy, b2b, params, "en")["company_size"]
    assert en_size.startswith("China 2017 standard, industry: employees 2,064 ≥ 1,000")
    assert _reasons(taxonomy, b2b, params, "zh")["channel"] == "客户声明偏好线下沟通"
    eu = _reasons(taxonomy, b2b, {**params, "size_standard": "eu"}, "en")["company_size"]
    assert eu.startswith("EU 2003/361 standard: 2,064 staff ≥ 250")


def test_missing_values_read_unknown(taxonomy: Taxonomy) -> None:
    row = {"lifecycle": "new", "days_since_first_order": None}
    zh = _reasons(taxonomy, row, params_for(taxonomy), "zh")["lifecycle"]
    en = _reasons(taxonomy, row, params_for(taxonomy), "en")["lifecycle"]
    assert zh == "首次下单在 未知，仍在 90 天的新客期内"
    assert en == "first order —, within the 90 days of a new customer"


def _reasons(
    taxonomy: Taxonomy, row: dict[str, Any], params: dict[str, Any], lang: str
) -> dict[str, str]:
    return {
        d["dimension"]: d["labels"][0]["reason"]
        for d in explain(taxonomy, row, params, lang)
        if d["labels"]
    }


def test_a_label_without_a_template_falls_back_to_its_rule_without_code() -> None:
    data = yaml.safe_load(DEFAULT)
    channel = next(d for d in data["dimensions"] if d["id"] == "channel")
    offline = next(label for label in channel["labels"] if label["id"] == "offline")
    del offline["reason"]
    taxonomy = parse_taxonomy(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    row = {"channel": "offline", "preferred_channel_group": "unknown", "offline_share": 0.8}
    (entry,) = next(d for d in explain(taxonomy, row, {}, "en") if d["dimension"] == "channel")[
        "labels"
    ]
    assert entry["reason"].startswith("preferred channel (unknown) = offline or")
    assert "coalesce" not in entry["reason"]
    assert "'" not in entry["reason"]


@pytest.mark.parametrize(
    ("value", "fmt", "lang", "expected"),
    [
        (5200, "money", "zh", "¥5,200"),
        (12000, "money", "zh", "¥1.2万"),
        (300000, "money", "zh", "¥30万"),
        (520000000, "money", "zh", "¥5.2亿"),
        (5200.4, "money", "en", "¥5,200"),
        (12000, "money", "en", "¥12,000"),
        (12.5, "money", "en", "¥12.5"),
        (56.4, "days", "zh", "56 天"),
        (56, "days", "en", "56 days"),
        (1, "days", "en", "1 day"),
        (0, "ago", "en", "today"),
        (0, "ago", "zh", "今天"),
        (1, "ago", "en", "1 day ago"),
        (56, "ago", "zh", "56 天前"),
        (None, "ago", "en", "—"),
        (0.12, "pct", "en", "12%"),
        (0.055, "pct", "zh", "5.5%"),
        (2064, "int", "zh", "2,064"),
        (2.44, "number", "en", "2.4"),
        (None, "days", "zh", "未知"),
        (None, "money", "en", "—"),
        (float("nan"), "pct", "en", "—"),
    ],
)
def test_formats(value: Any, fmt: str, lang: str, expected: str) -> None:
    assert fmt_value(value, fmt, lang) == expected


def test_money_uses_the_workspace_currency() -> None:
    assert money(5200, "en", "USD") == "$5,200"
    assert money(15000, "zh", "EUR") == "€1.5万"


def test_a_single_order_is_said_in_the_singular(
    classify_rows: Classify, taxonomy: Taxonomy
) -> None:
    # past the new-customer window, within the cycle: active; between the lines: regular
    one = {"orders": 1, "spend": 120, "avg_order_value": 120, "days_since_last_order": 40}
    (row,) = classify_rows([{**one, "days_since_first_order": 120}])
    params = params_for(taxonomy, purchase_cycle_days=30.0)
    en = _reasons(taxonomy, row, params, "en")
    assert (row["lifecycle"], row["order_size"]) == ("active", "regular")
    assert en["lifecycle"] == (
        "a single order, 40 days ago, within twice the purchase cycle (about 30 days)"
    )
    assert en["order_size"] == "a single order of ¥120, what the median buyer spends per order"
    row = {**row, "avg_order_value": 200.0}
    assert _reasons(taxonomy, row, params, "en")["order_size"] == (
        "a single order of ¥200 (small up to ¥50, bulk from ¥500)"
    )
    assert _reasons(taxonomy, row, params, "zh")["order_size"] == (
        "只下过 1 单，金额 ¥200（小额线 ¥50，大宗线 ¥500）"
    )


def test_an_order_on_the_as_of_day_is_said_today(
    classify_rows: Classify, taxonomy: Taxonomy
) -> None:
    """A first order placed on the run's day read "a single order, 0 days ago"."""
    one = {"orders": 1, "spend": 120, "avg_order_value": 120, "days_since_last_order": 0}
    (row,) = classify_rows([{**one, "days_since_first_order": 0}])
    params = params_for(taxonomy, purchase_cycle_days=30.0)
    en, zh = (_reasons(taxonomy, row, params, lang)["lifecycle"] for lang in ("en", "zh"))
    assert row["lifecycle"] == "new"
    assert en == "first order today, within the 90 days of a new customer"
    assert zh == "首次下单在 今天，仍在 90 天的新客期内"
