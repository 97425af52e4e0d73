"""The canonical schema: what kequn stores for customers, orders and events.

Every source file is mapped onto these columns. Money is ``decimal(18, 2)`` (never
float), times are naive timestamps in the workspace's time zone, and dates are the
calendar day in that zone. Anything a file carries beyond these columns is kept in the
customer's ``attributes`` map so rules can still use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["string", "timestamp", "date", "money", "int", "bool", "gender", "map"]

MONEY_TYPE = "decimal(18, 2)"

#: ibis type for each logical kind; the same on every engine.
IBIS_TYPES: dict[str, str] = {
    "string": "string",
    "timestamp": "timestamp",
    "date": "date",
    "money": MONEY_TYPE,
    "int": "int64",
    "bool": "boolean",
    "gender": "string",
    "map": "map<string, string>",
}

#: DuckDB DDL type for each logical kind (used only by the store to create tables).
DUCKDB_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "money": "DECIMAL(18,2)",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    "gender": "VARCHAR",
    "map": "MAP(VARCHAR, VARCHAR)",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    zh: str
    en: str
    required: bool = False
    personal: bool = False  # personal data: masked for viewers, never logged
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: str
    columns: tuple[Column, ...]
    zh: str
    en: str
    extra_ok: bool = False  # unmapped source columns go to ``attributes``
    system: tuple[str, ...] = field(default=("source_file", "source_row", "import_id"))

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


CUSTOMER_KINDS = ("individual", "enterprise", "government", "institution")
ORDER_STATUSES = (
    "paid",
    "partially_refunded",
    "refunding",
    "refunded",
    "cancelled",
    "pending",
)
#: statuses whose orders count as purchases: the money was paid and (some of it) kept;
#: a refund being processed counts until it is done
KEPT_STATUSES = ("paid", "partially_refunded", "refunding")
GENDERS = ("female", "male", "other")

CUSTOMERS = TableSpec(
    name="customers",
    key="customer_id",
    zh="客户",
    en="customers",
    extra_ok=True,
    columns=(
        Column("customer_id", "string", "客户编号", "customer id", required=True),
        Column("name", "string", "名称", "name", personal=True),
        Column("kind", "string", "客户性质", "kind", allowed=CUSTOMER_KINDS),
        Column("created_at", "timestamp", "注册时间", "created at"),
        Column("country", "string", "国家", "country"),
        Column("province", "string", "省份", "province"),
        Column("city", "string", "城市", "city"),
        Column("address", "string", "地址", "address", personal=True),
        Column("birth_date", "date", "出生日期", "birth date", personal=True),
        # month and day (MM-DD): a birth date's, none for one given as a year alone or a
        # year and month, and a month and day given alone (kequn.ingest.birthday)
        Column("birthday", "string", "生日", "birthday", personal=True),
        Column("age", "int", "年龄", "age"),
        Column("gender", "gender", "性别", "gender", allowed=GENDERS),
        Column("income", "money", "收入", "income"),
        Column("industry", "string", "行业", "industry"),
        Column("industry_code", "string", "行业代码", "industry code"),
        Column("supply_chain_role", "string", "供应链角色", "supply chain role"),
        Column("employees", "int", "员工人数", "employees"),
        Column("annual_revenue", "money", "年营业收入", "annual revenue"),
        Column("total_assets", "money", "资产总额", "total assets"),
        Column("source", "string", "来源", "acquisition source"),
        Column("preferred_channel", "string", "偏好渠道", "preferred channel"),
        Column("marketing_consent", "bool", "营销许可", "marketing consent"),
        Column("sms_consent", "bool", "短信营销许可", "SMS marketing consent"),
        Column("email", "string", "邮箱", "email", personal=True),
        Column("phone", "string", "电话", "phone", personal=True),
        Column("attributes", "map", "其他属性", "other attributes"),
        Column("origin", "string", "数据源", "data source"),
    ),
)

ORDERS = TableSpec(
    name="orders",
    key="order_id",
    zh="订单",
    en="orders",
    columns=(
        Column("order_id", "string", "订单编号", "order id", required=True),
        Column("customer_id", "string", "客户编号", "customer id", required=True),
        Column("ordered_at", "timestamp", "下单时间", "order time", required=True),
        Column("amount", "money", "金额", "amount", required=True),
        Column("quantity", "int", "数量", "quantity"),
        Column("discount", "money", "优惠金额", "discount"),
        Column("channel", "string", "渠道", "channel"),
        Column("status", "string", "状态", "status", allowed=ORDER_STATUSES),
        Column("refunded", "money", "退款金额", "refunded amount"),
        Column("origin", "string", "数据源", "data source"),
    ),
)

#: the lines of an order, from exports with one row per item (Shopify, 京东, 抖店 ...)
ORDER_LINES = TableSpec(
    name="order_lines",
    key="order_id",
    zh="订单明细",
    en="order lines",
    columns=(
        Column("order_id", "string", "订单编号", "order id", required=True),
        Column("line", "int", "行号", "line", required=True),
        Column("sku", "string", "商品编码", "SKU"),
        Column("title", "string", "商品名称", "item"),
        Column("quantity", "int", "数量", "quantity"),
        Column("price", "money", "单价", "unit price"),
        Column("amount", "money", "金额", "line amount"),
    ),
)

EVENTS = TableSpec(
    name="events",
    key="event_id",
    zh="互动",
    en="events",
    columns=(
        Column("event_id", "string", "互动编号", "event id"),
        Column("customer_id", "string", "客户编号", "customer id", required=True),
        Column("occurred_at", "timestamp", "发生时间", "time", required=True),
        Column("type", "string", "类型", "type", required=True),
        Column("channel", "string", "渠道", "channel"),
        Column("origin", "string", "数据源", "data source"),
    ),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (CUSTOMERS, ORDERS, EVENTS)}

#: Interaction types the taxonomy knows; other values are kept as they are.
EVENT_TYPES = (
    "view",
    "inquiry",
    "form",
    "visit",
    "email_open",
    "click",
    "call",
    "ticket",
    "share",
    "referral",
    "review",
    "complaint",
)


#: the customers' attribute columns the feature state keeps that are no features (a
#: run's rows never hold them: :func:`kequn.features.attributes.join_attributes`)
ATTRIBUTES_NOT_FEATURES = ("created_at", "birth_date")

#: the headers of a resident ID number column (身份证号: GB 11643-1999), kept among a
#: customer's attributes: sensitive personal data (PIPL art. 28) that no setting makes
#: public to viewers (kequn.store.settings), and read for a birth date and gender where
#: a file has none (kequn.ingest.resident_id); 证件号码 may hold a passport's number too
RESIDENT_ID_HEADERS = (
    "身份证号", "身份证号码", "身份证", "公民身份号码", "居民身份证号码", "身份证件号码",
    "证件号码", "证件号", "id card", "id card no", "id card number",
)  # fmt: skip
