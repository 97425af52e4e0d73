"""Every name a taxonomy rule may use: per-customer features and business-wide parameters.

Each entry has a kind (for the rule checker), display names in 中文 and English (for
reasons), an optional unit, and a format kind (:data:`FORMATS`: how a reason shows its
value, e.g. ``days`` → 56 天 / 56 days). The builder in :mod:`kequn.features.build` produces
exactly these columns; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from kequn.core.i18n import local, pick


@dataclass(frozen=True)
class Feature:
    name: str
    kind: str  # number | string | date | bool | map
    zh: str
    en: str
    unit_zh: str = ""
    unit_en: str = ""
    fmt: str = ""  # one of FORMATS; "" means derived from the kind

    @property
    def format_kind(self) -> str:
        """How a value of this feature is shown: explicit, else from its kind."""
        if self.fmt:
            return self.fmt
        return {"string": "text", "date": "date", "bool": "bool", "map": "text"}.get(
            self.kind, "number"
        )

    def label(self, lang: str) -> str:
        return local(self, lang)

    def unit(self, lang: str) -> str:
        return pick({"zh": self.unit_zh, "en": self.unit_en}, lang)


#: how a reason shows a value: days (56 天 / 56 days), money (¥5,200; ¥1.2万 in 中文),
#: pct (a 0..1 share as 12%), int (2,064), number (at most one decimal), text, date,
#: bool, and label (an earlier dimension's label, by its name)
FORMATS = ("days", "ago", "money", "pct", "int", "number", "text", "date", "bool", "label")

_MONEY = frozenset(
    {
        "spend",
        "avg_order_value",
        "max_order_value",
        "spend_365d",
        "clv_365d",
        "income",
        "annual_revenue",
        "total_assets",
    }
)
_COUNTS = frozenset(
    {
        "orders",
        "purchase_days",
        "orders_90d",
        "orders_365d",
        "refunds",
        "events",
        "events_90d",
        "views",
        "inquiries",
        "shares",
        "referrals",
        "reviews",
        "tickets",
        "complaints",
        "email_opens",
        "clicks",
        "r_score",
        "f_score",
        "m_score",
        "cluster",
        "employees",
        "age",
        "max_quantity",
    }
)
_SHARES = frozenset({"p_alive", "churn_risk", "cv_days_between_orders"})


def _f(name: str, kind: str, zh: str, en: str, unit: tuple[str, str] = ("", "")) -> Feature:
    fmt = ""
    if kind == "number":
        if unit == DAYS:
            fmt = "days"
        elif name in _MONEY:
            fmt = "money"
        elif name in _COUNTS:
            fmt = "int"
        elif name in _SHARES or name.endswith(("_share", "_pct")):
            fmt = "pct"
    return Feature(name, kind, zh, en, unit[0], unit[1], fmt)


DAYS = ("天", "d")
YUAN = ("", "")  # money is shown with the workspace currency by the caller

FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        # purchase behaviour, as of the run date (paid orders only)
        _f("orders", "number", "订单数", "orders"),
        _f("purchase_days", "number", "购买天数", "purchase days"),
        _f("spend", "number", "累计消费", "total spend", YUAN),
        _f("avg_order_value", "number", "平均订单金额", "average order value", YUAN),
        _f("max_order_value", "number", "最大订单金额", "largest order", YUAN),
        _f("avg_quantity", "number", "平均每单件数", "average items per order"),
        _f("max_quantity", "number", "最大每单件数", "most items in an order"),
        _f("days_since_last_order", "number", "距上次下单天数", "days since last order", DAYS),
        _f("days_since_first_order", "number", "距首次下单天数", "days since first order", DAYS),
        _f("tenure_days", "number", "客户时长", "tenure", DAYS),
        _f("orders_90d", "number", "近90天订单数", "orders in the last 90 days"),
        _f("orders_365d", "number", "近365天订单数", "orders in the last 365 days"),
        _f("spend_365d", "number", "近365天消费", "spend in the last 365 days", YUAN),
        _f("orders_per_year", "number", "年均订单数", "orders per year"),
        _f("mean_days_between_orders", "number", "平均购买间隔", "mean days between orders", DAYS),
        _f(
            "cv_days_between_orders",
            "number",
            "购买间隔变异系数",
            "variation of days between orders",
        ),
        _f("discount_share", "number", "折扣订单占比", "share of orders with a discount"),
        _f("full_price_share", "number", "原价订单占比", "share of orders at full price"),
        _f("online_share", "number", "线上订单占比", "share of orders online"),
        _f("offline_share", "number", "线下订单占比", "share of orders offline"),
        _f("refunds", "number", "退款订单数", "refunded orders"),
        _f("first_order_date", "date", "首次下单日期", "first order date"),
        _f("last_order_date", "date", "最近下单日期", "last order date"),
        # interactions
        _f("events", "number", "互动次数", "interactions"),
        _f("events_90d", "number", "近90天互动次数", "interactions in the last 90 days"),
        _f(
            "days_since_last_event", "number", "距上次互动天数", "days since last interaction", DAYS
        ),
        _f("views", "number", "浏览次数", "views"),
        _f("inquiries", "number", "咨询次数", "inquiries"),
        _f("shares", "number", "分享次数", "shares"),
        _f("referrals", "number", "推荐次数", "referrals"),
        _f("reviews", "number", "评价次数", "reviews"),
        _f("tickets", "number", "工单次数", "support tickets"),
        _f("complaints", "number", "投诉次数", "complaints"),
        _f("email_opens", "number", "邮件打开次数", "email opens"),
        _f("clicks", "number", "点击次数", "clicks"),
        _f("interaction_online_share", "number", "线上互动占比", "share of interactions online"),
        _f("interaction_offline_share", "number", "线下互动占比", "share of interactions offline"),
        # orders and interactions together: the channel mix a customer shows
        _f(
            "contact_online_share",
            "number",
            "线上占比（订单与互动）",
            "share of orders and interactions online",
        ),
        _f(
            "contact_offline_share",
            "number",
            "线下占比（订单与互动）",
            "share of orders and interactions offline",
        ),
        # ranks among buyers (0..1) and RFM quintile scores (1..5)
        _f("spend_pct", "number", "消费百分位", "spend percentile"),
        _f("orders_pct", "number", "订单数百分位", "orders percentile"),
        _f("aov_pct", "number", "客单价百分位", "order value percentile"),
        _f("max_order_pct", "number", "最大订单百分位", "largest-order percentile"),
        _f("quantity_pct", "number", "每单件数百分位", "items-per-order percentile"),
        _f("r_score", "number", "R 分", "R score"),
        _f("f_score", "number", "F 分", "F score"),
        _f("m_score", "number", "M 分", "M score"),
        # predictions (BG/NBD + Gamma-Gamma, fitted at each run)
        _f("p_alive", "number", "存活概率", "probability still active"),
        _f("expected_orders_365d", "number", "未来一年预期订单数", "expected orders next 365 days"),
        _f("clv_365d", "number", "未来一年客户价值", "expected value next 365 days", YUAN),
        _f("clv_pct", "number", "客户价值百分位", "lifetime-value percentile"),
        _f("churn_risk", "number", "流失风险", "churn risk"),
        _f("cluster", "number", "数据发现分群", "discovered cluster"),
        # attributes (as imported, or derived from them)
        _f("kind", "string", "客户性质（原始）", "declared kind"),
        _f("nature", "string", "客户性质", "nature"),
        _f("name", "string", "名称", "name"),
        _f("city", "string", "城市", "city"),
        _f("city_norm", "string", "城市（归一）", "city (normalised)"),
        _f("province", "string", "省份", "province"),
        _f("province_norm", "string", "省份（归一）", "province (normalised)"),
        _f("country_norm", "string", "国家", "country"),
        _f("age", "number", "年龄", "age"),
        _f("gender", "string", "性别", "gender"),
        _f("income", "number", "收入", "income", YUAN),
        _f("industry", "string", "行业", "industry"),
        _f("industry_group", "string", "行业类别", "industry group"),
        _f("industry_section", "string", "国标门类", "GB/T 4754 section"),
        _f("employees", "number", "员工人数", "employees"),
        _f("annual_revenue", "number", "年营业收入", "annual revenue", YUAN),
        _f("total_assets", "number", "资产总额", "total assets", YUAN),
        _f("company_size_cn", "string", "企业规模（国标）", "company size (China 2017)"),
        _f("company_size_eu", "string", "企业规模（欧盟）", "company size (EU)"),
        _f("source", "string", "来源（原始）", "source as recorded"),
        _f("source_group", "string", "来源", "acquisition source"),
        _f("preferred_channel_group", "string", "偏好渠道", "preferred channel"),
        _f("marketing_consent", "bool", "营销许可", "marketing consent"),
        _f("sms_consent", "bool", "短信营销许可", "SMS marketing consent"),
        _f("attributes", "map", "其他属性", "other attributes"),
    )
}

#: Features the predictive models add after :func:`kequn.features.build.build_features`.
PREDICTIONS = frozenset(
    {"p_alive", "expected_orders_365d", "clv_365d", "clv_pct", "churn_risk", "cluster"}
)

#: Business-wide parameters: derived from the data or settings, or pinned in the taxonomy.
PARAMETERS: dict[str, Feature] = {
    f.name: f
    for f in (
        _f("purchase_cycle_days", "number", "购买周期", "purchase cycle", DAYS),
        _f("home_city", "string", "本地城市", "home city"),
        _f("home_province", "string", "本地省份", "home province"),
        _f("home_country", "string", "本国", "home country"),
    )
}


def catalogue(extra: dict[str, Feature] | None = None) -> dict[str, str]:
    """Name -> kind for the rule checker: features, parameters and derived thresholds."""
    out = {name: f.kind for name, f in FEATURES.items()}
    out.update({name: f.kind for name, f in PARAMETERS.items()})
    for name, f in (extra or {}).items():
        out[name] = f.kind
    return out


def display_names(lang: str, extra: dict[str, Feature] | None = None) -> dict[str, str]:
    everything = {**FEATURES, **PARAMETERS, **(extra or {})}
    return {name: f.label(lang) for name, f in everything.items()}
