"""Import a file into the workspace: every good row kept, every bad row quarantined with a reason.

The whole import runs inside one :meth:`Workspace.write` block, so it is atomic: a
process killed half-way leaves the workspace as it was. Rows are upserted by id, so
importing the same or an overlapping file again changes nothing that did not change.

Validation happens in three passes, each on the rows the one before left standing:

1. cells: required values present and readable; optional values that cannot be read are
   emptied and reported as warnings (the row is kept), never silently dropped;
2. duplicates: a second row with an id already seen in the file is quarantined;
3. references: orders and events of unknown customers are quarantined, unless customers
   are derived from the orders' own buyer columns (``create_customers``; by default for
   a platform's order export, and for any file whose source has no customers file).
"""

from __future__ import annotations

import copy
import datetime as dt
import fcntl
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import duckdb

from kequn.core.gcpause import gc_paused
from kequn.core.i18n import t
from kequn.core.schema import TABLES
from kequn.ingest import formats, reasons, value_failed
from kequn.ingest.aftersale import AfterSalePass
from kequn.ingest.columns import (
    held_as_given,
    key_as_buyers,
    profile_columns,
    profile_for,
    refuse_after_sale,
    refuse_format,
    refuse_unusable,
    require_columns,
)
from kequn.ingest.convert import choice_params, install_macros, plain_key
from kequn.ingest.mapping import (
    MappingFile,
    MappingResult,
    attribute_name,
    duplicate_headers,
    match_headers,
    shown_columns,
    shown_header,
)
from kequn.ingest.origin_pass import (
    SOURCE_NAME_RE,
    OriginPass,
    import_origins,
    record_origin,
    shop_source,
)
from kequn.ingest.parse import ParsePass
from kequn.ingest.readers import SourceError, StagedSource, check_table, stage
from kequn.ingest.report import ImportReport
from kequn.ingest.shape import install_macros as install_shape_macros
from kequn.ingest.shape import shape, status_words
from kequn.store.files import sweep_spill_folders
from kequn.store.workspace import Workspace

__all__ = [
    "SOURCE_NAME_RE",
    "ImportReport",
    "import_file",
    "import_origins",
    "import_staged",
    "shop_source",
]


Progress = Callable[[str, int], None]


@gc_paused
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
    origin: str | None = None,
    default_origin: bool = True,
) -> ImportReport:
    """Validate ``path`` and upsert its good rows into ``table`` (customers, orders or events).

    An order export of a known platform is recognised by its headers (or named with
    ``format``) and shaped by that platform's profile first (:mod:`kequn.ingest.shape`).
    With ``origin`` (a source's name) the records are that source's, and without it a
    platform export's are the platform's (``default_origin``): see :func:`import_staged`.
    """
    check_table(table)
    refuse_format(table, format or (mapping.format if mapping else None))
    path = Path(path).resolve()
    import_id = dt.datetime.now().strftime("%Y%m%d%H%M%S-") + uuid.uuid4().hex[:6]
    sweep_stages(ws.tmp_dir)
    # and a killed import's DuckDB spill folder: otherwise only a run removed them
    sweep_spill_folders(ws.tmp_dir)
    workdir = ws.tmp_dir / f"import-{import_id}"
    workdir.mkdir(parents=True, exist_ok=True)
    claim = claim_stage(workdir)
    notify = progress or (lambda _stage, _n: None)
    try:
        staged = stage(
            path,
            workdir,
            encoding=encoding or (mapping.encoding if mapping else None),
            sheet=sheet or (mapping.sheet if mapping else None),
            progress=lambda n: notify("read", n),
            header_row=header_row or (mapping.header_row if mapping else None),
            check=lambda found: refuse_unusable(
                table, path, found, mapping, format or (mapping.format if mapping else None)
            ),
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
            origin=origin,
            default_origin=default_origin,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        claim.close()


def claim_stage(workdir: Path) -> IO[str]:
    """Hold a lock on an import's staging folder while the import runs (closing the
    returned file releases it), so :func:`sweep_stages` can tell live ones from leftovers."""
    handle = (workdir / ".lock").open("w")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def sweep_stages(tmp_dir: Path) -> None:
    """Remove staging folders that imports killed half-way left behind: their rows (the
    raw file, personal data included) must not stay on disk. A folder whose lock is held
    belongs to a running import and is left alone."""
    for folder in [*tmp_dir.glob("import-*"), *tmp_dir.glob("retry-*")]:
        lock = folder / ".lock"
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except BlockingIOError:
            continue
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)


