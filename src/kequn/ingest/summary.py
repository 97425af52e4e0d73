"""What an import found, in words: the platform format and buyer key, the notes to heed,
the rows left out as no data, the words no profile knows, and what each column was taken
for. ``kequn import`` prints these lines before its counts, and the upload page shows
them in the request's language (it showed the counts alone, so a web user never heard
that a nickname keyed the buyers or that status words were read as none)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kequn.core import display
from kequn.core.i18n import current_lang, t
from kequn.core.schema import TABLES
from kequn.core.sheet_rows import sheet_row
from kequn.ingest import reasons
from kequn.ingest.reasons import quoted
from kequn.ingest.report import ImportReport, kept_currency

#: the rows left out, and the unknown words, told one by one (``--json`` has them all)
SHOWN = 20

#: the columns whose use as the customer id makes the id a keyed pseudonym
_CONTACTS = ("phone", "email", "customer_phone", "customer_email")


@dataclass(frozen=True)
class Line:
    text: str
    warn: bool = False  # something to heed (shown in yellow, or as a warning)


def found(report: ImportReport, lang: str | None = None) -> list[Line]:
    """Every line below, in the order ``kequn import`` prints them."""
    return format_lines(report, lang) + column_lines(report, lang)


def format_lines(report: ImportReport, lang: str | None = None) -> list[Line]:
    """What the platform profile found: the format, the buyer key, lines per order, the
    notes (nicknames as keys, a foreign currency ...), the sheets read, the rows left out
    and the status and refund words no profile knows."""
    lines: list[Line] = []
    if report.format:
        name = report.format_name.get(lang or current_lang(), report.format)
        lines.append(Line(t("import.format", lang, name=name)))
    if report.buyer_key:
        lines.append(Line(t("import.buyer_key", lang, columns=" > ".join(report.buyer_key))))
    # only where an order took several item rows (a one-row-per-order file's quarantined
    # rows made it read as if rows had been merged)
    if report.lines and report.lines != report.orders:
        orders, items = f"{report.orders:,}", f"{report.lines:,}"
        lines.append(Line(t("import.lines", lang, orders=orders, lines=items)))
    for note in report.notes:
        if note == "import.currency_differs" and report.currencies:
            lines += _currency_lines(report, lang)
            continue
        said = t(
            note,
            lang,
            currencies=", ".join(report.currencies) or "?",
            currency=report.workspace_currency or "CNY",
            count=f"{report.guest_orders:,}",
            partial=f"{report.partial_refund_unknown:,}",
            refunds=f"{report.refund_rows:,}",
        )
        lines.append(Line(said, warn=True))
    if len(report.sheets) > 1:
        sheets = _sheets(report.sheets, lang)
        lines.append(Line(t("import.sheets", lang, count=len(report.sheets), sheets=sheets)))
    for skipped in report.skipped[:SHOWN]:
        key = "import.second_header" if skipped.get("header") else "import.skipped"
        key = "import.header_again" if skipped.get("again") else key
        sheet, row = sheet_row(int(skipped["row"]), report.sheets)
        key, extra = (key, {}) if sheet is None else (f"{key}_sheet", {"sheet": sheet})
        lines.append(Line(t(key, lang, row=row, text=skipped["text"], **extra)))
    if len(report.skipped) > SHOWN:
        lines.append(Line(t("import.skipped_more", lang, count=len(report.skipped) - SHOWN)))
    if report.blank_rows:
        lines.append(Line(t("import.blank_rows", lang, count=report.blank_rows)))
    return lines + _unknown_words(report, lang)


def _currency_lines(report: ImportReport, lang: str | None) -> list[Line]:
    """What became of a file's amounts in other currencies than the workspace's, naming
    only those: the ones kept (a file's one currency, or its most common when the
    workspace's is not among them) were imported unconverted; the rest were quarantined
    (the workspace's own, when kept, is not named: its amounts are what they say)."""
    mine = (report.workspace_currency or "CNY").upper()
    kept = kept_currency(report.currencies, mine)
    others = [c for c in report.currencies if c != kept]
    lines = []
    if kept is not None and kept != mine:
        said = t("import.currency_differs", lang, currencies=kept, currency=mine)
        lines.append(Line(said, warn=True))
    if others:
        held = report.rejected_by_reason.get(reasons.OTHER_CURRENCY) or sum(
            report.currencies[c] for c in others
        )
        said = t(
            "import.currency_quarantined",
            lang,
            currencies=", ".join(others),
            count=f"{held:,}",
            currency=mine,
            kept=kept,
        )
        lines.append(Line(said, warn=True))
    return lines


def column_name(column: str, table: str, lang: str | None = None) -> str:
    """What a column a file's header was taken for is called in the language, as the
    rest of the UI names it (订单编号 → 订单编号, not order_id; the JSON's keys stay the
    ids): a table's column by its schema name, an order export's buyer column
    (customer_phone) as the buyer's field (买家电话), an after-sale file's refund state."""
    if column.startswith("customer_") and column != "customer_id":
        field = column.removeprefix("customer_")
        if any(c.name == field for c in TABLES["customers"].columns):
            return t("import.buyer_field", lang, field=display.field(field, lang))
    if column == "refund_status":
        return t("import.refund_status", lang)
    return display.field(column, lang, table)


def column_lines(report: ImportReport, lang: str | None = None) -> list[Line]:
    """The file's encoding and what each column was taken for: mapped, kept as an
    attribute (and why, for a kind column of no kind), not used; the customers made."""
    lines: list[Line] = []
    if report.encoding:  # a text file's; a workbook or Parquet file has none to tell
        lines.append(Line(t("import.encoding", lang, encoding=report.encoding)))
    mapped = ", ".join(
        f"{h} → {column_name(c, report.table, lang)}" for c, h in report.mapping.items()
    )
    lines.append(Line(t("import.mapped", lang, mapped=mapped)))
    if report.fallbacks.get("customer_id") in _CONTACTS:
        # "手机号 → customer_id" read as if the phone were stored as the id
        column = report.mapping.get("customer_id", "")
        if len(report.buyer_key) > 1:  # a row without the first key takes the next one
            column = " > ".join(report.buyer_key)
        lines.append(Line(t("import.id_keyed", lang, column=column)))
    if report.attributes:
        lines.append(Line(t("import.extra", lang, columns=", ".join(report.attributes))))
    for name, header in report.not_read.items():
        spec = next(c for c in TABLES[report.table].columns if c.name == name)
        said = t(
            "import.not_read",
            lang,
            header=header,
            column=display.field(name, lang),
            allowed=display.values(name, spec.allowed, lang),
        )
        lines.append(Line(said, warn=True))
    if report.ignored:
        lines.append(Line(t("import.ignored", lang, columns=", ".join(report.ignored))))
    lines += [_duplicate_header(found, report.table, lang) for found in report.duplicate_headers]
    if report.derived_customers:
        key = "import.derived_customers_events" if report.table == "events" else None
        count = report.derived_customers
        lines.append(Line(t(key or "import.derived_customers", lang, count=count)))
    return lines


def _duplicate_header(found: dict[str, Any], table: str, lang: str | None) -> Line:
    """One header over several columns: which column was read as what, and where the
    others went (kept as attributes under their place, or not used), so a second phone or
    amount column differing from the first is never dropped without a word."""
    uses = []
    for column, use, what in found["uses"]:
        shown = display.field(what, lang, table) if use == "read" else what
        uses.append(t(f"import.duplicate_{use}", lang, column=column, what=shown))
    columns = display.values("", found["columns"], lang)
    said = t("import.duplicate_header", lang, header=found["header"], columns=columns)
    return Line(said + ("；" if (lang or current_lang()) == "zh" else "; ").join(uses), warn=True)


def _unknown_words(report: ImportReport, lang: str | None) -> list[Line]:
    """The status and refund words no profile knows: the most frequent only (a status
    column of free text, 40,000 rows each its own word, printed 40,000 lines, 5.7 MB,
    and the import took 16 s; now 3.1 s, 4 KB), each quoted short (reasons.quoted), as
    every message quotes a cell (a 40 KB status word printed whole, twice, took the
    terminal's wrapping 21 s of a 23 s import of 500 rows)."""
    lines: list[Line] = []
    unknown = list(report.unknown_statuses.items())
    for word, count in unknown[:SHOWN]:
        said = t("import.unknown_status", lang, word=quoted(word), count=count)
        lines.append(Line(said, warn=True))
    if len(unknown) > SHOWN:
        rest = unknown[SHOWN:]
        words, count = len(rest), sum(n for _, n in rest)
        lines.append(Line(t("import.unknown_status_more", lang, words=words, count=count), True))
    if report.unknown_statuses:
        lines.append(Line(t("import.retry_hint", lang)))
    for why, count in report.refunds_not_applied.items():
        reason = t(f"aftersale.{why}", lang)
        said = t("import.aftersale_not_applied", lang, count=f"{count:,}", reason=reason)
        lines.append(Line(said))
    for word, count in list(report.unknown_refund_words.items())[:SHOWN]:
        said = t("import.unknown_refund_word", lang, word=quoted(word), count=count)
        lines.append(Line(said, warn=True))
    return lines


def _sheets(sheets: list[dict[str, Any]], lang: str | None) -> str:
    """Each sheet read and its rows as the sheet numbers them (as every message tells a
    row: by its sheet and the sheet's own number)."""
    said = []
    for part in sheets:
        first, last, own = int(part["first"]), int(part["last"]), int(part["own"])
        said.append(
            t("import.sheet_rows", lang, sheet=part["sheet"], first=own, last=own + last - first)
        )
    return "; ".join(said)
