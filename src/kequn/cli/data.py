"""Commands that create a workspace and bring data in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kequn.cli._app import (
    ROWS_MAX,
    JsonOpt,
    UsageMistake,
    WorkspaceOpt,
    _lang,
    _print_json,
    _progress,
    _ws,
    app,
    console,
    err,
)
from kequn.cli._help import KequnTyper
from kequn.cli._import_text import _table_name, print_import
from kequn.cli.analysis import _print_run, classify
from kequn.core import display
from kequn.core.i18n import did_you_mean, t
from kequn.core.schema import TABLES

#: whether an import (or a retry of its quarantined rows) makes the customers it names
CreateCustomersOpt = Annotated[
    bool | None,
    typer.Option(
        "--create-customers/--no-create-customers",
        help="Derive customers from an order export's buyer columns "
        "(default: when the workspace has no customers yet)",
    ),
]


@app.command()
def init(
    folder: Annotated[
        Path | None,
        typer.Argument(help="Folder to create the workspace in (the same as --workspace)"),
    ] = None,
    workspace: WorkspaceOpt = None,
    home_city: Annotated[
        str, typer.Option(help="The business's home city (for local/elsewhere).")
    ] = "上海",
    home_province: Annotated[str, typer.Option(help="Home province.")] = "上海",
    home_country: Annotated[str, typer.Option(help="Home country code.")] = "CN",
    currency: Annotated[str, typer.Option(help="Currency of amounts.")] = "CNY",
    timezone: Annotated[str, typer.Option(help="Time zone of the business.")] = "Asia/Shanghai",
) -> None:
    """Create a workspace: kequn.toml, an empty database and an editable taxonomy."""
    from kequn.store.workspace import Settings, Workspace, WorkspaceError, resolve_root

    if (
        folder is not None
        and workspace is not None
        and resolve_root(folder) != resolve_root(workspace)
    ):
        # `kequn init shop -w other`: which one was meant is anyone's guess
        raise WorkspaceError(t("ws.init_two_folders", folder=folder, workspace=workspace))
    root = resolve_root(folder if folder is not None else workspace)
    settings = Settings(
        home_country=home_country,
        home_city=home_city,
        home_province=home_province,
        currency=currency,
        timezone=timezone,
    )
    Workspace.init(root, settings)
    console.print(t("ws.created", path=root))


@app.command("import")
def import_(
    table: Annotated[str, typer.Argument(help="customers, orders or events")],
    file: Annotated[
        Path | None,
        typer.Argument(help="CSV, Excel (.xlsx, .xls) or Parquet file (or: --from)", exists=True),
    ] = None,
    workspace: WorkspaceOpt = None,
    mapping: Annotated[
        Path | None, typer.Option(help="YAML mapping file: columns: {canonical: header}")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Override the detected encoding (e.g. gb18030)")
    ] = None,
    day_first: Annotated[
        bool | None, typer.Option("--day-first/--month-first", help="How to read 03/01/2025")
    ] = None,
    create_customers: CreateCustomersOpt = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Platform export format (taobao, taobao_lines, taobao_refunds, jd, pdd, douyin, "
            "kuaishou, youzan, weidian, xiaohongshu, weixin_shop, shopify, woocommerce, "
            "woocommerce_aoe, amazon, generic); default: detected from the headers",
        ),
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option("--header-row", min=1, help="Row holding the headers (default: detected)"),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Excel sheet to read (default: detected)")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="The named source the records come from (e.g. tmall_flagship): its ids are "
            "its own, stored as NAME:ID. Default: a platform export is its platform's source "
            "(taobao, jd, ...); other files keep their ids as given",
        ),
    ] = None,
    no_source: Annotated[
        bool,
        typer.Option(
            "--no-source",
            help="Keep a platform export's ids as given instead of making it its platform's source",
        ),
    ] = False,
    from_url: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Read a database: postgresql://user@host/db or mysql://user@host/db "
            "(no password here: use --url-env or --url-file)",
        ),
    ] = None,
    url_env: Annotated[
        str | None, typer.Option("--url-env", help="Environment variable holding the database URL")
    ] = None,
    url_file: Annotated[
        Path | None,
        typer.Option("--url-file", help="File (mode 0600) whose first line is the database URL"),
    ] = None,
    db_table: Annotated[
        str | None, typer.Option("--table", help="Database table to read (schema.table)")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="SQL query to run on the database instead")
    ] = None,
    then_run: Annotated[
        bool,
        typer.Option(
            "--run",
            help="Then classify every customer, as `kequn run` does (stored models reused "
            "while fresh), in the same process: a nightly job's import and run in one start",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Validate a file (or a database table or query) and upsert its good rows; bad rows go
    to the quarantine with reasons."""
    from kequn.ingest.importer import import_file
    from kequn.ingest.mapping import MappingFile
    from kequn.store.access import audit

    # what the command line asks that cannot be is a usage mistake, exit 2, as click's
    # own errors (they exited 1, as if the file or the workspace were at fault)
    database = bool(from_url or url_env or url_file)
    if file is None and not database and table not in TABLES and Path(table).is_file():
        # `kequn import taobao.xlsx`: the file was taken for the table, and "give a file to
        # import" would answer a user who just gave one
        raise UsageMistake(t("import.table_first", file=table, known=", ".join(TABLES)))
    if table not in TABLES:  # `kequn import order FILE`
        said = t("import.bad_table", table=table, known=", ".join(TABLES))
        raise UsageMistake(did_you_mean(said, table, TABLES))
    if source and no_source:  # which was meant? (the source won without a word)
        raise UsageMistake(t("import.source_and_no_source", source=source))
    if database == (file is not None):
        raise UsageMistake(t("sources.file_or_database"))
    given = {
        "--format": format,
        "--encoding": encoding,
        "--sheet": sheet,
        "--header-row": header_row,
    }
    file_only = [name for name, value in given.items() if value]
    if database and file_only:  # they were ignored without a word
        raise UsageMistake(t("sources.file_options", options=", ".join(file_only)))
    ws = _ws(workspace)
    mapping_file = MappingFile.load(mapping) if mapping else None
    if database:
        from kequn.ingest.sources import import_database, resolve_url

        location = resolve_url(from_url, url_env, url_file)
        with _progress() as progress:
            task = progress.add_task(t("sources.reading", source=location.masked), total=None)
            done = import_database(
                ws,
                table,
                location,
                table=db_table,
                query=query,
                origin=source,
                default_origin=not no_source,
                mapping=mapping_file,
                day_first=day_first,
                create_customers=create_customers,
                progress=lambda _stage, rows: progress.update(task, completed=rows),
            )
        # the database's table, or "query": never its address (`kequn sources` shows none)
        audit(ws, "cli", "import", {"table": table, "database": db_table or "query"})
        _imported(ws, done.report, then_run, as_json)
        return
    assert file is not None
    if sheet:
        from kequn.ingest.file_kind import has_sheets

        if has_sheets(file) is False:  # a text file's or Parquet's: ignored without a word
            said = t("import.sheet_without_sheets", option="--sheet", file=file.name)
            raise typer.BadParameter(said, param_hint="--sheet")
    with _progress() as progress:
        task = progress.add_task(t("import.reading", file=file.name), total=None)

        def notify(stage: str, rows: int) -> None:
            label = {
                "read": t("import.reading", file=file.name),
                "validate": t("import.validating"),
                "write": t("import.writing"),
            }[stage]
            progress.update(task, description=label, completed=rows)

        report = import_file(
            ws,
            table,
            file,
            mapping=mapping_file,
            encoding=encoding,
            day_first=day_first,
            create_customers=create_customers,
            progress=notify,
            format=format,
            header_row=header_row,
            sheet=sheet,
            origin=source,
            default_origin=not no_source,
        )
    audit(ws, "cli", "import", {"table": table, "file": file.name})
    _imported(ws, report, then_run, as_json)


