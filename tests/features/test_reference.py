"""Reference-table classifiers at their boundaries (table-driven), on each engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pytest
from ibis.backends import BaseBackend

from kequn.features import reference as ref


def run(con: BaseBackend, expr_builder, **columns: list[Any]) -> list[Any]:
    numeric = {"x", "y", "z", "s", "t", "b"}
    types = {k: ("float64" if k in numeric else "string") for k in columns}
    n = len(next(iter(columns.values())))
    t = ibis.memtable({"i": list(range(n)), **columns}, schema={"i": "int64", **types})
    # Spark need not keep the input order
    out = con.to_pyarrow(t.select("i", x=expr_builder(t)).order_by("i"))["x"].to_pylist()
    assert len(out) == n
    return out


@pytest.fixture(scope="module")
def batch(backend: BaseBackend) -> Callable[..., list[Any]]:
    """``batch(key, builder, **columns)``: every case of a table classified in one query
    per engine and remembered under ``key`` (a Spark query costs seconds whatever its
    size). The classifiers work row by row, so a case gives the same alone or in a batch."""
    done: dict[str, list[Any]] = {}

    def get(key: str, expr_builder, **columns: list[Any]) -> list[Any]:
        if key not in done:
            done[key] = run(backend, expr_builder, **columns)
        return done[key]

    return get


def num(value: float | None) -> float | None:
    return None if value is None else float(value)


SIZE_CN = [
    # description, code, employees, revenue 万元, assets 万元, expected
    ("manufacturing large needs both", "26", 1000, 40000, None, "large"),
    ("manufacturing: staff large, revenue medium -> medium", "26", 1000, 39999, None, "medium"),
    ("manufacturing small lower bounds", "C33", 20, 300, None, "small"),
    ("manufacturing micro: one indicator below small", "3311", 19, 50000, None, "micro"),
    ("wholesale medium", "51", 20, 5000, None, "medium"),
    ("wholesale micro", "51", 4, 50000, None, "micro"),
    ("retail small", "52", 10, 100, None, "small"),
    ("software large", "65", 300, 10000, None, "large"),
    ("software medium at bounds", "65", 100, 1000, None, "medium"),
    ("real-estate development uses Y and Z", "7010", None, 200000, 10000, "large"),
    ("real-estate development: assets medium", "7010", None, 200000, 5000, "medium"),
    ("property management (702)", "7020", 300, 1000, None, "medium"),
    ("leasing uses X and Z", "72", 300, None, 120000, "large"),
    ("other industries: staff only", "83", 100, None, None, "medium"),
    ("no code falls to other", None, 9, None, None, "micro"),
    ("a listed indicator missing -> unknown", "26", 500, None, None, "unknown"),
    # micro needs only one indicator below the small line: known without the other
    ("micro from staff alone, revenue missing", "26", 19, None, None, "micro"),
    ("micro from revenue alone, staff missing", "51", None, 999, None, "micro"),
    ("small needs both: revenue missing -> unknown", "26", 20, None, None, "unknown"),
]


@pytest.mark.parametrize(
    ("description", "code", "x", "y", "z", "expected"), SIZE_CN, ids=[c[0] for c in SIZE_CN]
)
def test_china_2017_size(
    batch: Callable[..., list[Any]],
    description: str,
    code: str | None,
    x: float | None,
    y: float | None,
    z: float | None,
    expected: str,
) -> None:
    table = ref.load_reference("size_cn_2017")
    got = batch(
        "size_cn",
        lambda t: ref.company_size_cn_expr(t.code, t.x, t.y, t.z, table),
        code=[c[1] for c in SIZE_CN],
        x=[num(c[2]) for c in SIZE_CN],
        y=[num(c[3]) for c in SIZE_CN],
        z=[num(c[4]) for c in SIZE_CN],
    )
    assert got[SIZE_CN.index((description, code, x, y, z, expected))] == expected, description


def test_missing_indicator_policy_present(backend: BaseBackend) -> None:
    table = {**ref.load_reference("size_cn_2017"), "missing": "present"}
    got = run(
        backend,
        lambda t: ref.company_size_cn_expr(t.code, t.x, t.y, t.z, table),
        code=["26"],
        x=[500.0],
        y=[None],
        z=[None],
    )
    assert got == ["medium"]


SIZE_EU = [
    ("micro", 9, 2_000_000, None, "micro"),
    ("10 staff is small", 10, 2_000_000, None, "small"),
    (
        "staff under 50, turnover over 10m, balance under 10m: small",
        49,
        12_000_000,
        9_000_000,
        "small",
    ),
    ("staff under 50 but both ceilings exceeded: medium", 49, 12_000_000, 11_000_000, "medium"),
    ("250 staff is large", 250, 1_000_000, 1_000_000, "large"),
    ("no staff: unknown", None, 1_000_000, 1_000_000, "unknown"),
]


@pytest.mark.parametrize(
    ("description", "staff", "turnover", "balance", "expected"),
    SIZE_EU,
    ids=[c[0] for c in SIZE_EU],
)
def test_eu_size(
    batch: Callable[..., list[Any]],
    description: str,
    staff: int | None,
    turnover: float | None,
    balance: float | None,
    expected: str,
) -> None:
    table = ref.load_reference("size_eu_2003")
    got = batch(
        "size_eu",
        lambda t: ref.company_size_eu_expr(t.s, t.t, t.b, table),
        s=[num(c[1]) for c in SIZE_EU],
        t=[num(c[2]) for c in SIZE_EU],
        b=[num(c[3]) for c in SIZE_EU],
    )
    case = (description, staff, turnover, balance, expected)
    assert got[SIZE_EU.index(case)] == expected, description


NATURE = [
    ("declared kind wins", "enterprise", "张伟", "enterprise"),
    ("company suffix", None, "上海华盛科技有限公司", "enterprise"),
    ("Latin company suffix", None, "Apex Trading Co., Ltd.", "enterprise"),
    ("Lincoln is not an Inc", None, "Lincoln Wang", "individual"),
    ("bureau before company words", None, "上海市市场监督管理局", "government"),
    ("ministry", None, "Ministry of Commerce", "government"),
    ("university hospital is an institution", None, "复旦大学附属医院", "institution"),
    ("association", None, "中国计算机学会", "institution"),
    ("a person", None, "李娜", "individual"),
    ("繁體: a 台灣 company", None, "台灣華盛科技股份有限公司", "enterprise"),
    ("繁體: a city government", None, "臺北市政府", "government"),
    ("繁體: a university", None, "國立臺灣大學", "institution"),
    ("繁體: a group", None, "長榮集團", "enterprise"),
    ("nothing known", None, None, "unknown"),
]


@pytest.mark.parametrize(
    ("description", "kind", "name", "expected"), NATURE, ids=[c[0] for c in NATURE]
)
def test_nature(
    batch: Callable[..., list[Any]],
    description: str,
    kind: str | None,
    name: str | None,
    expected: str,
) -> None:
    table = ref.load_reference("nature_keywords")
    got = batch(
        "nature",
        lambda t: ref.nature_expr(t.kind, t.name, table),
        kind=[c[1] for c in NATURE],
        name=[c[2] for c in NATURE],
    )
    assert got[NATURE.index((description, kind, name, expected))] == expected, description


INDUSTRY = [
    ("chemicals are raw materials", "26", None, None, "raw_materials", "C"),
    ("metal products are components", "3311", None, None, "components", "C"),
    ("garments are finished goods", "18", None, None, "finished_goods", "C"),
    ("role overrides the division", "26", None, "零部件", "components", "C"),
    ("keywords refine manufacturing", "38", "整机装配", None, "finished_goods", "C"),
    ("catering", "62", None, None, "catering", "H"),
    ("accommodation is another service", "61", None, None, "other_services", "H"),
    ("banking", "66", None, None, "finance", "J"),
    ("hospitals", "84", None, None, "healthcare", "Q"),
    ("wholesale", "51", None, None, "retail", "F"),
    ("a section letter", "I", None, None, "other_services", "I"),
    ("agriculture is other", "01", None, None, "other", "A"),
    ("text only: restaurant", None, "连锁餐厅", None, "catering", None),
    ("text only: bank", None, "Commercial Bank", None, "finance", None),
    ("text only, 繁體: restaurant", None, "連鎖餐廳", None, "catering", None),
    ("unknown text", None, "神秘行业", None, "other", None),
    ("nothing", None, None, None, None, None),
]


@pytest.mark.parametrize(
    ("description", "code", "text", "role", "group", "section"),
    INDUSTRY,
    ids=[c[0] for c in INDUSTRY],
)
def test_industry(
    batch: Callable[..., list[Any]],
    description: str,
    code: str | None,
    text: str | None,
    role: str | None,
    group: str | None,
    section: str | None,
) -> None:
    table = ref.load_reference("industry_gbt4754")
    groups = batch(
        "industry_group",
        lambda t: ref.industry_group_expr(t.code, t.text, t.role, table),
        code=[c[1] for c in INDUSTRY],
        text=[c[2] for c in INDUSTRY],
        role=[c[3] for c in INDUSTRY],
    )
    sections = batch(
        "industry_section",
        lambda t: ref.industry_section_expr(t.code),
        code=[c[1] for c in INDUSTRY],
    )
    i = INDUSTRY.index((description, code, text, role, group, section))
    assert groups[i] == group, description
    assert sections[i] == section, description


SOURCES = [
    ("baidu_cpc", "advertising"),
    ("信息流", "advertising"),
    ("utm_medium=cpc", "advertising"),
    ("渠道商", "partner_referral"),
    ("Partner", "partner_referral"),
    ("小红书", "social"),
    ("老客户推荐", "social"),
    ("KOL", "social"),
    ("自然搜索", "organic"),
    ("seo", "organic"),
    ("direct", "direct"),
    ("直接访问", "direct"),
    ("展会", "other"),
    # WeChat's places and a search engine named alone (its ads are 推广 / cpc)
    ("微信", "social"),
    ("公众号", "social"),
    ("微信公众号文章", "social"),
    ("视频号直播", "social"),
    ("朋友圈", "social"),
    ("微信广告", "advertising"),
    ("百度", "organic"),
    ("Baidu", "organic"),
    ("百度推广", "advertising"),
    ("facebook", "social"),
    ("facebook ads", "advertising"),
    # 繁體, as 台灣 and 香港 write them: the simplified words' traditional forms
    ("朋友推薦", "social"),
    ("廣告投放", "advertising"),
    ("經銷商", "partner_referral"),
    ("自然搜尋", "organic"),
    ("資訊流", "advertising"),
    (None, "unknown"),
    ("  ", "unknown"),
]


@pytest.mark.parametrize(("raw", "expected"), SOURCES)
def test_sources(batch: Callable[..., list[Any]], raw: str | None, expected: str) -> None:
    table = ref.load_reference("sources")
    got = batch(
        "sources", lambda t: ref.source_group_expr(t.src, table), src=[c[0] for c in SOURCES]
    )
    assert got[SOURCES.index((raw, expected))] == expected


CHANNELS = [
    ("email", "online"),
    ("微信", "online"),
    ("小程序", "online"),
    ("APP", "online"),
    ("电话", "offline"),
    ("sms", "offline"),
    ("门店", "offline"),
    ("fax", "offline"),
    # 繁體 (and 台灣's own words: 簡訊 for 短信, 門市 for a shop)
    ("線上", "online"),
    ("網站", "online"),
    ("門市", "offline"),
    ("實體店", "offline"),
    ("簡訊", "offline"),
    ("carrier pigeon", "other"),
    (None, "unknown"),
]


@pytest.mark.parametrize(("raw", "expected"), CHANNELS)
def test_channels(batch: Callable[..., list[Any]], raw: str | None, expected: str) -> None:
    table = ref.load_reference("channels")
    got = batch(
        "channels", lambda t: ref.channel_group_expr(t.c, table), c=[c[0] for c in CHANNELS]
    )
    assert got[CHANNELS.index((raw, expected))] == expected


def test_by_distinct_equals_row_by_row_including_missing_inputs(backend: BaseBackend) -> None:
    """Computed once per distinct input and joined back, every row (NULLs too) gets what
    evaluating the classifier on that row gives, and no row is lost or duplicated."""
    sources = ["cpc", None, "cpc", "", "抖音", None, "partner", "weird", "CPC ", "抖音"]
    channels = ["app", "app", None, None, "门店", "app", None, "web", "app", "门店"]
    t = ibis.memtable(
        {"id": list(range(len(sources))), "source": sources, "channel": channels},
        schema={"id": "int64", "source": "string", "channel": "string"},
    )
    src, chan = ref.load_reference("sources"), ref.load_reference("channels")

    def outputs(x: Any) -> dict[str, Any]:
        return {
            "s": ref.source_group_expr(x.source, src),
            "c": ref.channel_group_expr(x.channel, chan),
        }

    direct = backend.to_pyarrow(t.mutate(**outputs(t)).order_by("id")).to_pylist()
    via = backend.to_pyarrow(ref.by_distinct(t, [(["source", "channel"], outputs)]).order_by("id"))
    assert via.to_pylist() == direct
    assert [r["s"] for r in direct][:4] == ["advertising", "unknown", "advertising", "unknown"]
