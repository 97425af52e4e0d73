"""Platform export profiles: what each platform's order export looks like, as data.

One YAML file per platform in this folder (``taobao.yaml``, ``jd.yaml`` ...), each citing
the public sources it was built from. A profile knows the platform's headers, its status
words mapped to kequn's statuses, which amount is the money paid, where refunds are,
whether one order spans several rows (one per item), which columns identify the buyer
and which of them the platform masks. :func:`detect` picks the profile whose header
signature a file carries; ``--format NAME`` overrides it.

A profile of ``kind: refunds`` describes a platform's after-sale export instead (天猫's
退款管理: one row per refund of an order), read by :mod:`kequn.ingest.aftersale`: its rows
are refunds of the orders the platform's order export (``orders_of``) stored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from kequn.core import yamlfile
from kequn.core.i18n import local
from kequn.ingest.mapping import UNIT_FACTORS, normalise_header, strip_unit

#: the columns a profile may name, besides the canonical order columns
EXTRA_COLUMNS = (
    "buyer_id",
    "buyer_nickname",
    "paid_at",
    "list_amount",
    "refund_amount",
    "refund_status",
    "currency",
    "sku",
    "title",
    "line_quantity",
    "line_price",
    "line_amount",
    "packed_items",  # all of an order's items in one cell (WooCommerce's line_items)
    "refund_id",
    # charges an item row's amount leaves out and its buyer pays (Amazon's shipping-price
    # and gift-wrap-price), and a promotion on the shipping (ship-promotion-discount):
    # with ``amount_scope: line`` the order's amount is the rows' amounts with them
    "shipping_fee",
    "wrap_fee",
    "shipping_discount",
)
#: the columns that make a row's amount the money paid (:attr:`Profile.amount_before_discount`)
AMOUNT_PARTS = ("shipping_fee", "wrap_fee", "shipping_discount")
KINDS = ("orders", "refunds")
STATUSES = ("paid", "partially_refunded", "refunding", "refunded", "cancelled", "pending")
REFUND_STATES = ("refunding", "refunded", "partially_refunded", "none")
BUYER_KEYS = ("buyer_id", "customer_phone", "customer_email", "buyer_nickname")


def header_key(header: str) -> str:
    """A header as a profile compares it: normalised, and without a unit that does not
    change the value (``用户实付金额(元)`` == ``用户实付金额``, ``商品数量(件)`` ==
    ``商品数量``): an export version that drops or adds the unit is the same column. A
    scaling unit (万元, 千元) or a percentage stays part of the header."""
    name, unit = strip_unit(header)
    if unit is None or unit in UNIT_FACTORS or unit == "%":
        return normalise_header(header)
    return normalise_header(name)


class ProfileError(ValueError):
    """A profile file that does not describe a format (a packaging or editing mistake)."""


@dataclass(frozen=True)
class CustomersExport:
    """A platform's customers export (a profile's ``customers_export``: Shopify's
    customers_export.csv), told by its headers like an order export. It is read as
    customers, by kequn's own header synonyms, whose ids are those the platform's order
    export gives the same buyers (:attr:`Profile.buyer_key`) under the profile's source;
    the platform's own customer id (``own_id``), which the order export does not carry,
    is kept among the customer's attributes."""

    zh: str
    en: str
    detect_all: tuple[str, ...]
    detect_any: tuple[str, ...]
    min_any: int
    own_id: tuple[str, ...] = ()
    #: the headers of the customer's given and family name, written together in that order
    name: tuple[str, ...] = ()
    #: the headers of the customer's phone, best first: a row's first filled one is hers
    phone: tuple[str, ...] = ()

    def fits(self, normalised: set[str]) -> bool:
        """Whether a file's headers (each :func:`header_key`) carry the signature."""
        if not all(header_key(h) in normalised for h in self.detect_all):
            return False
        return sum(header_key(h) in normalised for h in self.detect_any) >= self.min_any


