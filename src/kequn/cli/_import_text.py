"""How the CLI tells an import's outcome: its counts, what the platform profile found,
the rows left out, and each quarantine reason with its first row."""

from __future__ import annotations

from typing import Any

from kequn.cli._app import console
from kequn.core.i18n import local, t
from kequn.ingest import summary


def print_import(report: Any) -> None:
    from kequn.core.sheet_rows import sheet_row
    from kequn.ingest.quarantine import explain_reason
    from kequn.ingest.reasons import reason_name

    print_format(report)
    _print(summary.column_lines(report))
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
                text = explain_reason(
                    reason, seen["column"], seen["value"], seen["detail"], sheets=report.sheets
                )
                # the row as the workbook shows it: its sheet and the sheet's own number
                sheet, row = sheet_row(int(seen["row"]), report.sheets)
                key = (
                    "import.by_reason_example"
                    if sheet is None
                    else "import.by_reason_example_sheet"
                )
                console.print(
                    t(key, reason=reason_name(reason), count=count, row=row, text=text, sheet=sheet)
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


def print_format(report: Any) -> None:
    """What the platform profile found: the format, the buyer key, lines per order, and
    what to watch for (nicknames as keys, a foreign currency, unknown status words)."""
    _print(summary.format_lines(report))


def _print(lines: list[summary.Line]) -> None:
    for line in lines:
        console.print(line.text, style="yellow" if line.warn else None)
