"""How values are shown to a person, in 中文 and English.

Messages are :func:`kequn.core.i18n.t`; bilingual data (labels, dimensions) is
:func:`kequn.core.i18n.local`; the codes stored in the data (a customer's kind, an order's
status, a channel, an interaction type, a team, a goal, a strategy's actions) are looked
up in :data:`VALUES` with :func:`value`; field names come from :mod:`kequn.core.schema`
(:func:`field`). Dates, times, days, money, counts and shares are formatted here, so the
pages, the CLI and the exports say them the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import Any

from kequn.core.i18n import current_lang, language_of, pick
from kequn.core.schema import CUSTOMERS, EVENTS, ORDERS

#: the value catalogue: domain -> code -> (中文, English)
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "individual": ("个人", "individual"),
        "enterprise": ("企业", "company"),
        "government": ("政府机构", "government body"),
        "institution": ("事业单位", "institution"),
    },
    "status": {
        "paid": ("已付款", "paid"),
        "partially_refunded": ("部分退款", "partly refunded"),
        "refunding": ("退款中", "refund in progress"),
        "refunded": ("已退款", "refunded"),
        "cancelled": ("已取消", "cancelled"),
        "pending": ("待付款", "awaiting payment"),
    },
    "channel": {
        "app": ("App", "app"),
        "web": ("网站", "website"),
        "wechat": ("微信", "WeChat"),
        "miniprogram": ("小程序", "mini program"),
        "store": ("门店", "store"),
        "phone": ("电话", "phone"),
        "sales_rep": ("销售代表", "sales rep"),
        "email": ("邮件", "e-mail"),
        "sms": ("短信", "text message"),
        "offline": ("线下", "offline"),
        "online": ("线上", "online"),
        "other": ("其他", "other"),
        "unknown": ("未知", "unknown"),
        # the platforms an order export's orders came through (its profile's
        # ``platform``: kequn.ingest.formats), stored as the orders' channel
        "taobao": ("淘宝/天猫", "Taobao / Tmall"),
        "jd": ("京东", "JD.com"),
        "pdd": ("拼多多", "Pinduoduo"),
        "douyin": ("抖音电商", "Douyin"),
        "kuaishou": ("快手小店", "Kuaishou"),
        "xiaohongshu": ("小红书", "Xiaohongshu (RED)"),
        "youzan": ("有赞", "Youzan"),
        "weidian": ("微店", "Weidian"),
        "weixin_shop": ("微信小店", "WeChat Shop"),
        "shopify": ("Shopify", "Shopify"),
        "woocommerce": ("WooCommerce", "WooCommerce"),
        "amazon": ("亚马逊", "Amazon"),
    },
    "event": {
        "view": ("浏览", "view"),
        "inquiry": ("咨询", "inquiry"),
        "form": ("留资", "form sent"),
        "visit": ("拜访", "visit"),
        "email_open": ("打开邮件", "e-mail opened"),
        "click": ("点击", "click"),
        "call": ("通话", "call"),
        "ticket": ("服务工单", "support ticket"),
        "share": ("分享", "share"),
        "referral": ("推荐", "referral"),
        "review": ("评价", "review"),
        "complaint": ("投诉", "complaint"),
    },
    "gender": {"female": ("女", "female"), "male": ("男", "male"), "other": ("其他", "other")},
    "source": {
        "organic": ("自然流量", "organic"),
        "seo": ("搜索优化", "SEO"),
        "direct": ("直接访问", "direct"),
        "referral": ("推荐", "referral"),
        "partner": ("合作伙伴", "partner"),
        "baidu_cpc": ("百度竞价", "Baidu paid search"),
        "facebook_ads": ("Facebook 广告", "Facebook ads"),
        "utm_medium=cpc": ("付费搜索", "paid search"),
    },
    # the groups the reference tables (kequn/features/refdata) put a customer's own words
    # in, named as the default taxonomy's labels of them name them (a test compares);
    # ``other`` and ``unknown`` are not named beside a value: they say nothing of it
    "source_group": {
        "organic": ("自然流量", "Organic"),
        "advertising": ("广告", "Advertising"),
        "partner_referral": ("合作伙伴推荐", "Partner referral"),
        "social": ("口碑社交", "Social and word of mouth"),
        "direct": ("直接访问", "Direct"),
    },
    "channel_group": {"online": ("线上", "Online"), "offline": ("线下", "Offline")},
    # a company's size tier (kequn.features.reftables.TIERS), by either standard
    "company_size": {
        "micro": ("微型", "micro"),
        "small": ("小型", "small"),
        "medium": ("中型", "medium"),
        "large": ("大型", "large"),
    },
    "industry_group": {
        "raw_materials": ("原材料供应商", "Raw-material supplier"),
        "components": ("零部件制造商", "Component maker"),
        "finished_goods": ("成品制造商", "Finished-goods maker"),
        "catering": ("餐饮", "Catering"),
        "finance": ("金融", "Finance"),
        "healthcare": ("医疗", "Healthcare"),
        "other_services": ("其他服务业", "Other services"),
        "retail": ("零售批发", "Retail and wholesale"),
    },
    "team": {
        "marketing": ("市场营销", "marketing"),
        "sales": ("销售", "sales"),
        "service": ("客户服务", "service"),
    },
    "goal": {
        "satisfaction": ("提升满意度", "satisfaction"),
        "loyalty": ("提升忠诚度", "loyalty"),
        "market_share": ("扩大市场份额", "market share"),
        "sales": ("增加销售", "sales"),
    },
    # a channel's type in journeys.yaml (kequn.automation.channel_models)
    "channel_type": {
        "email": ("邮件", "e-mail"),
        "webhook": ("Webhook 回调", "webhook"),
        "file": ("文件", "file"),
        "wecom": ("企业微信", "WeCom"),
        "dingtalk": ("钉钉", "DingTalk"),
        "feishu": ("飞书", "Feishu"),
    },
    "role": {
        "admin": ("管理员", "administrator"),
        "analyst": ("分析师", "analyst"),
        "viewer": ("查看者", "viewer"),
    },
    "permission": {
        "read": ("查看", "read"),
        "personal": ("查看个人信息", "see personal data"),
        "run": ("运行分群", "run"),
        "import": ("导入数据", "import"),
        "taxonomy": ("修改分群规则", "edit the taxonomy"),
        "export": ("导出", "export"),
        "users": ("管理用户", "manage users"),
        "privacy": ("处理隐私请求", "privacy requests"),
        # what a route guarded by another permission does (deps.need's ``what``)
        "journeys": ("修改自动旅程", "change the journeys"),
        "identity": ("复核身份匹配", "review identity matches"),
    },
    "engine": {"duckdb": ("DuckDB", "DuckDB"), "spark": ("Spark", "Spark")},
    "action": {
        "account_manager": ("专属客户经理", "account manager"),
        "app_push": ("App 推送", "app push"),
        "automated_campaign": ("自动化营销", "automated campaign"),
        "bundle_offer": ("组合优惠", "bundle offer"),
        "case_studies": ("客户案例", "case studies"),
        "co_marketing": ("联合营销", "co-marketing"),
        "community_invite": ("社群邀请", "community invitation"),
        "compliance_docs": ("合规资料", "compliance documents"),
        "cross_sell": ("交叉销售", "cross-sell"),
        "early_access": ("新品抢先体验", "early access"),
        "email_newsletter": ("邮件简报", "e-mail newsletter"),
        "entry_range": ("入门款", "entry range"),
        "first_order_coupon": ("首单优惠券", "first-order coupon"),
        "flash_sale": ("限时特卖", "flash sale"),
        "framework_agreement": ("框架协议", "framework agreement"),
        "instalments": ("分期付款", "instalments"),
        "key_account_team": ("大客户团队", "key account team"),
        "local_event": ("本地活动", "local event"),
        "localised_content": ("本地化内容", "localised content"),
        "loyalty_points": ("会员积分", "loyalty points"),
        "nurture_content": ("培育内容", "nurture content"),
        "onboarding_call": ("入门回访电话", "onboarding call"),
        "partner_programme": ("合作伙伴计划", "partner programme"),
        "personalised_offer": ("个性化优惠", "personalised offer"),
        "phone_support": ("电话支持", "phone support"),
        "premium_range": ("高端系列", "premium range"),
        "price_alert": ("降价提醒", "price alert"),
        "product_docs": ("产品资料", "product documentation"),
        "reactivation_email": ("唤醒邮件", "reactivation e-mail"),
        "referral_programme": ("推荐有礼", "referral programme"),
        "regional_campaign": ("区域活动", "regional campaign"),
        "replenishment_reminder": ("补货提醒", "replenishment reminder"),
        "retargeting": ("再营销广告", "retargeting"),
        "sales_follow_up": ("销售跟进", "sales follow-up"),
        "satisfaction_survey": ("满意度调查", "satisfaction survey"),
        "seasonal_campaign": ("季节性活动", "seasonal campaign"),
        "second_order_coupon": ("复购优惠券", "second-order coupon"),
        "self_service": ("自助服务", "self-service"),
        "seo_content": ("搜索内容", "search content"),
        "shipping_offer": ("包邮优惠", "shipping offer"),
        "sms": ("短信", "text message"),
        "social_media": ("社交媒体", "social media"),
        "store_invite": ("到店邀请", "store invitation"),
        "subscription_offer": ("订阅优惠", "subscription offer"),
        "tech_support": ("技术支持", "technical support"),
        "tender_watch": ("招标跟踪", "tender watch"),
        "ugc_campaign": ("用户内容活动", "user content campaign"),
        "upsell": ("升级销售", "upsell"),
        "vip_service": ("VIP 服务", "VIP service"),
        "volume_pricing": ("阶梯价格", "volume pricing"),
        "webinar": ("线上研讨会", "webinar"),
        "welcome_series": ("欢迎系列", "welcome series"),
        "win_back_offer": ("挽回优惠", "win-back offer"),
    },
}
#: the customer fields whose values are codes, and the catalogue domain of each
FIELD_DOMAINS = {
    "kind": "kind",
    "gender": "gender",
    "status": "status",
    "channel": "channel",
    "preferred_channel": "channel",
    "type": "event",
    "source": "source",
    "team": "team",
    "goal": "goal",
    "engine": "engine",
}
#: the customer fields a run groups (:mod:`kequn.features.attributes`): the feature that
#: holds a customer's group, and the catalogue domain naming it
FIELD_GROUPS = {
    "source": ("source_group", "source_group"),
    "preferred_channel": ("preferred_channel_group", "channel_group"),
    "industry": ("industry_group", "industry_group"),
}
#: the columns a run derives (:mod:`kequn.features.attributes`) whose values are
#: catalogue codes, and the domain naming them (an export in names names them)
FEATURE_DOMAINS = {
    "nature": "kind",
    "company_size_cn": "company_size",
    "company_size_eu": "company_size",
    **dict(FIELD_GROUPS.values()),
}
#: what such a column holds for a customer it puts in no group (``other``) or has no
#: value of (``unknown``), named as a channel's are: a group's domain leaves them out
UNGROUPED = ("other", "unknown")
_UNITS: dict[str, tuple[str, str]] = {
    "days": ("{n} 天", "{n} days"),
    "day": ("{n} 天", "{n} day"),
    "none": ("–", "–"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}
SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


def _lang(lang: str | None) -> str:
    return lang or current_lang()


def value(domain: str, code: Any, lang: str | None = None) -> str:
    """A stored code as a person reads it (``reactivation_email`` → 唤醒邮件); a value
    the catalogue does not know (customer-provided text) is shown as it is."""
    if code is None or code == "":
        return ""
    found = VALUES.get(domain, {}).get(str(code))
    if found is None:
        return str(code)
    return pick({"zh": found[0], "en": found[1]}, _lang(lang))


def yes_no(flag: Any, lang: str | None = None) -> str:
    """A true/false value as a person reads it: 是 / 否, yes / no."""
    return _UNITS["yes" if flag else "no"][0 if _lang(lang) == "zh" else 1]


def group_name(domain: str, group: Any, shown: str, lang: str | None = None) -> str:
    """The name of the group a customer's own value is in (``source_group``'s
    ``partner_referral`` for 合作伙伴推荐: Partner referral), to show beside the value as it
    was written (``shown``), which stays the customer's data; "" when it would tell the
    reader nothing: no group the catalogue names (``other``, ``unknown``), or the very
    words shown (合作伙伴推荐 on a Chinese page)."""
    if group is None or not known(domain, group):
        return ""
    name = value(domain, group, lang)
    return "" if name.casefold() == str(shown).strip().casefold() else name


def field_group(
    name: str, raw: Any, features: dict[str, Any] | None, lang: str | None = None
) -> str:
    """:func:`group_name` of a customer field's value (:data:`FIELD_GROUPS`), from the
    run's ``features`` of the customer; "" for a field no run groups, and for a code the
    catalogue names already (``partner``: 合作伙伴 / partner)."""
    if name not in FIELD_GROUPS or raw is None or raw == "":
        return ""
    if name in FIELD_DOMAINS and known(FIELD_DOMAINS[name], raw):
        return ""
    column, domain = FIELD_GROUPS[name]
    return group_name(domain, (features or {}).get(column), str(raw), lang)


def values(domain: str, codes: Iterable[Any], lang: str | None = None) -> str:
    """Several codes, joined as the language joins a list (、 or , )."""
    sep = "、" if _lang(lang) == "zh" else ", "
    return sep.join(value(domain, c, lang) for c in codes)


def known(domain: str, code: Any) -> bool:
    return str(code) in VALUES.get(domain, {})


_TABLES = {"customers": CUSTOMERS, "orders": ORDERS, "events": EVENTS}


def field(name: str, lang: str | None = None, table: str = "customers") -> str:
    """A schema column's name in the language (``created_at`` → 注册时间)."""
    for spec in (_TABLES.get(table), CUSTOMERS, ORDERS, EVENTS):
        if spec is None:
            continue
        for col in spec.columns:
            if col.name == name:
                return pick({"zh": col.zh, "en": col.en}, _lang(lang))
    return name