def _imported(ws: Any, report: Any, then_run: bool, as_json: bool) -> None:
    """Print an import's report, and with ``then_run`` run and print the run as
    ``kequn run`` does (as JSON: ``{"import": ..., "run": ...}``)."""
    if not then_run:
        if as_json:
            _print_json(report.to_dict())
        else:
            print_import(report)
        return
    if not as_json:
        print_import(report)
    try:
        from kequn.service import refuse_setting

        refuse_setting(ws)  # as `kequn run` refuses kequn.toml's as_of
        info = classify(ws)
    except Exception:
        # the import is committed whatever the run does: say so, and with --json still
        # print what was imported (the run's error follows on stderr, exit 1)
        if as_json:
            _print_json({"import": report.to_dict(), "run": None})
        err.print(t("import.kept_run_failed", import_id=report.import_id), soft_wrap=True)
        raise
    if as_json:
        _print_json({"import": report.to_dict(), "run": info.to_dict()})
        return
    _print_run(info, ws.settings.timezone)


quarantine_app = KequnTyper(
    help="Rejected rows and emptied values; `retry` reads rejected rows again.",
    invoke_without_command=True,
)
app.add_typer(quarantine_app, name="quarantine")


def _known_table(table: str | None) -> str | None:
    """A ``--table`` that is none of kequn's tables is a usage error naming them, exit 2,
    as an unknown ``--team`` is (it was exit 1, as if the workspace were at fault)."""
    if table is not None and table not in TABLES:
        said = t("import.bad_table", table=table, known=", ".join(TABLES))
        raise typer.BadParameter(said, param_hint="--table")
    return table