@gc_paused
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
    origin: str | None = None,
    default_origin: bool = True,
    sourced_check: bool | None = None,
) -> ImportReport:
    """Validate and upsert rows already staged (a file just read, or quarantined rows
    read again by :func:`retry_quarantine`); ``name`` is the file's name as reported.

    ``origin`` names the source the rows come from (``tmall_flagship``): their ``origin`` is
    that name and their ids are the source's own, stored as ``NAME:ID`` (customer, order and
    event ids, and the customer ids of orders and events), so ``C001`` of one source and
    ``C001`` of another stay two customers.

    Without it, an export read by a platform profile is that platform's source
    (``taobao``, or ``taobao_<shop>`` when the export names its shop: see
    :meth:`OriginPass._default_source`), unless ``default_origin`` is false or the workspace
    already holds these buyers or this platform's orders without a source (a workspace
    imported before sources existed keeps its ids, so importing the same file again
    duplicates nobody). Any other file's ids are kept as given. Each import's source is
    recorded in ``import_origins``, so retrying its quarantined rows keeps it.
    ``sourced_check``: whether rows naming a customer stored only as a source's are
    held (:meth:`OriginPass._check_sourced_customers`; None: as ``default_origin``)."""
    if origin is not None and not SOURCE_NAME_RE.fullmatch(origin):
        raise SourceError(t("sources.bad_name", name=origin))
    notify = notify or (lambda _stage, _n: None)
    path = Path(name)
    # a mapping that names columns is the user's word on them: no profile is guessed
    named = format or (mapping.format if mapping else None)
    guess = not (mapping and mapping.columns)
    profile = profile_for(table, staged, named, guess=guess)
    # a platform's customers export: keyed as its order export keys the same buyers
    keyed: tuple[formats.Profile, list[str]] | None = None
    plain: MappingResult | None = None  # its columns as any customers file's
    if profile is not None:
        found = profile_columns(table, staged, profile, path)
        matched = MappingResult(columns={c: i[0] for c, i in found.items()})
    else:
        found = {}
        matched = match_headers(table, staged.headers, mapping)
        if guess:  # columns the user mapped are their word that the rows are orders
            refuse_after_sale(table, path, staged, matched)
            plain = copy.deepcopy(matched)
            keyed = key_as_buyers(table, staged, matched)
        require_columns(table, path, staged, matched)
    report = _report(ws, table, staged, path, import_id, matched, profile, keyed)
    if day_first is None:
        day_first = (
            mapping.day_first
            if mapping and mapping.day_first is not None
            else (ws.settings.day_first)
        )
    overrides = dict(mapping.statuses) if mapping else {}
    values = {
        "channel": dict(mapping.channels) if mapping else {},
        "source": dict(mapping.sources) if mapping else {},
    }
    with ws.write() as con:
        own_id = matched.own_id if plain is not None and origin is None else None
        if plain is not None and own_id is not None and held_as_given(con, staged, own_id):
            matched, keyed = plain, None  # as imported before: ids as given
            report = _report(ws, table, staged, path, import_id, matched, profile, keyed)
            report.notes.append(reasons.note("import.source_kept_ids"))
        notify("validate", 0)
        job = _Import(con, ws, table, staged, matched, report, bool(day_first), overrides)
        # the mapping file's own words for channels and sources
        job.value_maps = frozenset(column for column, words in values.items() if words)
        for column in job.value_maps:
            job.params[f"{column}_map_keys"] = [plain_key(k) for k in values[column]]
            job.params[f"{column}_map_vals"] = list(values[column].values())
        job.origin = origin
        job.params["origin"] = origin
        job.default_origin = default_origin and origin is None
        job.sourced_check = sourced_check
        job.keyed_as = keyed[0] if keyed else None
        job.run_told(path.name, create_customers, notify, profile, found)
        report.duplicate_headers = duplicate_headers(staged.headers, job.matched)
        record_origin(con, import_id, job.origin, defaulted=origin is None)
    return report


