"""The validation passes, each on the rows the one before left standing: cells (required
values present and readable; unreadable optional values emptied and reported), duplicate
ids in the file, references to unknown customers; then the quarantine is written."""

from __future__ import annotations

import re
import unicodedata

from kequn.ingest import reasons
from kequn.ingest.id_checks import IdCheckPass
from kequn.ingest.report import kept_currency

#: a totals row's first field, cleaned: the word alone (合计, 总计：, Grand Total)
_TOTALS_FIELD = re.compile(
    r"(合\s*计|总\s*计|小\s*计|共\s*计|total|totals|grand total|sum)\s*[:：]?"
)


#: the currency an amount's own mark names, the marks kq_money drops (US$35, 35 USD, €50,
#: HK$80, 80元); NULL for none, and for a dollar or yen sign alone: people type $ and ¥
#: for money of their own (a sheet of ¥ amounts with one $99.00 is one currency), so
#: only a mark that names a place's dollar or a currency tells another currency
_CURRENCY_OF = r"""
CREATE OR REPLACE TEMP MACRO kq_currency_of(s) AS CASE
    WHEN s IS NULL OR NOT regexp_matches(s, '[a-z][$]|[€£元]|人民币|[a-z]{2,3}', 'i') THEN NULL
    WHEN regexp_matches(s, 'us\$|usd', 'i') THEN 'USD'
    WHEN regexp_matches(s, 'hk\$|hkd', 'i') THEN 'HKD'
    WHEN regexp_matches(s, 'nt\$|ntd|twd', 'i') THEN 'TWD'
    WHEN regexp_matches(s, 'nz\$|nzd', 'i') THEN 'NZD'
    WHEN regexp_matches(s, 'ca\$|c\$|cad', 'i') THEN 'CAD'
    WHEN regexp_matches(s, 'au\$|a\$|aud', 'i') THEN 'AUD'
    WHEN regexp_matches(s, 's\$|sgd', 'i') THEN 'SGD'
    WHEN regexp_matches(s, 'mop', 'i') THEN 'MOP'
    WHEN regexp_matches(s, '€|eur', 'i') THEN 'EUR'
    WHEN regexp_matches(s, '£|gbp', 'i') THEN 'GBP'
    WHEN regexp_matches(s, 'jpy', 'i') THEN 'JPY'
    WHEN regexp_matches(s, '元|人民币|rmb|cny', 'i') THEN 'CNY'
    END
"""


def totals_line(text: str) -> bool:
    """Whether a line of a delimited file is a totals row: its first field, read as a
    spreadsheet writes it (full-width letters, quotes, ="...", zero-width spaces), is a
    totals word and nothing else (a name such as "Total Wine" is no totals row)."""
    first = re.split(r"[,\t;|]", text, maxsplit=1)[0]
    cleaned = unicodedata.normalize("NFKC", first)
    cleaned = cleaned.strip(" \t\u3000\u200b\u200c\u200d\u2060\ufeff\"'=").lower()
    return bool(_TOTALS_FIELD.fullmatch(cleaned))


