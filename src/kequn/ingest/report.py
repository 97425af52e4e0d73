"""What an import tells its user: rows read, kept, quarantined and why, what the file's
columns were taken for, which platform format and buyer key were used."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ImportReport:
    import_id: str
    table: str
    file: str
    encoding: str | None
    rows: int = 0
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0  # rows already held with the same values
    rejected: int = 0
    warnings: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    warnings_by_reason: dict[str, int] = field(default_factory=dict)
    #: each reason's first row, a rejected one if any: {"row", "column" (the file's
    #: header), "value", "detail", "severity"}
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: headers heading more than one column, and what each was taken for
    #: (kequn.ingest.mapping.duplicate_headers)
    duplicate_headers: list[dict[str, Any]] = field(default_factory=list)
    #: choice columns none of whose values was one of its words, kept as attributes
    #: instead: canonical column -> the file's header (kequn.ingest.parse)
    not_read: dict[str, str] = field(default_factory=dict)
    fallbacks: dict[str, str] = field(default_factory=dict)
    derived_customers: int = 0
    headers: list[str] = field(default_factory=list)
    format: str | None = None  # the platform profile used (see kequn.ingest.formats)
    format_name: dict[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}
    buyer_key: list[str] = field(default_factory=list)  # headers that identified buyers
    notes: list[str] = field(default_factory=list)  # message keys: what to know
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    unknown_refund_words: dict[str, int] = field(default_factory=dict)  # read as no after-sale
    currencies: dict[str, int] = field(default_factory=dict)
    guest_orders: int = 0  # orders kept as their own guest buyer (no buyer in the file)
    partial_refund_unknown: int = 0  # orders partly refunded by an amount no column tells
    #: refund rows (a negative row under an order's id) added to their orders' refunds
    refund_rows: int = 0
    refunds_applied: int = 0  # orders of earlier imports whose refunds these rows changed
    #: an after-sale export's refunds that changed nothing, by why (kequn.ingest.aftersale:
    #: closed, in_progress, unknown, zero)
    refunds_not_applied: dict[str, int] = field(default_factory=dict)
    lines: int = 0  # item rows of a platform export, and the orders they made
    orders: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)  # total rows, not orders
    blank_rows: int = 0  # rows of empty cells, left out
    header_row: int = 1
    #: the sheets read, of a workbook of more than one (several when more than one had the
    #: data's header): {"sheet", "first", "last" (rows as numbered here), "own" (the
    #: sheet's own first data row)}
    sheets: list[dict[str, Any]] = field(default_factory=list)
    workspace_currency: str = ""
    origin: str | None = None  # the source the rows belong to (ids stored as ORIGIN:ID)
    origin_defaulted: bool = False  # the platform's source, as no --source was given

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def kept_currency(currencies: dict[str, int], mine: str) -> str | None:
    """The currency whose orders an import of ``currencies`` (each with its rows) keeps:
    the workspace's (``mine``) if the file has any, else its most common (ties: the first
    by name); the others' rows are quarantined. None for a file that names none."""
    if not currencies:
        return None
    mine = mine.upper()
    return mine if mine in currencies else min(currencies, key=lambda c: (-currencies[c], c))