def _report(
    ws: Workspace,
    table: str,
    staged: StagedSource,
    path: Path,
    import_id: str,
    matched: MappingResult,
    profile: formats.Profile | None,
    keyed: tuple[formats.Profile, list[str]] | None,
) -> ImportReport:
    """An import's report as the file's reading left it: the rows read, the format, and
    what each column was taken for (the validation and writing fill in the rest)."""
    # the rows read: those with the wrong number of fields, or the line of a quote never
    # closed, were read too (and are quarantined)
    read = staged.rows + len(staged.ragged) + (staged.unclosed is not None)
    report = ImportReport(import_id, table, path.name, staged.encoding, rows=read)
    report.header_row = staged.header_row
    report.workspace_currency = ws.settings.currency
    report.skipped = list(staged.skipped)
    report.sheets = list(staged.sheets)
    if profile is not None:
        report.format = profile.id
        report.format_name = {"zh": profile.zh, "en": profile.en}
    elif keyed is not None and keyed[0].customers_export is not None:
        export = keyed[0].customers_export
        report.format = keyed[0].id
        report.format_name = {"zh": export.zh, "en": export.en}
        report.buyer_key = [staged.headers[matched.columns[c]] for c in keyed[1]]
    report.headers = list(staged.headers)
    report.mapping = {
        c: shown_columns(staged.headers, matched, i) for c, i in matched.columns.items()
    }
    if matched.name_parts:
        report.mapping["name"] = " + ".join(staged.headers[i] for i in matched.name_parts[:2])
    report.attributes = [attribute_name(staged.headers, i) for i in matched.extra]
    report.ignored = [shown_header(staged.headers, i) for i in matched.ignored]
    report.fallbacks = dict(matched.fallbacks)
    return report