class ValidatePass(IdCheckPass):
    """Cells, duplicates and references checked; the quarantine written."""

    def _check_cells(self, columns: list[str]) -> None:
        self.sql(
            'CREATE OR REPLACE TEMP TABLE problems ("row" BIGINT, "column" VARCHAR, '
            f"reason VARCHAR NOT NULL {reasons.reason_check()}, severity VARCHAR, "
            "value VARCHAR, detail VARCHAR)"
        )
        for name in columns:
            if name == "attributes":
                continue
            column = next((c for c in self._columns() if c.name == name), None)
            required = bool(column and column.required)
            # an order whose status cannot be read might be unpaid: never guess "paid"
            severity = "rejected" if required or name == "status" else "warning"
            allowed = ", ".join(column.allowed) if column and column.allowed else None
            if required:
                masked = self._masked_contact(columns) if name == "customer_id" else None
                self._problem(
                    f'"{name}" IS NULL AND kq_blank("raw__{name}")'
                    + (f" AND {masked} IS NULL" if masked else ""),
                    name,
                    reasons.MISSING_REQUIRED,
                    "rejected",
                )
            if name == "status":  # a file with statuses and none on this row: never "paid"
                self._problem('kq_blank("raw__status")', name, reasons.MISSING_STATUS, "rejected")
            self._problem(
                f'"bad__{name}"',
                name,
                f"why__{name}",
                severity,
                value=f'"raw__{name}"',
                why_column=True,
                detail="$allowed" if allowed else "NULL",
                **({"allowed": allowed} if allowed else {}),
            )
        self._check_ids(columns)
        for column in self._columns():
            if column.name in columns and column.kind in ("timestamp", "date"):
                # a year before 1900 is no order, visit or birthday but a date misread
                # (a year typed with one or two digits, 24/3/1): never stored as 0024
                early = f"\"{column.name}\" < DATE '1900-01-01'"
                severity = "rejected" if column.required else "warning"
                self._problem(
                    early, column.name, reasons.BAD_DATE, severity, value=f'"raw__{column.name}"'
                )
                if severity == "warning":
                    self.sql(f'UPDATE parsed SET "{column.name}" = NULL WHERE {early}')
        time_col = {"orders": "ordered_at", "events": "occurred_at", "customers": "created_at"}
        when = time_col[self.table]
        if when in columns:
            future = f"{when} > timezone($tz, now()) + INTERVAL 1 DAY"
            severity = "warning" if self.table == "customers" else "rejected"
            self._problem(
                future, when, reasons.FUTURE_DATE, severity, value=f"CAST({when} AS VARCHAR)"
            )
            if severity == "warning":
                self.sql(f"UPDATE parsed SET {when} = NULL WHERE {future}")
        if self.table == "orders":
            refund = "status = 'refunded'" if "status" in columns else "false"
            # a refund written as a row of its own under its order's id (refunds.py)
            refund += f" OR {self.refund_row_sql(columns)}"
            self._problem(
                f"amount < 0 AND NOT ({refund})",
                "amount",
                reasons.NEGATIVE_AMOUNT,
                "rejected",
                value="CAST(amount AS VARCHAR)",
            )
            if "refunded" in columns:
                # more money back than was paid (拼多多's 退款金额(元) 60 on 用户实付金额(元)
                # 45): one of the two is wrong. The order is kept, all its money read as
                # refunded, and the row named: refused, a real order of a real buyer was
                # lost (a refund with shipping beside an amount without it), and kept
                # as written it counted as a loss (an amount of 0 beside a refund is
                # left alone: a platform may write 0 on an order it closed after
                # refunding it)
                over = "refunded > amount AND amount > 0 AND NOT bad__refunded"
                self._problem(
                    over,
                    "refunded",
                    reasons.REFUND_OVER_AMOUNT,
                    "warning",
                    value="CAST(refunded AS VARCHAR)",
                    detail="CAST(amount AS VARCHAR)",
                )
                self.sql(f"UPDATE parsed SET refunded = amount WHERE {over}")

    def _marked_currencies(self) -> None:
        """The currencies a file without a currency column marks its amounts with (US$35,
        €50, 100 USD, 80元): a file all in another currency than the workspace's is
        imported with a note, a file mixing currencies keeps the workspace's (an amount
        with no mark counting as its) and quarantines the rest, as for a currency column.
        Before, the mark was dropped and US$35 stored as ¥35."""
        mine = self.ws.settings.currency.upper()
        self.con.execute(_CURRENCY_OF)
        self.sql(
            "CREATE OR REPLACE TEMP TABLE kq_marked AS "
            "SELECT _row, kq_currency_of(raw__amount) AS d_currency FROM parsed"
        )
        found = {
            (str(c) if c is not None else None): int(n)
            for c, n in self.con.execute(
                "SELECT d_currency, count(*) FROM kq_marked GROUP BY 1"
            ).fetchall()
        }
        unmarked = found.pop(None, 0)
        if not found:
            return
        currencies = {str(c): n for c, n in found.items()}
        if unmarked:
            currencies[mine] = currencies.get(mine, 0) + unmarked
        self.report.currencies = currencies
        if any(c != mine for c in currencies):
            self.report.notes.append(reasons.note("import.currency_differs"))
        if len(currencies) > 1:
            self._other_currencies(currencies, table="kq_marked")

    def _other_currencies(self, currencies: dict[str, int], table: str = "kq_status") -> None:
        """A file of orders in several currencies keeps those in one: the workspace's if
        it has any, else its most common; the others are quarantined, since their
        amounts would be added up as the same money ($35 shown as ¥35 next to €50). (A
        file in one currency other than the workspace's is imported with a note.)"""
        mine = self.ws.settings.currency.upper()
        kept = kept_currency(currencies, mine)
        self.sql(
            f"""INSERT INTO problems SELECT _row, 'amount', $reason, 'rejected',
                upper(d_currency), $kept
            FROM {table} WHERE d_currency IS NOT NULL AND upper(d_currency) <> $kept""",
            kept=kept,
            reason=reasons.OTHER_CURRENCY,
        )

    def _unknown_statuses(self) -> None:
        rows = self.con.execute(
            "SELECT value, count(*) FROM problems WHERE \"column\" = 'status' "
            "AND reason = ? GROUP BY 1 ORDER BY 2 DESC, 1",
            [reasons.BAD_CHOICE],
        ).fetchall()
        self.report.unknown_statuses = {str(v): int(n) for v, n in rows if v is not None}

    def _check_duplicates(self, columns: list[str] | None = None) -> None:
        """A second row with an id the file has already given is quarantined; a refund
        of an order the file holds, under its order's id, is no duplicate (refunds.py)."""
        key = self.spec.key
        refunds = self.refund_row_sql(columns or [])
        self.sql(
            f"""INSERT INTO problems
            SELECT _row, '{key}', '{reasons.DUPLICATE_ID}', 'rejected', "{key}",
                CAST(first_row AS VARCHAR)
            FROM (SELECT _row, "{key}", min(_row) OVER (PARTITION BY "{key}") AS first_row
                  FROM parsed WHERE "{key}" IS NOT NULL AND _row NOT IN {self._rejected_rows()}
                    AND NOT {refunds})
            WHERE _row > first_row"""
        )

    def _has_customers(self) -> bool:
        row = self.con.execute("SELECT count(*) > 0 FROM customers").fetchone()
        return bool(row and row[0])

    def _check_references(self) -> None:
        self.sql(
            f"""INSERT INTO problems
            SELECT p._row, 'customer_id', '{reasons.UNKNOWN_CUSTOMER}', 'rejected', p.customer_id,
                NULL
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}"""
        )

    def _replace_rows_read_again(self, record: str) -> None:
        """A sync from its watermark read some of the source's rows: the entries of those
        rows go (the same row read again, or its id, changed at the source since), the
        entries of rows not read again stay."""
        same = f'record IN (SELECT {record} AS "record" FROM raw)'
        key = self.matched.columns.get(self.spec.key)
        if key is not None:
            same += (
                f" OR json_extract_string(record, '$[{int(key)}]') IN "
                f"(SELECT CAST(c{int(key)} AS VARCHAR) FROM raw WHERE c{int(key)} IS NOT NULL)"
            )
        self.sql(
            f'DELETE FROM quarantine WHERE "table" = $table AND file = $file AND ({same})',
            table=self.table,
            file=self.report.file,
        )

    def _quarantine(self) -> None:
        lines: list[int | None] = []
        texts: list[str] = []
        for line, text in self.staged.ragged:
            if totals_line(text):
                # a totals row with fewer fields than the header (合计,,1200.50): left out
                # with a note, as the same row with every field is, not quarantined
                self.report.skipped.append({"row": line, "text": text[:80]})
                continue
            lines.append(line)
            texts.append(text[:500])
        # in one statement: one INSERT a row took ~1 ms, and a file of 200,000 rows half of
        # which had a field too many spent 100 of its 127 s on them (now 25 s); none when
        # every row has its fields (most files)
        if lines:
            self.sql(
                "INSERT INTO problems SELECT unnest($lines), NULL, $reason, 'rejected', "
                "unnest($texts), NULL",
                reason=reasons.BAD_ROW,
                lines=lines,
                texts=texts,
            )
        if self.staged.unclosed is not None:
            line, text = self.staged.unclosed
            self.sql(
                "INSERT INTO problems VALUES ($line, NULL, $reason, 'rejected', $text, NULL)",
                reason=reasons.UNCLOSED_QUOTE,
                line=line,
                text=text[:500],
            )
        record = (
            "to_json(["
            + ", ".join(f"CAST(raw.c{i} AS VARCHAR)" for i in range(len(self.staged.headers)))
            + "])"
        )
        if self.staged.incremental:
            self._replace_rows_read_again(record)
        elif self.staged.retried is None:
            self.sql(
                'DELETE FROM quarantine WHERE "table" = $table AND file = $file',
                table=self.table,
                file=self.report.file,
            )
        else:  # rows read again from the quarantine: only their entries are replaced
            self.sql(
                'DELETE FROM quarantine WHERE "table" = $table AND file = $file '
                'AND list_contains($rows, "row")',
                table=self.table,
                file=self.report.file,
                rows=self.staged.retried,
            )
        # a line that was never read into fields (the wrong number of them, a quote never
        # closed) has no record: a list of NULLs was one, which a retry read back as an
        # empty row, skipped, and removed from the quarantine with the line's text
        self.sql(
            f"""INSERT INTO quarantine SELECT $import_id, $table, $file, pr."row", pr."column",
                pr.reason, pr.severity, pr.value, pr.detail,
                CASE WHEN raw._row IS NOT NULL THEN {record} END
            FROM problems pr LEFT JOIN raw ON raw._row = pr."row" """,
            import_id=self.report.import_id,
            table=self.table,
            file=self.report.file,
        )
        rows = self.con.execute(
            'SELECT severity, reason, count(*), count(DISTINCT "row") FROM problems '
            "GROUP BY ALL ORDER BY 3 DESC"
        ).fetchall()
        for severity, reason, count, _ in rows:
            target = (
                self.report.rejected_by_reason
                if severity == "rejected"
                else self.report.warnings_by_reason
            )
            target[reason] = int(count)
        # each reason's first row, told in full by the import's summary: a rejected row
        # if the reason rejected any (a discount of 8折 emptied on row 2 was shown as
        # the example of the amounts that were not amounts, rows kept out from row 3)
        for reason, row, column, value, detail, severity in self.con.execute(
            'SELECT reason, "row", "column", value, detail, severity FROM problems QUALIFY '
            "row_number() OVER (PARTITION BY reason ORDER BY severity <> 'rejected', "
            '"row", "column") = 1'
        ).fetchall():
            self.report.examples[reason] = {
                "row": int(row),
                "column": self.report.mapping.get(column) or column,
                "value": reasons.quoted(value),
                "detail": detail,
                "severity": severity,
            }
        totals = self.con.execute(
            "SELECT count(DISTINCT \"row\") FILTER (WHERE severity = 'rejected'), "
            "count(*) FILTER (WHERE severity = 'warning') FROM problems"
        ).fetchone()
        self.report.rejected = int(totals[0]) if totals else 0
        self.report.warnings = int(totals[1]) if totals else 0
