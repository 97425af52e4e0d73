"""Reading the staged columns as typed canonical values: rows that are not data left out
(totals, footnotes: :mod:`kequn.ingest.non_data`), a platform profile's shaping applied,
text parsed per kind with the failure kept per cell for the validator."""

from __future__ import annotations

import re

import duckdb

from kequn.ingest import formats, reasons, value_failed
from kequn.ingest._pass import settled_by_refund
from kequn.ingest.birthday import month_day
from kequn.ingest.cell_macros import MONTH_DAY
from kequn.ingest.convert import Fragment, fragment, other_spellings, with_spellings
from kequn.ingest.customer_columns import CustomerColumnsPass
from kequn.ingest.mapping import (
    UNIT_FACTORS,
    MappingResult,
    attribute_name,
    shown_header,
)
from kequn.ingest.shape import Shaped

_CHOICES = {"gender": "gender", "kind": "kind", "status": "status"}
#: customer columns company-data sites and member files give as bands and with words
#: (人员规模 50-99人, 营业收入 5000万-1亿, 年龄 25岁): read by kq_count and kq_band
_BANDED = {
    "birth_date": "birth_date",  # a year and month, or a year, is enough for an age
    "employees": "headcount",
    "age": "age",
    "annual_revenue": "money_band",
    "total_assets": "money_band",
}
#: an income column given per month (月收入, 月薪, monthly income): kept per year
_MONTHLY = re.compile(r"月|month", re.IGNORECASE)
#: an amount written with a decimal comma: 12,50, 1.234,50, -3,5
_DECIMAL_COMMA = r"[-+]?\d{1,3}(\.\d{3})*,\d{1,2}|[-+]?\d+,\d{1,2}"
#: an amount whose point may group thousands: 1.234, 12.345.678
_DOT_GROUPED = r"[-+]?\d{1,3}(\.\d{3})+"


