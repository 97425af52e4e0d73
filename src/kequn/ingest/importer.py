"""Import a file into the workspace: every good row kept, every bad row quarantined with a reason.

The whole import runs inside one :meth:`Workspace.write` block, so it is atomic: a
process killed half-way leaves the workspace as it was. Rows are upserted by id, so
importing the same or an overlapping file again changes nothing that did not change.

Validation happens in three passes, each on the rows the one before left standing:

1. cells: required values present and readable; optional values that cannot be read are
   emptied and reported as warnings (the row is kept), never silently dropped;
2. duplicates: a second row with an id already seen in the file is quarantined;
3. references: orders and events of unknown customers are quarantined, unless customers
   are derived from the orders' own buyer columns (``create_customers``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kequn.core.i18n import t
from kequn.core.schema import TABLES, Column
from kequn.ingest import formats
from kequn.ingest.convert import choice_params, fragment, install_macros
from kequn.ingest.mapping import (
    BUYER_COLUMNS,
    UNIT_FACTORS,
    MappingFile,
    MappingResult,
    match_headers,
)
from kequn.ingest.readers import SourceError, StagedSource, stage
from kequn.ingest.shape import Shaped, line_rows, shape, status_words
from kequn.ingest.shape import install_macros as install_shape_macros
from kequn.store.workspace import Workspace

Progress = Callable[[str, int], None]

_CHOICES = {"gender": "gender", "kind": "kind", "status": "status"}
#: a totals row's first cells: 合计, 总计, 小计, 共计, Total ...
_TOTAL_RE = r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|total|totals|grand total|sum)(\s|:|：|$)"
_INSERT_DEFAULTS = {"orders": {"status": "'paid'"}}
# How a derived customer's province and city are read from a Chinese shipping address.
_PROVINCE_RE = r"^\s*([^\s省]{2,7}省|[^\s]{2,10}?自治区|北京|上海|天津|重庆|香港|澳门)"
_CITY_RE = r"^(?:市)?\s*([^\s市]{1,8}?(?:市|自治州|地区|盟))"


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
    rejected: int = 0
    warnings: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    warnings_by_reason: dict[str, int] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    fallbacks: dict[str, str] = field(default_factory=dict)
    derived_customers: int = 0
    headers: list[str] = field(default_factory=list)
    format: str | None = None  # the platform profile used (see kequn.ingest.formats)
    format_name: dict[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}
    buyer_key: list[str] = field(default_factory=list)  # headers that identified buyers
    notes: list[str] = field(default_factory=list)  # message keys: what to know
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    currencies: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)  # total rows, not orders
    header_row: int = 1
    workspace_currency: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_file(
    ws: Workspace,
    table: str,
    path: Path,
    *,
    mapping: MappingFile | None = None,
    encoding: str | None = None,
    day_first: bool | None = None,
    create_customers: bool | None = None,
    progress: Progress | None = None,
    format: str | None = None,
    header_row: int | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Validate ``path`` and upsert its good rows into ``table`` (customers, orders or events).

    An order export of a known platform is recognised by its headers (or named with
    ``format``) and shaped by that platform's profile first (:mod:`kequn.ingest.shape`).
    """
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}")
    path = Path(path).resolve()
    import_id = dt.datetime.now().strftime("%Y%m%d%H%M%S-") + uuid.uuid4().hex[:6]
    workdir = ws.tmp_dir / f"import-{import_id}"
    workdir.mkdir(parents=True, exist_ok=True)
    notify = progress or (lambda _stage, _n: None)
    try:
        staged = stage(
            path,
            workdir,
            encoding=encoding or (mapping.encoding if mapping else None),
            sheet=sheet or (mapping.sheet if mapping else None),
            progress=lambda n: notify("read", n),
            header_row=header_row or (mapping.header_row if mapping else None),
        )
        return import_staged(
            ws,
            table,
            staged,
            path.name,
            import_id=import_id,
            mapping=mapping,
            day_first=day_first,
            create_customers=create_customers,
            notify=notify,
            format=format,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def import_staged(
    ws: Workspace,
    table: str,
    staged: StagedSource,
    name: str,
    *,
    import_id: str,
    mapping: MappingFile | None = None,
    day_first: bool | None = None,
    create_customers: bool | None = None,
    notify: Progress | None = None,
    format: str | None = None,
) -> ImportReport:
    """Validate and upsert rows already staged (a file just read, or quarantined rows
    read again by :func:`retry_quarantine`); ``name`` is the file's name as reported."""
    notify = notify or (lambda _stage, _n: None)
    path = Path(name)
    # a mapping that names columns is the user's word on them: no profile is guessed
    named = format or (mapping.format if mapping else None)
    guess = not (mapping and mapping.columns)
    profile = _profile(table, staged, named, guess=guess)
    if profile is not None:
        found = profile.match(staged.headers)
        # what the profile does not name, kequn's own synonyms may (下单时间 for the time)
        general = match_headers(table, staged.headers)
        taken = {i for idx in found.values() for i in idx}
        for canonical, index in general.columns.items():
            if canonical not in found and index not in taken and canonical != "customer_id":
                found[canonical] = [index]
                taken.add(index)
        if "order_id" not in found:
            raise SourceError(t("import.format_no_order_id", file=path.name, format=profile.id))
        matched = MappingResult(columns={c: i[0] for c, i in found.items()})
    else:
        found = {}
        matched = match_headers(table, staged.headers, mapping)
        _require_columns(table, path, staged, matched)
    report = ImportReport(import_id, table, path.name, staged.encoding, rows=staged.rows)
    report.header_row = staged.header_row
    report.workspace_currency = ws.settings.currency
    report.skipped = list(staged.skipped)
    if profile is not None:
        report.format = profile.id
        report.format_name = {"zh": profile.zh, "en": profile.en}
    report.headers = list(staged.headers)
    report.mapping = {c: staged.headers[i] for c, i in matched.columns.items()}
    report.attributes = [staged.headers[i] for i in matched.extra]
    report.ignored = [staged.headers[i] for i in matched.ignored]
    report.fallbacks = dict(matched.fallbacks)
    if day_first is None:
        day_first = (
            mapping.day_first
            if mapping and mapping.day_first is not None
            else (ws.settings.day_first)
        )
    overrides = dict(mapping.statuses) if mapping else {}
    with ws.write() as con:
        notify("validate", 0)
        job = _Import(con, ws, table, staged, matched, report, bool(day_first), overrides)
        job.run(create_customers, notify, profile, found)
    return report


def _profile(
    table: str, staged: StagedSource, name: str | None, *, guess: bool = True
) -> formats.Profile | None:
    """The export profile for an order file: the one named, else the one detected."""
    if table != "orders" or not staged.positional:
        return None
    if name:
        try:
            return formats.get(name)
        except formats.ProfileError as exc:
            raise SourceError(str(exc)) from exc
    return formats.detect(staged.headers) if guess else None


def _require_columns(table: str, path: Path, staged: StagedSource, matched: MappingResult) -> None:
    spec = TABLES[table]
    found = ", ".join(h or "?" for h in staged.headers) or "-"
    if not matched.columns:
        expected = ", ".join(f"{c.name} ({c.zh})" for c in spec.columns if c.required)
        raise SourceError(
            t("import.no_usable_column", file=path.name, expected=expected, found=found)
        )
    missing = [c for c in spec.columns if c.required and c.name not in matched.columns]
    # events may lack an id (one is derived); customers and orders may not
    missing = [c for c in missing if not (table == "events" and c.name == "event_id")]
    if missing:
        names = ", ".join(f"{c.name} ({c.zh} / {c.en})" for c in missing)
        raise SourceError(t("import.missing_required", file=path.name, missing=names, found=found))


class _Import:
    """One import's SQL, run on a writer connection. Identifiers are kequn's own."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        ws: Workspace,
        table: str,
        staged: StagedSource,
        matched: MappingResult,
        report: ImportReport,
        day_first: bool,
        statuses: dict[str, str] | None = None,
    ) -> None:
        self.con = con
        self.ws = ws
        self.table = table
        self.spec = TABLES[table]
        self.staged = staged
        self.matched = matched
        self.report = report
        self.params: dict[str, Any] = {"tz": ws.settings.timezone, "day_first": day_first}
        for kind in ("gender", "kind", "bool"):
            self.params.update(choice_params(kind))
        self.statuses = statuses or {}
        words = status_words(None, self.statuses)
        self.params.update({"status_keys": list(words), "status_vals": list(words.values())})

    def sql(self, query: str, **extra: Any) -> duckdb.DuckDBPyConnection:
        # bind only the parameters the statement names, as DuckDB requires
        params = {**self.params, **extra}
        used = {k: v for k, v in params.items() if f"${k}" in query}
        return self.con.execute(query, used)

    # -- the passes ----------------------------------------------------------------
    def run(
        self,
        create_customers: bool | None,
        notify: Progress,
        profile: formats.Profile | None = None,
        found: dict[str, list[int]] | None = None,
    ) -> None:
        install_macros(self.con)
        install_shape_macros(self.con)
        self._register_raw()
        shaped = None
        if profile is not None:
            shaped = shape(self.con, len(self.staged.headers), profile, found or {}, self.statuses)
            self._shaped(profile, shaped, found or {})
        columns = self._parse()
        notify("validate", self.staged.rows)
        self._check_cells(columns)
        self._unknown_statuses()
        self._check_duplicates()
        if self.table in {"orders", "events"}:
            if create_customers is None:
                create_customers = not self._has_customers()
            if create_customers and self.table == "orders":
                self.report.derived_customers = self._derive_customers()
            elif create_customers:
                self.report.derived_customers = self._derive_event_customers()
            self._check_references()
        notify("write", 0)
        self._quarantine()
        self._upsert(columns)
        if shaped is not None and self.table == "orders":
            self._lines(found or {})
        self._log()
        notify("write", self.report.accepted)

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

    def _skip_non_data(self) -> None:
        """Rows that are not records, left out with a note: a totals row (合计, 总计,
        Total ...) and, in a sheet of several columns, a row with one filled cell (a
        footnote such as 制表人: ...)."""
        width = len(self.staged.headers)
        if not self.staged.positional or width == 0:
            self.con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_file")
            return
        first = [f"kq_text(c{i})" for i in range(min(width, 3))]
        total = " OR ".join(f"regexp_matches(lower(coalesce({c}, '')), $total_re)" for c in first)
        filled = " + ".join(f"(NOT kq_blank(c{i}))::INT" for i in range(width))
        lone = f"({filled}) <= 1" if width >= 4 else "false"
        text = "concat_ws(' ', " + ", ".join(f"kq_text(c{i})" for i in range(width)) + ")"
        self.sql(
            f"CREATE OR REPLACE TEMP TABLE kq_skipped AS SELECT _row, left({text}, 80) AS text "
            f"FROM raw_file WHERE ({total}) OR {lone}",
            total_re=_TOTAL_RE,
        )
        self.con.execute(
            "CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_file "
            "ANTI JOIN kq_skipped USING (_row)"
        )
        for row, text in self.con.execute(
            "SELECT _row, text FROM kq_skipped ORDER BY 1"
        ).fetchall():
            self.report.skipped.append({"row": int(row), "text": text or ""})

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
        self.report.buyer_key = [
            " / ".join(headers[i] for i in found[key]) for key in shaped.buyer_key if key in found
        ]
        self.report.notes = list(shaped.notes)
        if not self.report.buyer_key:
            self.report.notes.append("import.key_missing")
        self.report.lines = shaped.lines
        self.report.currencies = dict(shaped.currencies)
        mine = self.ws.settings.currency.upper()
        if any(c != mine for c in shaped.currencies) or (
            not shaped.currencies and profile.currency and profile.currency.upper() != mine
        ):
            self.report.notes.append("import.currency_differs")
        used = {i for idx in found.values() for i in idx}
        self.report.ignored = [h for i, h in enumerate(headers) if i not in used]
        self.report.attributes = []

    def _unknown_statuses(self) -> None:
        rows = self.con.execute(
            "SELECT value, count(*) FROM problems WHERE \"column\" = 'status' "
            "AND reason = 'bad_choice' GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        self.report.unknown_statuses = {str(v): int(n) for v, n in rows if v is not None}

    def _lines(self, found: dict[str, list[int]]) -> None:
        query = line_rows(self.con, found)
        if query is None:
            return
        self.sql("DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM accepted)")
        self.sql(
            f"""INSERT INTO order_lines (order_id, line, sku, title, quantity, price, amount,
                source_file, source_row, import_id)
            SELECT l.*, $file, NULL, $import_id FROM ({query}) l
            SEMI JOIN accepted a ON a.order_id = l.order_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )

    def _columns(self) -> list[Column]:
        cols = list(self.spec.columns)
        if self.table == "orders":
            cols += [Column(name, "string", name, name) for name in BUYER_COLUMNS]
        return cols

    def _parse(self) -> list[str]:
        select = ["_row"]
        mapped: list[str] = []
        for column in self._columns():
            if column.name == "attributes" or column.name not in self.matched.columns:
                continue
            source = f"c{self.matched.columns[column.name]}"
            logical = _CHOICES.get(column.name, column.kind)
            text = self.types[source].upper().startswith("VARCHAR")
            frag = fragment(f"kq_text({source})" if text else source, logical, self.types[source])
            value = frag.value
            if column.kind == "money" and self.matched.units.get(column.name) in UNIT_FACTORS:
                factor = UNIT_FACTORS[self.matched.units[column.name]]
                value = f"CAST({value} * {int(factor)} AS DECIMAL(18, 2))"
            if column.name == "status":
                value = f"coalesce({value}, 'paid')"
            if self.table == "orders" and column.name == "customer_id" and text:
                value = self._buyer_key(value)
            select.append(f'{value} AS "{column.name}"')
            select.append(f'CAST({source} AS VARCHAR) AS "raw__{column.name}"')
            select.append(f'{frag.failed or "false"} AS "bad__{column.name}"')
            select.append(f"'{frag.reason or ''}' AS \"why__{column.name}\"")
            mapped.append(column.name)
        if self.table == "customers":
            attrs = self._attributes_sql()
            if attrs:
                select.append(f"{attrs} AS attributes")
                mapped.append("attributes")
        self.sql(
            f"CREATE OR REPLACE TEMP TABLE parsed AS SELECT {', '.join(select)} FROM raw",
            extra_names=[self.staged.headers[i] for i in self.matched.extra],
        )
        if self.table == "orders" and "refunded" in mapped and "status" in mapped:
            # a refund amount tells what the status word may not: all or part refunded
            self.sql(
                """UPDATE parsed SET status = CASE
                    WHEN status = 'cancelled' THEN 'refunded'
                    WHEN refunded >= amount THEN 'refunded'
                    ELSE 'partially_refunded' END
                WHERE refunded > 0 AND status IN ('paid', 'cancelled') AND NOT bad__status"""
            )
        if self.table == "orders" and "refunded" in mapped:
            self.sql(
                "UPDATE parsed SET refunded = CASE WHEN status IN ('pending', 'cancelled') "
                "THEN 0 WHEN status = 'refunded' THEN coalesce(refunded, amount) "
                "ELSE coalesce(refunded, 0) END"
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

    def _buyer_key(self, value: str) -> str:
        """An order's buyer: the id column, else (row by row: a walk-in buyer has no member
        number) the phone, else the e-mail, normalised so that 136 1111 2222 and
        13611112222 are one buyer and e-mails compare case-insensitively."""
        columns = self.matched.columns
        fallback = self.matched.fallbacks.get("customer_id")
        if fallback == "customer_phone":
            return f"coalesce(kq_phone({value}), {value})"
        if fallback == "customer_email":
            return f"coalesce(kq_email({value}), {value})"
        alts = [
            f"{fn}(kq_text(c{columns[name]}))"
            for name, fn in (("customer_phone", "kq_phone"), ("customer_email", "kq_email"))
            if name in columns and columns[name] != columns["customer_id"]
        ]
        return f"coalesce({value}, {', '.join(alts)})" if alts else value

    def _attributes_sql(self) -> str | None:
        parts = []
        if "attributes" in self.matched.columns:
            source = f"c{self.matched.columns['attributes']}"
            if self.types[source].upper().startswith("MAP"):
                parts.append(f"CAST({source} AS MAP(VARCHAR, VARCHAR))")
        if self.matched.extra:
            values = ", ".join(f"kq_text(c{i})" for i in self.matched.extra)
            parts.append(
                "map_from_entries(list_filter(list_zip($extra_names::VARCHAR[], "
                f"[{values}]), lambda x: x[2] IS NOT NULL))"
            )
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else f"map_concat({parts[0]}, {parts[1]})"

    def _problem(
        self,
        where: str,
        column: str,
        reason: str,
        severity: str,
        value: str = "NULL",
        detail: str = "NULL",
        **params: Any,
    ) -> None:
        self.sql(
            f"INSERT INTO problems SELECT _row, '{column}', '{reason}', '{severity}', "
            f"{value}, {detail} FROM parsed WHERE {where}",
            **params,
        )

    def _check_cells(self, columns: list[str]) -> None:
        self.sql(
            'CREATE OR REPLACE TEMP TABLE problems ("row" BIGINT, "column" VARCHAR, '
            "reason VARCHAR, severity VARCHAR, value VARCHAR, detail VARCHAR)"
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
                self._problem(
                    f'"{name}" IS NULL AND kq_blank("raw__{name}")',
                    name,
                    "missing_required",
                    "rejected",
                )
            self._problem(
                f'"bad__{name}"',
                name,
                f"' || \"why__{name}\" || '",
                severity,
                value=f'"raw__{name}"',
                detail="$allowed" if allowed else "NULL",
                **({"allowed": allowed} if allowed else {}),
            )
        time_col = {"orders": "ordered_at", "events": "occurred_at", "customers": "created_at"}
        when = time_col[self.table]
        if when in columns:
            future = f"{when} > timezone($tz, now()) + INTERVAL 1 DAY"
            severity = "warning" if self.table == "customers" else "rejected"
            self._problem(future, when, "future_date", severity, value=f"CAST({when} AS VARCHAR)")
            if severity == "warning":
                self.sql(f"UPDATE parsed SET {when} = NULL WHERE {future}")
        if self.table == "orders":
            refund = "status = 'refunded'" if "status" in columns else "false"
            self._problem(
                f"amount < 0 AND NOT ({refund})",
                "amount",
                "negative_amount",
                "rejected",
                value="CAST(amount AS VARCHAR)",
            )

    def _rejected_rows(self) -> str:
        return "(SELECT \"row\" FROM problems WHERE severity = 'rejected')"

    def _check_duplicates(self) -> None:
        key = self.spec.key
        self.sql(
            f"""INSERT INTO problems
            SELECT _row, '{key}', 'duplicate_id', 'rejected', "{key}", CAST(first_row AS VARCHAR)
            FROM (SELECT _row, "{key}", min(_row) OVER (PARTITION BY "{key}") AS first_row
                  FROM parsed WHERE "{key}" IS NOT NULL AND _row NOT IN {self._rejected_rows()})
            WHERE _row > first_row"""
        )

    def _has_customers(self) -> bool:
        row = self.con.execute("SELECT count(*) > 0 FROM customers").fetchone()
        return bool(row and row[0])

    def _check_references(self) -> None:
        self.sql(
            f"""INSERT INTO problems
            SELECT p._row, 'customer_id', 'unknown_customer', 'rejected', p.customer_id, NULL
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}"""
        )

    def _derive_customers(self) -> int:
        def buyer(name: str) -> str:
            return f'"{name}"' if name in self.matched.columns else "CAST(NULL AS VARCHAR)"

        address = buyer("customer_address")
        province = (
            f"coalesce({buyer('customer_province')}, NULLIF(regexp_extract({address}, "
            f"'{_PROVINCE_RE}', 1), ''))"
        )
        rest = f"substr({address}, length(regexp_extract({address}, '{_PROVINCE_RE}', 0)) + 1)"
        city = (
            f"coalesce({buyer('customer_city')}, NULLIF(regexp_extract({rest}, '{_CITY_RE}', 1), "
            f"''), CASE WHEN {province} IN ('北京', '上海', '天津', '重庆') THEN {province} END)"
        )
        before = self._count("customers")
        self.sql(
            f"""INSERT INTO customers (customer_id, name, phone, email, address, province, city,
                country, created_at, source_file, source_row, import_id)
            SELECT customer_id, arg_min({buyer("customer_name")}, _row),
                   arg_min({buyer("customer_phone")}, _row),
                   arg_min({buyer("customer_email")}, _row),
                   arg_min({address}, _row), arg_min({province}, _row), arg_min({city}, _row),
                   arg_min({buyer("customer_country")}, _row), min(ordered_at),
                   $file, min(_row), $import_id
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}
            GROUP BY customer_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )
        return self._count("customers") - before

    def _derive_event_customers(self) -> int:
        """A workspace made from interactions alone: each id seen becomes a customer (known
        since its first interaction), so prospects can be classified."""
        before = self._count("customers")
        self.sql(
            f"""INSERT INTO customers (customer_id, created_at, source_file, source_row, import_id)
            SELECT customer_id, min(occurred_at), $file, min(_row), $import_id
            FROM parsed p ANTI JOIN customers c ON c.customer_id = p.customer_id
            WHERE p.customer_id IS NOT NULL AND p._row NOT IN {self._rejected_rows()}
            GROUP BY customer_id""",
            file=self.report.file,
            import_id=self.report.import_id,
        )
        return self._count("customers") - before

    def _count(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def _quarantine(self) -> None:
        for line, text in self.staged.ragged:
            self.sql(
                "INSERT INTO problems VALUES ($line, NULL, 'bad_row', 'rejected', $text, NULL)",
                line=line,
                text=text[:500],
            )
        record = (
            "to_json(["
            + ", ".join(f"CAST(raw.c{i} AS VARCHAR)" for i in range(len(self.staged.headers)))
            + "])"
        )
        if self.staged.retried is None:
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
        self.sql(
            f"""INSERT INTO quarantine SELECT $import_id, $table, $file, pr."row", pr."column",
                pr.reason, pr.severity, pr.value, pr.detail, {record}
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
        totals = self.con.execute(
            "SELECT count(DISTINCT \"row\") FILTER (WHERE severity = 'rejected'), "
            "count(*) FILTER (WHERE severity = 'warning') FROM problems"
        ).fetchone()
        self.report.rejected = int(totals[0]) if totals else 0
        self.report.warnings = int(totals[1]) if totals else 0

    def _upsert(self, columns: list[str]) -> None:
        key = self.spec.key
        target = self.spec.name
        own = [c for c in columns if c in self.spec.names]
        self.sql(
            f"""CREATE OR REPLACE TEMP TABLE accepted AS SELECT * FROM parsed
            WHERE _row NOT IN {self._rejected_rows()} AND "{key}" IS NOT NULL"""
        )
        accepted = self._count("accepted")
        row = self.con.execute(
            f'SELECT count(*) FROM accepted a SEMI JOIN "{target}" t ON t."{key}" = a."{key}"'
        ).fetchone()
        updated = int(row[0]) if row else 0
        sets = []
        for name in own:
            if name == key:
                continue
            if name == "attributes":
                sets.append(
                    "attributes = map_concat(coalesce(t.attributes, CAST(MAP {} AS "
                    "MAP(VARCHAR, VARCHAR))), coalesce(a.attributes, CAST(MAP {} AS "
                    "MAP(VARCHAR, VARCHAR))))"
                )
            else:
                sets.append(f'"{name}" = a."{name}"')
        sets += ["source_file = $file", "source_row = a._row", "import_id = $import_id"]
        meta = {"file": self.report.file, "import_id": self.report.import_id}
        if updated:
            self.sql(
                f'UPDATE "{target}" AS t SET {", ".join(sets)} FROM accepted a '
                f'WHERE t."{key}" = a."{key}"',
                **meta,
            )
        defaults = {k: v for k, v in _INSERT_DEFAULTS.get(target, {}).items() if k not in own}
        names = own + list(defaults)
        values = [f'a."{n}"' for n in own] + list(defaults.values())
        self.sql(
            f'INSERT INTO "{target}" ({", ".join(chr(34) + n + chr(34) for n in names)}, '
            f"source_file, source_row, import_id) "
            f"SELECT {', '.join(values)}, $file, a._row, $import_id FROM accepted a "
            f'ANTI JOIN "{target}" t ON t."{key}" = a."{key}"',
            **meta,
        )
        self.report.accepted = accepted
        self.report.updated = updated
        self.report.inserted = accepted - updated

    def _log(self) -> None:
        r = self.report
        self.sql(
            """INSERT INTO imports VALUES ($import_id, $table, $file, $encoding, $started,
            now()::TIMESTAMP, $rows, $accepted, $inserted, $updated, $rejected, $warnings, $mapping,
            $headers)""",
            import_id=r.import_id,
            table=r.table,
            file=r.file,
            encoding=r.encoding,
            started=dt.datetime.now(),
            rows=r.rows,
            accepted=r.accepted,
            inserted=r.inserted,
            updated=r.updated,
            rejected=r.rejected,
            warnings=r.warnings,
            mapping=json.dumps(r.mapping, ensure_ascii=False),
            headers=json.dumps(r.headers, ensure_ascii=False),
        )