@dataclass(frozen=True)
class Profile:
    id: str
    zh: str
    en: str
    platform: str | None
    channel: str | None
    currency: str | None
    columns: dict[str, tuple[str, ...]]
    statuses: dict[str, str]
    refund_statuses: dict[str, str] = field(default_factory=dict)
    detect_all: tuple[str, ...] = ()
    detect_any: tuple[str, ...] = ()
    min_any: int = 1
    line_items: bool = False
    amount_scope: str = "order"
    refund_scope: str = "order"
    #: ``line``: each item row holds its own discount (Amazon's item-promotion-discount),
    #: the order's is their sum; ``order``: the order's, from its first row that has one
    discount_scope: str = "order"
    #: whether the amount column is the price before the ``discount`` column's promotion
    #: (Amazon's item-price): the money paid is the amount less the discount
    amount_before_discount: bool = False
    closed_after_refund: str = "refunded"
    #: status words that mean a refund, not a cancellation, on an order the file shows as
    #: paid (a payment time) while it has no refund amount for it: 淘宝's older export
    #: prints 交易关闭 for both and has no 退款金额 column (see taobao.yaml)
    closed_when_paid: tuple[str, ...] = ()
    #: status words whose meaning holds whatever the refund columns say (an exchange)
    status_wins: tuple[str, ...] = ()
    #: every order's status where the file has no status column at all (a report of
    #: orders to ship lists paid orders only), else None: such an order is refused
    status_missing: str | None = None
    buyer_key: tuple[str, ...] = ("buyer_id", "customer_phone", "customer_email")
    nickname_only: bool = False
    masked: tuple[str, ...] = ()
    #: whether masked receiver fields, all together, may stand for a buyer with no key:
    #: yes where the platform encrypts them (the same person, the same ciphertext), no
    #: where it blanks them out (陈**, 138****6688: different people look the same)
    masked_key: bool = True
    #: whether an order with nothing that identifies its buyer is its own guest buyer
    #: (``g-<order id>``) rather than quarantined: a platform's export where the buyer
    #: was not exported (拼多多 exports no buyer id and a blank phone) still holds sales
    guest_orders: bool = True
    sources: tuple[dict[str, Any], ...] = ()
    #: the name an import of this export is the source of when none is given (``taobao``)
    source: str = ""
    #: headers naming the shop an export is from (店铺名称): its name extends the source's
    shop: tuple[str, ...] = ()
    #: every header of the platform's item file, which comes with the order file and
    #: holds no buyer (Taobao's ExportOrderDetailList), and the order file's name
    item_file: tuple[str, ...] = ()
    order_file: str = ""
    #: whether the profile reads its item file alone when named (``--format``): each
    #: order then its own guest buyer; detected, the file is refused, as it would replace
    #: the buyers and money the order file stored for the same orders
    item_file_alone: bool = False
    #: ``orders`` (an order export) or ``refunds`` (an after-sale export: see the module)
    kind: str = "orders"
    #: headers whose presence rules the profile out (an after-sale export has no 订单状态)
    detect_none: tuple[str, ...] = ()
    #: for an after-sale export, the id of the order export whose orders it refunds
    orders_of: str = ""
    #: the platform's customers export, read as customers keyed as this export keys
    #: its buyers (:class:`CustomersExport`), if the platform has one
    customers_export: CustomersExport | None = None

    def name(self, lang: str) -> str:
        return local(self, lang)

    def score(self, normalised: set[str]) -> int | None:
        """How well a file's headers (each :func:`header_key`) fit: None when they do not."""
        want = [header_key(h) for h in self.detect_all]
        if not all(h in normalised for h in want):
            return None
        if any(header_key(h) in normalised for h in self.detect_none):
            return None
        hits = sum(header_key(h) in normalised for h in self.detect_any)
        if hits < self.min_any:
            return None
        return 10 * len(want) + hits

    def match(self, headers: list[str]) -> dict[str, list[int]]:
        """Each column the profile names -> the file columns carrying it, best first (a
        value is taken from the first of them that is not empty: Shopify's ``Phone``,
        else ``Billing Phone``)."""
        normalised = [header_key(h) for h in headers]
        out: dict[str, list[int]] = {}
        taken: set[int] = set()
        for column, names in self.columns.items():
            found = []
            for name in names:
                want = header_key(name)
                if want in normalised and normalised.index(want) not in taken:
                    found.append(normalised.index(want))
            if found:
                out[column] = found
                # a header may serve two roles (the amount of a one-line order is also
                # its line amount): the line columns may reuse one
                if not column.startswith("line_"):
                    taken.update(found)
        return out


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _load(name: str, data: dict[str, Any]) -> Profile:
    if not isinstance(data, dict) or "id" not in data:
        raise ProfileError(f"{name}: a profile is a mapping with an id")
    statuses = {str(k).strip(): str(v) for k, v in (data.get("statuses") or {}).items()}
    bad = {k: v for k, v in statuses.items() if v not in STATUSES}
    if bad:
        raise ProfileError(f"{name}: statuses must map to {', '.join(STATUSES)}: {bad}")
    refunds = {str(k).strip(): str(v) for k, v in (data.get("refund_statuses") or {}).items()}
    bad = {k: v for k, v in refunds.items() if v not in REFUND_STATES}
    if bad:
        raise ProfileError(f"{name}: refund statuses must map to {REFUND_STATES}: {bad}")
    missing = data.get("status_missing")
    if missing is not None and missing not in STATUSES:
        raise ProfileError(f"{name}: status_missing must be one of {', '.join(STATUSES)}")
    detect = data.get("detect") or {}
    kind = str(data.get("kind") or "orders")
    if kind not in KINDS:
        raise ProfileError(f"{name}: kind must be one of {', '.join(KINDS)}")
    amount_scope = str(data.get("amount_scope") or "order")
    columns = {str(k): _tuple(v) for k, v in (data.get("columns") or {}).items() if v}
    before = bool(data.get("amount_before_discount"))
    if (before or any(c in columns for c in AMOUNT_PARTS)) and not (
        amount_scope == "line" and data.get("line_items")
    ):
        raise ProfileError(
            f"{name}: the parts of a row's amount ({', '.join(AMOUNT_PARTS)}, "
            "amount_before_discount) need line_items and amount_scope: line"
        )
    return Profile(
        id=str(data["id"]),
        zh=str(data.get("zh") or data["id"]),
        en=str(data.get("en") or data["id"]),
        platform=data.get("platform"),
        channel=data.get("channel"),
        currency=data.get("currency"),
        columns=columns,
        statuses=statuses,
        refund_statuses=refunds,
        detect_all=_tuple(detect.get("all")),
        detect_any=_tuple(detect.get("any")),
        min_any=int(detect.get("min_any") or 0),
        line_items=bool(data.get("line_items")),
        amount_scope=amount_scope,
        refund_scope=str(data.get("refund_scope") or amount_scope),
        discount_scope=str(data.get("discount_scope") or "order"),
        amount_before_discount=before,
        closed_after_refund=str(data.get("closed_after_refund") or "refunded"),
        closed_when_paid=tuple(w.strip() for w in _tuple(data.get("closed_when_paid"))),
        status_wins=tuple(w.strip().lower() for w in _tuple(data.get("status_wins"))),
        status_missing=str(missing) if missing is not None else None,
        buyer_key=tuple(k for k in _tuple(data.get("buyer_key")) if k in BUYER_KEYS)
        or ("buyer_id", "customer_phone", "customer_email"),
        nickname_only=bool(data.get("nickname_only")),
        masked=_tuple(data.get("masked")),
        masked_key=bool(data.get("masked_key", True)),
        guest_orders=bool(data.get("guest_orders", True)),
        sources=tuple(data.get("sources") or ()),
        source=str(data.get("source") or "") if "source" in data else str(data["id"]),
        shop=_tuple(data.get("shop")),
        item_file=_tuple((data.get("item_file") or {}).get("all")),
        order_file=str((data.get("item_file") or {}).get("order_file") or ""),
        item_file_alone=bool((data.get("item_file") or {}).get("alone")),
        kind=kind,
        detect_none=_tuple(detect.get("none")),
        orders_of=str(data.get("orders_of") or ""),
        customers_export=_customers_export(name, data.get("customers_export")),
    )