@quarantine_app.command("retry")
def quarantine_retry(
    workspace: WorkspaceOpt = None,
    table: Annotated[
        str, typer.Option(help="customers, orders or events", callback=_known_table)
    ] = "orders",
    mapping: Annotated[
        Path | None,
        typer.Option(help="YAML mapping file, e.g. statuses: {待发货: paid}", exists=True),
    ] = None,
    format: Annotated[str | None, typer.Option("--format", help="Platform export format")] = None,
    create_customers: CreateCustomersOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Read the quarantined rows again (after a mapping changed), with no re-upload."""
    from kequn.ingest.mapping import MappingFile
    from kequn.ingest.quarantine import retry

    mapping_file = MappingFile.load(mapping) if mapping else None
    ws = _ws(workspace)
    reports = retry(
        ws,
        table,
        mapping=mapping_file,
        format=format,
        create_customers=create_customers,
    )
    if as_json:
        _print_json([r.to_dict() for r in reports])
        return
    if not reports:
        from kequn.ingest.quarantine import quarantine_rows

        # "empty" only when it is: rows of another table, or lines never read into
        # fields (retry cannot read them), are still there
        held = quarantine_rows(ws, limit=1)
        console.print(
            t("quarantine.nothing_to_retry", table=table) if held else t("quarantine.empty")
        )
    for report in reports:
        console.print(t("quarantine.retried", file=report.file))
        print_import(report)


@quarantine_app.callback()
def quarantine(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    table: Annotated[
        str | None, typer.Option(help="Only this table", callback=_known_table)
    ] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show", min=0, max=ROWS_MAX)] = 200,
    as_json: JsonOpt = False,
) -> None:
    """Show rejected rows and emptied values with file, row, column and reason."""
    from kequn.ingest.quarantine import quarantine_rows

    if ctx.invoked_subcommand is not None:
        return

    rows = quarantine_rows(_ws(workspace), table=table, limit=limit, lang=_lang())
    if as_json:
        _print_json(rows)
        return
    if not rows:
        console.print(t("quarantine.empty"))
        return
    out = Table(title=t("quarantine.title"))
    for key in ("col.table", "col.file", "col.row", "col.column", "col.severity", "col.reason"):
        # a file's cell folds, never cut short: 订单.xlsx（工作表「订单2」） has no space to
        # wrap at, and an ellipsis hid the sheet the row is on
        out.add_column(t(key), overflow="fold" if key == "col.file" else "ellipsis")
    for r in rows:
        out.add_row(
            _table_name(r["table"]),
            # a workbook of several sheets: the sheet, and the row as that sheet numbers it
            t("quarantine.file_sheet", file=Path(r["file"]).name, sheet=r["sheet"])
            if r.get("sheet")
            else Path(r["file"]).name,
            str(r["row"]),
            # the column as the user knows it: the file's header and the field's name
            # (订单创建时间 (下单时间)), not ordered_at
            r["column_label"],
            t(f"severity.{r['severity']}"),
            r["message"],
        )
    console.print(out)


@app.command()
def status(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of customers, orders, events, quarantine, recent imports and runs."""
    from kequn.service import workspace_status

    data = workspace_status(_ws(workspace))
    if as_json:
        _print_json(data)
        return
    console.print(t("status.title", path=data["workspace"]))
    console.print(t("status.generation", generation=data["generation"]))
    out = Table()
    out.add_column(t("col.table"))
    out.add_column(t("col.rows"), justify="right")
    for name, count in data["counts"].items():
        out.add_row(_table_name(name), f"{count:,}")
    for severity, count in data["quarantine"].items():
        out.add_row(t("status.quarantine", severity=t("severity." + severity)), f"{count:,}")
    console.print(out)
    if not data["runs"]:
        console.print(t("status.no_runs"))
    for run in data["runs"]:
        said = t(
            "status.run",
            run_id=run["run_id"],
            as_of=display.day(run["as_of"]),
            engine=display.value("engine", run["engine"]),
            customers=f"{run['customers']:,}",
            seconds=f"{float(run['seconds']):.1f}",
        )
        # the run read when none is named: not always the one made last (a backfill);
        # a run's line is never folded (the mark would read as a line of its own)
        mark = "  " + t("status.current") if run["current"] else ""
        console.print(said + mark, soft_wrap=True)
