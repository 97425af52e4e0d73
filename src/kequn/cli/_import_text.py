"""How the CLI tells an import's outcome: its counts, what the platform profile found,
the rows left out, and each quarantine reason with its first row."""

from __future__ import annotations

from typing import Any

from kequn.cli._app import _lang, console
from kequn.core import display
from kequn.core.i18n import local, t
from kequn.core.schema import TABLES


def print_import(report: Any) -> None:
    from kequn.ingest.quarantine import explain_reason
    from kequn.ingest.reasons import reason_name

    print_format(report)
    if report.encoding:  # a text file's; a workbook or Parquet file has none to tell
        console.print(t("import.encoding", encoding=report.encoding))
    console.print(
        t("import.mapped", mapped=", ".join(f"{h} → {c}" for c, h in report.mapping.items()))
    )
    contact = ("phone", "email", "customer_phone", "customer_email")
    if report.fallbacks.get("customer_id") in contact:
        # "手机号 → customer_id" read as if the phone were stored as the id
        console.print(t("import.id_keyed", column=report.mapping.get("customer_id", "")))
    if report.attributes:
        console.print(t("import.extra", columns=", ".join(report.attributes)))
    for name, header in report.not_read.items():
        column = next(c for c in TABLES[report.table].columns if c.name == name)
        words = display.values(name, column.allowed)
        said = t("import.not_read", header=header, column=display.field(name), allowed=words)
        console.print(said, style="yellow")
    if report.ignored:
        console.print(t("import.ignored", columns=", ".join(report.ignored)))
    if report.derived_customers:
        key = "import.derived_customers_events" if report.table == "events" else None
        console.print(t(key or "import.derived_customers", count=report.derived_customers))
    print_summary(report)
    for header, counts, severity in (
        (t("import.rejected_header"), report.rejected_by_reason, "rejected"),
        (t("import.warned_header"), report.warnings_by_reason, "warning"),
    ):
        if counts:
            console.print(header)
            for reason, count in counts.items():
                seen = report.examples.get(reason)
                # a reason both rejects and empties (an amount, a discount): its example
                # is a rejected row, told under the rejected only
                if seen is None or seen.get("severity", severity) != severity:
                    console.print(t("import.by_reason", reason=reason_name(reason), count=count))
                    continue
                text = explain_reason(reason, seen["column"], seen["value"], seen["detail"])
                console.print(
                    t(
                        "import.by_reason_example",
                        reason=reason_name(reason),
                        count=count,
                        row=seen["row"],
                        text=text,
                    )
                )


def _table_name(name: str) -> str:
    """A table's name in the language in force (customers → 客户)."""
    from kequn.core.schema import ORDER_LINES, TABLES

    spec = TABLES.get(name) or (ORDER_LINES if name == ORDER_LINES.name else None)
    return local(spec) if spec is not None else name


def print_summary(report: Any) -> None:
    """The counts of one import: rows read, new, updated, unchanged, quarantined."""
    console.print(
        t(
            "import.summary",
            table=_table_name(report.table),
            rows=report.rows,
            accepted=report.accepted,
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
        )
    )


#: the rows left out as no data that an import lists (``--json`` has them all)
SKIPPED_SHOWN = 20


def print_format(report: Any) -> None:
    """What the platform profile found: the format, the buyer key, lines per order, and
    what to watch for (nicknames as keys, a foreign currency, unknown status words)."""
    if report.format:
        console.print(t("import.format", name=report.format_name.get(_lang(), report.format)))
    if report.buyer_key:
        console.print(t("import.buyer_key", columns=" > ".join(report.buyer_key)))
    # only where an order took several item rows (a one-row-per-order file's quarantined
    # rows made it read as if rows had been merged)
    if report.lines and report.lines != report.orders:
        console.print(t("import.lines", orders=f"{report.orders:,}", lines=f"{report.lines:,}"))
    for note in report.notes:
        currencies = ", ".join(report.currencies) or "?"
        console.print(
            t(
                note,
                currencies=currencies,
                currency=_ws_currency(report),
                count=f"{getattr(report, 'guest_orders', 0):,}",
                partial=f"{getattr(report, 'partial_refund_unknown', 0):,}",
                refunds=f"{getattr(report, 'refund_rows', 0):,}",
            ),
            style="yellow",
        )
    if report.sheets:
        console.print(t("import.sheets", count=len(report.sheets), sheets=_sheets(report.sheets)))
    for skipped in report.skipped[:SKIPPED_SHOWN]:
        said = "import.second_header" if skipped.get("header") else "import.skipped"
        console.print(t(said, row=skipped["row"], text=skipped["text"]))
    if len(report.skipped) > SKIPPED_SHOWN:
        console.print(t("import.skipped_more", count=len(report.skipped) - SKIPPED_SHOWN))
    if report.blank_rows:
        console.print(t("import.blank_rows", count=report.blank_rows))
    _unknown_words(report)


def _unknown_words(report: Any) -> None:
    """The status and refund words no profile knows: the most frequent only (a status
    column of free text, 40,000 rows each its own word, printed 40,000 lines, 5.7 MB,
    and the import took 16 s; now 3.1 s, 4 KB), each quoted short (reasons.quoted), as
    every message quotes a cell (a 40 KB status word printed whole, twice, took the
    terminal's wrapping 21 s of a 23 s import of 500 rows)."""
    from kequn.ingest.reasons import quoted

    unknown = list(report.unknown_statuses.items())
    for word, count in unknown[:SKIPPED_SHOWN]:
        said = t("import.unknown_status", word=quoted(word), count=count)
        console.print(said, style="yellow")
    if len(unknown) > SKIPPED_SHOWN:
        rest = unknown[SKIPPED_SHOWN:]
        more = t("import.unknown_status_more", words=len(rest), count=sum(n for _, n in rest))
        console.print(more, style="yellow")
    if report.unknown_statuses:
        console.print(t("import.retry_hint"))
    for why, count in getattr(report, "refunds_not_applied", {}).items():
        said = t(f"aftersale.{why}")
        console.print(t("import.aftersale_not_applied", count=f"{count:,}", reason=said))
    for word, count in list(report.unknown_refund_words.items())[:SKIPPED_SHOWN]:
        said = t("import.unknown_refund_word", word=quoted(word), count=count)
        console.print(said, style="yellow")


def _ws_currency(report: Any) -> str:
    return str(getattr(report, "workspace_currency", "") or "CNY")


def _sheets(sheets: list[dict[str, Any]]) -> str:
    """Each sheet read and its rows as this import numbers them (and as the sheet does,
    where they differ)."""
    said = []
    for part in sheets:
        first, last, own = int(part["first"]), int(part["last"]), int(part["own"])
        if first == own:
            said.append(t("import.sheet_rows", sheet=part["sheet"], first=first, last=last))
        else:
            said.append(
                t(
                    "import.sheet_rows_own",
                    sheet=part["sheet"],
                    first=first,
                    last=last,
                    own=own,
                    own_last=own + last - first,
                )
            )
    return "; ".join(said)