def heading(name: str, lang: str | None = None, table: str = "customers") -> str:
    """A schema column's name as a table's heading: :func:`field`, begun with a capital
    in English (``city`` → City; 城市 as it is). The names are written in lower case to
    be said within sentences ("the column city")."""
    text = field(name, lang, table)
    return text[:1].upper() + text[1:]


def field_value(  # noqa: PLR0911 - one return per kind of field
    name: str, raw: Any, lang: str | None = None, currency: str = "CNY"
) -> str:
    """A customer field's value for display: codes through the catalogue, times without
    microseconds, counts and money with the language's units."""
    if raw is None or raw == "":
        return ""
    lang = _lang(lang)
    if name in FIELD_DOMAINS:
        return value(FIELD_DOMAINS[name], raw, lang)
    if name in ("created_at", "ordered_at", "occurred_at"):
        return when(raw, lang)
    if name in ("birth_date",):
        return day(raw)
    if name in ("income", "annual_revenue", "total_assets", "amount", "discount", "refunded"):
        return money(raw, lang, currency)
    if name in ("employees", "age", "quantity"):
        return number(raw, lang)
    if name in ("marketing_consent", "sms_consent"):
        return yes_no(raw in (True, "true", "1", 1), lang)
    return str(raw)


def _parse(raw: Any) -> dt.datetime | dt.date | None:
    if isinstance(raw, dt.datetime | dt.date):
        return raw
    try:
        return dt.datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def when(raw: Any, lang: str | None = None) -> str:
    """A time as ``2025-11-13 10:36`` (stored times are already in the workspace's time
    zone; an aware one is shown as it is); a plain date as ``2025-11-13``."""
    if raw is None or raw == "":
        return ""
    parsed = _parse(raw)
    if parsed is None:
        return str(raw)
    if isinstance(parsed, dt.datetime):
        if parsed.hour == parsed.minute == parsed.second == 0 and not parsed.microsecond:
            return parsed.strftime("%Y-%m-%d")
        return parsed.strftime("%Y-%m-%d %H:%M")
    return parsed.isoformat()