class ParsePass(CustomerColumnsPass):
    """Staged text to typed values (see the module's docstring); the cells cleaned once
    (:class:`kequn.ingest.parse_cells.CellsPass`), a customers file's own columns
    (:class:`kequn.ingest.customer_columns.CustomerColumnsPass`)."""

    def _register_raw(self) -> None:
        if self.staged.positional:
            rel = self.con.read_parquet(str(self.staged.path))
        else:
            source = self.con.read_parquet(str(self.staged.path), file_row_number=True)
            exprs = [
                duckdb.ColumnExpression(name).alias(f"c{i}")
                for i, name in enumerate(self.staged.headers)
            ]
            exprs.append(
                (duckdb.ColumnExpression("file_row_number") + duckdb.ConstantExpression(1)).alias(
                    "_row"
                )
            )
            rel = source.select(*exprs)
        rel.create_view("raw_file", replace=True)
        self.types = {name: str(kind) for name, kind in zip(rel.columns, rel.types, strict=True)}
        self._skip_non_data()

    def _shaped(
        self, profile: formats.Profile, shaped: Shaped, found: dict[str, list[int]]
    ) -> None:
        """Point the mapping at the shaped columns and tell the report what was used."""
        rel = self.con.sql("SELECT * FROM raw")
        self.types = {n: str(k) for n, k in zip(rel.columns, rel.types, strict=True)}
        self.matched = MappingResult(columns=dict(shaped.columns))
        headers = self.staged.headers
        self.report.mapping = {
            c: " / ".join(headers[i] for i in found[c]) for c in found if c in shaped.columns
        }
        for c in ("order_id", "customer_id", "status", "amount", "refunded"):
            if c not in self.report.mapping and c in found:
                self.report.mapping[c] = headers[found[c][0]]
        if "refunded" not in self.report.mapping and "refund_amount" in found:
            self.report.mapping["refunded"] = headers[found["refund_amount"][0]]
        if "amount" not in self.report.mapping and "line_price" in found:
            pieces = found.get("line_quantity") or found.get("quantity")
            self.report.mapping["amount"] = headers[found["line_price"][0]] + (
                f" × {headers[pieces[0]]}" if pieces else ""
            )
        self.report.buyer_key = [
            " / ".join(headers[i] for i in found[key]) for key in shaped.buyer_key if key in found
        ]
        self.report.notes = list(shaped.notes)
        # a file whose orders are each their own guest has already been told so; asking
        # for a buyer column with --mapping as well contradicts it
        if not self.report.buyer_key and "import.key_guest" not in self.report.notes:
            self.report.notes.append(reasons.note("import.key_missing"))
        self.report.lines, self.report.orders = shaped.lines, shaped.orders
        self.report.guest_orders = shaped.guests
        self.report.partial_refund_unknown = shaped.partial_unknown
        self.report.currencies = dict(shaped.currencies)
        self.report.unknown_refund_words = dict(shaped.unknown_refund_words)
        mine = self.ws.settings.currency.upper()
        if not shaped.currencies and profile.currency and profile.currency.upper() != mine:
            # an export with no currency column is all in its platform's (the summary
            # names it: it said "the file's currency (?)")
            self.report.currencies = {profile.currency.upper(): shaped.lines or shaped.orders}
        if any(c != mine for c in self.report.currencies):
            self.report.notes.append(reasons.note("import.currency_differs"))
        used = {i for idx in found.values() for i in idx}
        self.report.ignored = [
            shown_header(headers, i) for i in range(len(headers)) if i not in used
        ]
        self.report.attributes = []

    def _other_spellings(self) -> None:
        """A file's traditional spellings (交易關閉, 個人, 已訂閱) of the words its choice
        columns know, and of the mapping file's own words, read as those words."""
        for column in self._columns():
            index = self.matched.columns.get(column.name)
            if index is None or not self._text(f"c{index}"):
                continue
            kind = _CHOICES.get(column.name, column.kind)
            lists = [kind] if kind in {"gender", "kind", "status", "bool"} else []
            if column.name in self.value_maps:
                lists.append(f"{column.name}_map")
            for name in lists:
                keys, vals = self.params[f"{name}_keys"], self.params[f"{name}_vals"]
                found = other_spellings(self.con, f"kq_text(c{index})", [f"c{index}"], keys)
                if found:
                    keys, vals = with_spellings(keys, vals, found)
                    self.params[f"{name}_keys"], self.params[f"{name}_vals"] = keys, vals

    def _logical(self, name: str, kind: str) -> str:
        """How the column mapped to ``name`` is read: a choice list's name, an income
        (bands, units and months: :func:`kequn.ingest.convert._income_fragment`) per
        month when its header says so, else its kind."""
        if name == "income":
            header = self.staged.headers[self.matched.columns[name]]
            return "income_monthly" if _MONTHLY.search(header) else "income"
        return _CHOICES.get(name) or _BANDED.get(name, kind)

    def _fragment(self, name: str, logical: str, text: bool) -> Fragment:
        """How the column mapped to ``name`` is read: as its type says, except that a time
        a database holds as an integer (``add_time INT``, staged as text) is a Unix time
        or a yyyymmdd day, and its 0, how such a time is left unset, is not a date."""
        index = self.matched.columns[name]
        source = f"c{index}"
        cell = self._clean(index) if text else source
        if logical not in {"timestamp", "date"} or index not in self.staged.integers:
            return fragment(cell, logical, self.types[source])
        read = fragment(cell, logical, "BIGINT")
        zero = f"coalesce(CAST({cell} AS VARCHAR) = '0', false)"
        return Fragment(
            f"CASE WHEN {zero} THEN NULL ELSE {read.value} END",
            f"{zero} OR ({read.failed})",
            read.reason,
        )

    def _failure(
        self, frag: Fragment, index: int, commas: bool, logical: str, text: bool
    ) -> tuple[str, str]:
        """SQL for whether the file's column ``index`` failed to be read as its fragment
        reads it, and the reason code why: 1.234 in a column of decimal commas is
        ambiguous, and 03-15 or 3月15日 in a birth column a birthday without its year."""
        source = f"c{index}"
        failed, why = frag.failed or "false", f"'{frag.reason or ''}'"
        if commas:
            grouped = f"regexp_full_match(kq_money_marked({source}), '{_DOT_GROUPED}')"
            failed = f"({failed}) OR {grouped}"
            why = f"CASE WHEN {grouped} THEN '{reasons.AMBIGUOUS_MONEY}' ELSE {why} END"
        if logical == "birth_date" and text:
            # a month and day of no calendar (02-30) is kept as nothing: told as no date
            cell = f"lower({self._clean(index)})"
            no_year = f"regexp_full_match({cell}, '{MONTH_DAY}') AND {month_day(cell)} IS NOT NULL"
            why = f"CASE WHEN {no_year} THEN '{reasons.BIRTHDAY_NO_YEAR}' ELSE {why} END"
        return failed, why

    def _text(self, source: str) -> bool:
        """Whether the file's column ``source`` (c0, c1, ...) was read as text."""
        return self.types[source].upper().startswith("VARCHAR")

    def _decimal_comma_columns(self) -> set[str]:
        """The text money columns where some amount has a decimal comma (12,50 or
        1.234,50: quarantined, as before). In such a column 1.234 is as likely 1234 as
        1.234 and was read 1.234: a thousand times too small, silently, beside the
        neighbours that were refused. Found with one scan of the file's money columns."""
        money = {
            column.name: f"c{self.matched.columns[column.name]}"
            for column in self._columns()
            if column.kind == "money"
            and column.name in self.matched.columns
            and self._text(f"c{self.matched.columns[column.name]}")
        }
        if not money:
            return set()
        found = self.con.execute(
            "SELECT "
            + ", ".join(
                f"bool_or(contains({src}, ',') AND regexp_full_match(kq_money_marked({src}), "
                f"'{_DECIMAL_COMMA}'))"
                for src in money.values()
            )
            + " FROM raw"
        ).fetchone()
        return {name for name, flag in zip(money, found or (), strict=False) if flag}

    def _choices_not_read(self) -> None:
        """A customers file's kind or gender column of which no value is one of its words
        (有赞's 客户类型 of 会员 / 粉丝 / 非会员, a 性别 of 1 / 2) is kept as an attribute,
        as written, and named in the report: read as the column, every value was emptied
        with a warning, and what the file said was lost."""
        if self.table != "customers":
            return
        for name in ("kind", "gender"):
            if name not in self.matched.columns:
                continue
            index = self.matched.columns[name]
            source = f"c{index}"
            text = self._text(source)
            frag = self._fragment(name, self._logical(name, name), text)
            if not frag.failed:
                continue
            given = f"NOT kq_blank({source}) AND NOT kq_undisclosed({source})"
            found = self.sql(
                f"SELECT bool_or({frag.failed}), bool_or({given} AND NOT ({frag.failed})) "
                f"FROM {self._cells()}"
            ).fetchone()
            if not found or not found[0] or found[1]:
                continue
            del self.matched.columns[name]
            self.matched.extra.append(index)
            header = self.report.mapping.pop(name, self.staged.headers[index])
            self.report.attributes.append(attribute_name(self.staged.headers, index))
            self.report.not_read[name] = header

    def _parse(self) -> list[str]:
        self._cleaned, self._placed = set(), {}
        self._other_spellings()
        self._choices_not_read()
        commas = self._decimal_comma_columns()
        select = ["_row"]
        mapped: list[str] = []
        for column in self._columns():
            if column.name == "attributes" or column.name not in self.matched.columns:
                continue
            index = self.matched.columns[column.name]
            source = f"c{index}"
            logical = self._logical(column.name, column.kind)
            text = self._text(source)
            frag = self._fragment(column.name, logical, text)
            value = frag.value
            if column.kind == "money" and self.matched.units.get(column.name) in UNIT_FACTORS:
                # 实付金额(万元): an amount too large once in 元 (99999999999999 万元) is no
                # amount, told with its row, as one too large written in 元 is
                factor = UNIT_FACTORS[self.matched.units[column.name]]
                value = (
                    f"try_cast(CAST({value} AS DECIMAL(38, 2)) * {int(factor)} AS DECIMAL(18, 2))"
                )
                over = f"({frag.value}) IS NOT NULL AND ({value}) IS NULL"
                frag = Fragment(value, f"({frag.failed}) OR ({over})", frag.reason)
            if column.name == "status":
                value = f"coalesce({value}, 'paid')"
            if column.name in self.value_maps:
                name = column.name
                value = f"coalesce(kq_pick({value}, ${name}_map_keys, ${name}_map_vals), {value})"
            if self.table in ("orders", "customers") and column.name == "customer_id" and text:
                value = self._buyer_key(value)
            failed, why = self._failure(frag, index, column.name in commas, logical, text)
            select.append(f'{value} AS "{column.name}"')
            select.append(f'{self._raw(index)} AS "raw__{column.name}"')
            select.append(f'{failed} AS "bad__{column.name}"')
            select.append(f'{why} AS "why__{column.name}"')
            mapped.append(column.name)
        if self.table == "customers":
            self._customer_columns(select, mapped)
        self._create_parsed(select)
        if self.table == "customers":
            self._filled_customer_columns(mapped)
        if self.table == "orders" and "refunded" in mapped and "status" in mapped:
            # a refund amount tells what the status word may not: all or part refunded
            self.sql(
                f"UPDATE parsed SET status = {settled_by_refund('status', 'refunded', 'amount')} "
                "WHERE NOT bad__status"
            )
        if self.table == "orders" and "refunded" in mapped:
            # without a status column (a shop's sheet of amounts and refunds), as it says
            self.sql(
                "UPDATE parsed SET refunded = CASE WHEN status IN ('pending', 'cancelled') "
                "THEN 0 WHEN status = 'refunded' THEN coalesce(refunded, amount) "
                "ELSE coalesce(refunded, 0) END"
                if "status" in mapped
                else "UPDATE parsed SET refunded = coalesce(refunded, 0)"
            )
        if self.table == "events" and "event_id" not in mapped:
            # a stable id, so importing the same events twice does not double them
            self.sql("ALTER TABLE parsed ADD COLUMN event_id VARCHAR")
            self.sql("ALTER TABLE parsed ADD COLUMN raw__event_id VARCHAR")
            self.sql("ALTER TABLE parsed ADD COLUMN bad__event_id BOOLEAN DEFAULT false")
            self.sql("ALTER TABLE parsed ADD COLUMN why__event_id VARCHAR DEFAULT ''")
            mapped.append("event_id")
        if self.table == "events":
            channel = "coalesce(channel, '')" if "channel" in mapped else "''"
            self.sql(
                "UPDATE parsed SET event_id = md5(concat_ws('|', customer_id, "
                f"CAST(occurred_at AS VARCHAR), type, {channel})) WHERE event_id IS NULL"
            )
        return mapped

    def _create_parsed(self, select: list[str]) -> None:
        """The table ``parsed`` of the ``select`` list; a value DuckDB cannot convert is
        told naming its column (:mod:`kequn.ingest.value_failed`)."""
        cells = self._cells()
        query = f"CREATE OR REPLACE TEMP TABLE parsed AS SELECT {', '.join(select)} FROM {cells}"
        names = [attribute_name(self.staged.headers, i) for i in self.matched.extra]
        try:
            self.sql(query, extra_names=names)
        except value_failed.ENGINE_VALUE_ERRORS as exc:
            params = {**self.params, "extra_names": names}
            found = value_failed.failing(self.con, select, cells, self.staged.headers, params)
            raise value_failed.ValueFailed(found) from exc

    def _buyer_key(self, value: str) -> str:
        """An order's buyer: the id column, else (row by row: a walk-in buyer has no member
        number) the phone, else the e-mail, normalised so that 136 1111 2222 and
        13611112222 are one buyer and e-mails compare case-insensitively. A customers
        file's id column is the id as written; without one, its e-mail or phone gives the
        id an order export's buyer known by it gets."""
        columns = self.matched.columns
        fallback = self.matched.fallbacks.get("customer_id")
        # a phone or e-mail serving as an id is personal: the id is a keyed hash of it; a
        # row without the one the ids come from is known by the other (a member list's
        # customer with a phone only was refused, missing_required, when an e-mail column
        # gave the ids)
        prefix = "customer_" if self.table == "orders" else ""
        personal = {f"{prefix}phone": "kq_phone", f"{prefix}email": "kq_email"}
        others = [
            f"kq_pseudo({fn}({self._clean(columns[name])}))"
            for name, fn in personal.items()
            if name in columns and columns[name] != columns["customer_id"]
        ]
        if self.matched.own_id is not None:
            # a Shopify customer with neither: the platform's own id (columns.key_as_buyers)
            others.append(f"kq_id({self._clean(self.matched.own_id)})")
        if fallback in personal:
            return f"coalesce({', '.join([f'kq_pseudo({personal[fallback]}({value}))', *others])})"
        if self.table == "customers":
            return value  # a member number is the id as written
        # a masked value (138****6688, 李**) is no one's id: different buyers look the same
        # once masked; without another key the row is quarantined (validate: masked_buyer)
        plain = f"CASE WHEN kq_masked({value}) THEN NULL ELSE {value} END"
        return f"coalesce({plain}, {', '.join(others)})" if others else plain