def _customers_export(name: str, data: Any) -> CustomersExport | None:
    if data is None:
        return None
    detect = data.get("detect") if isinstance(data, dict) else None
    if not isinstance(detect, dict) or not detect.get("all"):
        raise ProfileError(f"{name}: a customers_export has detect: all: [headers]")
    return CustomersExport(
        zh=str(data.get("zh") or ""),
        en=str(data.get("en") or ""),
        detect_all=_tuple(detect.get("all")),
        detect_any=_tuple(detect.get("any")),
        min_any=int(detect.get("min_any") or 0),
        own_id=_tuple(data.get("own_id")),
        name=_tuple(data.get("name")),
        phone=_tuple(data.get("phone")),
    )


@functools.cache
def profiles() -> dict[str, Profile]:
    """Every packaged profile by id (the generic one last)."""
    found: dict[str, Profile] = {}
    folder = resources.files("kequn.ingest.formats")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yamlfile.safe_load(entry.read_text(encoding="utf-8"))
            profile = _load(entry.name, data)
            found[profile.id] = profile
    generic = found.pop("generic", None)
    if generic:
        found["generic"] = generic
    return found


def get(name: str) -> Profile:
    known = profiles()
    if name not in known:
        raise ProfileError(f"unknown format {name!r}; known: {', '.join(known)}")
    return known[name]


def detect(headers: list[str]) -> Profile | None:
    """The platform profile whose header signature fits best, or None. The generic profile
    is never detected (files people make by hand are read by kequn's synonyms, where a
    mapping file can name any column); ``--format generic`` chooses it."""
    normalised = {header_key(h) for h in headers}
    best: tuple[int, Profile] | None = None
    for profile in profiles().values():
        if profile.id == "generic":
            continue
        score = profile.score(normalised)
        if score is not None and (best is None or score > best[0]):
            best = (score, profile)
    return best[1] if best else None


def customers_export_of(headers: list[str]) -> Profile | None:
    """The profile whose platform's customers export these headers are (its
    :attr:`Profile.customers_export` fits), or None."""
    normalised = {header_key(h) for h in headers}
    for profile in profiles().values():
        if profile.customers_export is not None and profile.customers_export.fits(normalised):
            return profile
    return None


def item_file_of(headers: list[str]) -> Profile | None:
    """The profile whose item file (no buyers: :attr:`Profile.item_file`) these headers
    are, or None."""
    normalised = {normalise_header(h) for h in headers}
    for profile in profiles().values():
        needed = {normalise_header(h) for h in profile.item_file}
        if needed and needed <= normalised:
            return profile
    return None