def day(raw: Any) -> str:
    """The calendar day of a date or time: ``2025-11-13``."""
    if raw is None or raw == "":
        return ""
    parsed = _parse(raw)
    return parsed.strftime("%Y-%m-%d") if parsed is not None else str(raw)[:10]


def _missing(raw: Any) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw))


def money(raw: Any, lang: str | None = None, currency: str = "CNY") -> str:
    """An amount as a person reads it, the one way everywhere (pages, reasons, messages):
    ¥12,345 in English, ¥1.2万 / ¥3.4亿 in Chinese from 10,000; below 1,000 the cents a
    price has (¥9.9, ¥199.9, ¥12.34: a ¥9.9 order shown as ¥10 beside its reason's ¥9.9
    read as two amounts), whole yuan above; the sign before the currency (-¥575, not
    ¥-575), none on an amount shown as 0."""
    if _missing(raw):
        return "–"
    amount = float(raw)
    symbol = SYMBOLS.get(currency.upper(), currency.upper() + " ")
    size = abs(amount)
    if _lang(lang) == "zh" and size >= 1e8:
        shown = f"{trimmed(size / 1e8, 2)}亿"
    elif _lang(lang) == "zh" and size >= 1e4:
        shown = f"{trimmed(size / 1e4, 1)}万"
    elif size < 1000:
        shown = trimmed(size, 2)
    else:
        shown = f"{math.floor(size + 0.5):,}"  # half up, as a till rounds (¥1,234.5: ¥1,235)
    sign = "-" if amount < 0 and shown.strip("0.,万亿") else ""
    return f"{sign}{symbol}{shown}"