class _Import(ParsePass, AfterSalePass, OriginPass):
    """One import: parse, validate, quarantine, write (see the passes' modules)."""

    #: the order profile a platform's customers export is keyed as (columns.key_as_buyers):
    #: its rows take that profile's source as the order export's do
    keyed_as: formats.Profile | None = None

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

    def run_told(self, name: str, *args: Any) -> None:
        """:meth:`run`, a value DuckDB cannot convert told as this import's failure of
        file ``name`` (the write is rolled back: nothing is kept)."""
        try:
            self.run(*args)
        except value_failed.ValueFailed as exc:
            raise value_failed.told(name, exc.headers) from exc
        except value_failed.ENGINE_VALUE_ERRORS as exc:
            raise value_failed.told(name) from exc

    def run(
        self,
        create_customers: bool | None,
        notify: Progress,
        profile: formats.Profile | None = None,
        found: dict[str, list[int]] | None = None,
    ) -> None:
        install_macros(self.con)
        install_shape_macros(self.con, self.ws.secret_key())
        self.line_items = bool(profile and profile.line_items)
        self._register_raw()
        if profile is not None and profile.kind == "refunds":
            # a platform's after-sale export: refunds of stored orders (aftersale.py)
            self._after_sale(profile, found or {})
            notify("write", self.report.accepted)
            return
        shaped = None
        if profile is not None:
            shaped = shape(
                self.con,
                len(self.staged.headers),
                profile,
                found or {},
                self.statuses,
                self.staged.headers,
            )
            self._shaped(profile, shaped, found or {})
        columns = self._parse()
        platform = profile or self.keyed_as
        if self.origin is None and self.default_origin and platform is not None:
            self._default_source(platform, found or {})
        if self.origin is not None:
            self._namespace(columns)
        self.report.origin = self.origin
        notify("validate", self.staged.rows)
        self._check_cells(columns)
        self._check_summed_cells(profile if shaped is not None else None, found or {})
        if shaped is not None and self.table == "orders" and len(shaped.currencies) > 1:
            self._other_currencies(shaped.currencies)
        elif shaped is None and self.table == "orders" and "amount" in columns:
            self._marked_currencies()
        self._unknown_statuses()
        self._check_duplicates(columns)
        self._check_refunds(columns)
        self._check_sourced_customers(platform)
        if self.table in {"orders", "events"}:
            if create_customers is None:
                # a platform's order export names its buyers (an e-mail, a phone, a member
                # name): one missing from the shop's customers export (taken a day
                # earlier) is a customer all the same. Only other order files are held to
                # the customers file of their source, whose ids they use
                platform_orders = shaped is not None and self.table == "orders"
                create_customers = platform_orders or not self._has_customers()
            if create_customers and self.table == "orders":
                self.report.derived_customers = self._derive_customers()
            elif create_customers:
                self.report.derived_customers = self._derive_event_customers()
            if self.table == "orders":
                self._carry_consent()
            self._check_references()
        self._fold_refunds(columns)
        notify("write", 0)
        self._quarantine()
        self._keep_applied_refunds(columns)
        self._keep_stored_refunds(columns)
        self._upsert(columns)
        if shaped is not None and self.table == "orders":
            self._lines(found or {})
        self._log()
        notify("write", self.report.accepted)

    def _check_summed_cells(
        self, profile: formats.Profile | None, found: dict[str, list[int]]
    ) -> None:
        """A cell of an item row that an order's value adds up (its amount, shipping or
        promotion, its quantity) and that is no number is told as a warning naming its
        row and header. The sum leaves it out (an order keeps what its other rows say),
        where the order's own cell would have been told when parsed; before, an Amazon
        row's shipping-price of "abc" was read as nothing without a word. Nothing for a
        file not shaped by a profile of item rows."""
        if profile is None or not profile.line_items:
            return
        summed = ["line_amount", "line_price", "shipping_fee", "wrap_fee", "shipping_discount"]
        summed += [
            name
            for name, scope in (
                ("amount", profile.amount_scope),
                ("discount", profile.discount_scope),
                ("refund_amount", profile.refund_scope),
            )
            if scope == "line"
        ]
        checks = [(name, "kq_money", reasons.BAD_MONEY) for name in summed]
        checks.append(("line_quantity", "kq_int", reasons.BAD_NUMBER))
        done: set[int] = set()
        for name, macro, reason in checks:
            for index in found.get(name, []):
                if index in done:
                    continue
                done.add(index)
                cell = f"kq_clean(c{int(index)})"
                self.sql(
                    f"""INSERT INTO problems SELECT _row, $header, $reason, 'warning', {cell},
                        NULL FROM kq_rows WHERE NOT kq_blank({cell}) AND NOT kq_masked({cell})
                        AND NOT kq_undisclosed({cell}) AND {macro}({cell}) IS NULL""",
                    header=self.staged.headers[index],
                    reason=reason,
                )

    def _has_customers(self) -> bool:
        """Whether this file's customers are a customers file's (of its source: a
        source's orders refer to that source's customers only): then an order naming
        another customer is quarantined as unknown. Customers derived from earlier order
        or interaction exports do not count, so next month's export derives its new
        buyers as the first one did (they were all quarantined as unknown)."""
        row = self.con.execute(
            """SELECT EXISTS (SELECT 1 FROM customers c JOIN imports i USING (import_id)
            WHERE i."table" = 'customers' AND c.origin IS NOT DISTINCT FROM ?)""",
            [self.origin],
        ).fetchone()
        return bool(row and row[0])