def trimmed(number: float, decimals: int) -> str:
    """``number`` to at most ``decimals`` places, without trailing zeros (12.50 -> 12.5)."""
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def seconds(raw: Any) -> str:
    """A number of seconds (the delivery loop's): whole ones whole, the thousands grouped
    (``1,000,000``, which ``%g`` wrote ``1e+06``, and 12,345,678 ``1.23457e+07``), a
    fraction to at most three places (``0.5``)."""
    return trimmed(float(raw), 3)


def number(raw: Any, lang: str | None = None) -> str:
    """A count or measure; 万 for large ones in Chinese; at most one decimal."""
    if _missing(raw):
        return "–"
    amount = float(raw)
    if _lang(lang) == "zh" and abs(amount) >= 1e4:
        return f"{amount / 1e4:.1f}万"
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.1f}"


def days(raw: Any, lang: str | None = None) -> str:
    """A number of days, whole: ``21 天`` / ``21 days``."""
    if _missing(raw):
        return "–"
    n = round(float(raw))
    zh, en = _UNITS["day" if n == 1 else "days"]
    return (zh if _lang(lang) == "zh" else en).format(n=f"{n:,}")


def pct(raw: Any, lang: str | None = None) -> str:
    """A share as a percentage with one decimal: ``12.5%``."""
    if _missing(raw):
        return "–"
    return f"{float(raw):.1%}"


# -- export headers ----------------------------------------------------------------------

HEADER_MODES = ("ids", "zh", "en")


def header_mode(given: str) -> str | None:
    """The export's headers asked for as ``given``: ``ids``, or a language written as the
    language options take it (``zh``, ``ZH``, ``zh-CN``, ``en_US``:
    :func:`kequn.core.i18n.language_of`); None for anything else."""
    return "ids" if given == "ids" else language_of(given)


def header(column: str, mode: str, names: dict[str, str] | None = None) -> str:
    """An export column's header: the column id (``ids``, machine-readable), or its name
    in ``zh`` / ``en`` from the schema, the feature catalogue or ``names`` (dimensions)."""
    if mode == "ids":
        return column
    if names and column in names:
        return names[column]
    for spec in (CUSTOMERS, ORDERS, EVENTS):
        for col in spec.columns:
            if col.name == column:
                return col.zh if mode == "zh" else col.en
    return column


def named_headers(columns: list[str], rename: Callable[[str], str]) -> list[str]:
    """``rename`` of each column id; a name two columns share says which id it is."""
    seen: set[str] = set()
    out = []
    for column in columns:
        name = rename(column)
        name = name if name not in seen else f"{name} ({column})"
        seen.add(name)
        out.append(name)
    return out
