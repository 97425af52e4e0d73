"""The ``kequn`` command. Thin: parses options, calls :mod:`kequn.service` / :mod:`kequn.results`,
prints tables or JSON. Help is in English; messages follow ``--lang`` / ``KEQUN_LANG``."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kequn import i18n
from kequn.i18n import t

app = typer.Typer(
    help="kequn (客群): classify customers the way good CRM teams do, with reasons and strategies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
taxonomy_app = typer.Typer(
    help="Inspect and validate the workspace taxonomy.", no_args_is_help=True
)
clv_app = typer.Typer(
    help="Customer lifetime value models (BG/NBD + Gamma-Gamma).", no_args_is_help=True
)
app.add_typer(taxonomy_app, name="taxonomy")
app.add_typer(clv_app, name="clv")
console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (else $KEQUN_WORKSPACE, else the current folder).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
RunOpt = Annotated[
    str | None, typer.Option("--run", help="Run id (or prefix); default: the latest run.")
]


@app.callback()
def _main(
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of messages: zh or en.")
    ] = None,
) -> None:
    if lang:
        i18n.set_lang(lang)


def _ws(path: Path | None) -> Any:
    from kequn.store.workspace import Workspace

    return Workspace.open(path)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _lang() -> str:
    return i18n.current_lang()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


# -- workspace and data ----------------------------------------------------------------
@app.command()
def init(
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
    from kequn.store.workspace import Settings, Workspace, resolve_root

    root = resolve_root(workspace)
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
    file: Annotated[Path, typer.Argument(help="CSV, Excel (.xlsx) or Parquet file", exists=True)],
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
    create_customers: Annotated[
        bool | None,
        typer.Option(
            "--create-customers/--no-create-customers",
            help="Derive customers from an order export's buyer columns "
            "(default: when the workspace has no customers yet)",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate a file and upsert its good rows; bad rows go to the quarantine with reasons."""
    from kequn.store.importer import import_file
    from kequn.store.mapping import MappingFile

    ws = _ws(workspace)
    mapping_file = MappingFile.load(mapping) if mapping else None
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
        )
    if as_json:
        _print_json(report.to_dict())
        return
    _print_import(report)


def _print_import(report: Any) -> None:
    from kequn.service import explain_reason

    console.print(t("import.encoding", encoding=report.encoding or "parquet"))
    console.print(
        t("import.mapped", mapped=", ".join(f"{h} → {c}" for c, h in report.mapping.items()))
    )
    if report.attributes:
        console.print(t("import.extra", columns=", ".join(report.attributes)))
    if report.ignored:
        console.print(t("import.ignored", columns=", ".join(report.ignored)))
    if report.derived_customers:
        console.print(t("import.derived_customers", count=report.derived_customers))
    console.print(
        t(
            "import.summary",
            table=report.table,
            rows=report.rows,
            accepted=report.accepted,
            inserted=report.inserted,
            updated=report.updated,
            rejected=report.rejected,
        )
    )
    for header, counts in (
        (t("import.rejected_header"), report.rejected_by_reason),
        (t("import.warned_header"), report.warnings_by_reason),
    ):
        if counts:
            console.print(header)
            for reason, count in counts.items():
                text = explain_reason(reason, "…", "…", "…").split(":")[0]
                console.print(t("import.by_reason", reason=f"{reason} ({text})", count=count))


@app.command()
def quarantine(
    workspace: WorkspaceOpt = None,
    table: Annotated[str | None, typer.Option(help="Only this table")] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """Show rejected rows and emptied values with file, row, column and reason."""
    from kequn.service import quarantine_rows

    rows = quarantine_rows(_ws(workspace), table=table, limit=limit, lang=_lang())
    if as_json:
        _print_json(rows)
        return
    if not rows:
        console.print(t("quarantine.empty"))
        return
    out = Table(title=t("quarantine.title"))
    for key in ("col.table", "col.file", "col.row", "col.column", "col.severity", "col.reason"):
        out.add_column(t(key))
    for r in rows:
        out.add_row(
            r["table"],
            Path(r["file"]).name,
            str(r["row"]),
            r["column"] or "",
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
        out.add_row(name, f"{count:,}")
    for severity, count in data["quarantine"].items():
        out.add_row(f"quarantine ({t('severity.' + severity)})", f"{count:,}")
    console.print(out)
    if not data["runs"]:
        console.print(t("status.no_runs"))
    for run in data["runs"]:
        console.print(
            f"run {run['run_id']}  as of {run['as_of']}  {run['engine']}  "
            f"{run['customers']:,} customers  {run['seconds']} s"
        )


# -- classification --------------------------------------------------------------------
@app.command()
def run(
    workspace: WorkspaceOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD, 'latest' or 'today'")
    ] = None,
    engine: Annotated[str | None, typer.Option(help="duckdb (default) or spark")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Classify every customer along every dimension and keep a dated snapshot."""
    from kequn.results import run_taxonomy

    ws = _ws(workspace)
    with _progress() as progress:
        task = progress.add_task("features", total=None)
        info = run_taxonomy(
            ws,
            as_of=as_of,
            engine_name=engine,
            progress=lambda step: progress.update(task, description=step),
        )
    if as_json:
        _print_json(info.to_dict())
        return
    _print_run(info)


def _print_run(info: Any) -> None:
    from kequn.results import segments

    console.print(
        f"run {info.run_id}: {info.customers:,} customers as of {info.as_of} "
        f"({info.engine}, {info.seconds:.1f} s)"
    )
    ws_path = Path(info.path).parent.parent
    from kequn.store.workspace import Workspace

    data = segments(Workspace.open(ws_path), run_id=info.run_id, lang=_lang())
    for dim in data["dimensions"]:
        parts = [f"{lab['name']} {lab['count']:,}" for lab in dim["labels"] if lab["count"]]
        console.print(f"[bold]{dim['name']}[/]: " + " · ".join(parts))


@app.command("segments")
def segments_cmd(
    dimension: Annotated[str | None, typer.Argument(help="One dimension (default: all)")] = None,
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Customers and share per label for each dimension."""
    from kequn.results import segments

    data = segments(_ws(workspace), dimension, run_id=run_id, lang=_lang())
    if as_json:
        _print_json(data)
        return
    for dim in data["dimensions"]:
        out = Table(title=f"{dim['name']} ({dim['dimension']})")
        out.add_column(t("col.label"))
        out.add_column(t("col.count"), justify="right")
        out.add_column(t("col.share"), justify="right")
        for lab in dim["labels"]:
            out.add_row(
                f"{lab['name']} ({lab['label']})", f"{lab['count']:,}", f"{lab['share']:.1%}"
            )
        console.print(out)


@app.command()
def show(
    customer_id: Annotated[str, typer.Argument(help="Customer id")],
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every label of one customer, with the reason and the strategy."""
    from kequn.results import customer_profile

    data = customer_profile(_ws(workspace), customer_id, run_id=run_id, lang=_lang())
    if data is None:
        err.print(f"customer {customer_id!r} is not in the run")
        raise typer.Exit(1)
    if as_json:
        _print_json(data)
        return
    console.print(
        f"[bold]{customer_id}[/]  (run {data['run']['run_id']}, as of {data['run']['as_of']})"
    )
    for dim in data["dimensions"]:
        for entry in dim["labels"]:
            console.print(f"[bold]{dim['name']}[/]: [green]{entry['name']}[/] — {entry['reason']}")
            if entry["strategy"]:
                s = entry["strategy"]
                console.print(f"    → [{s['team_name']}] {s['text']}")


@app.command("worklist")
def worklist_cmd(
    team: Annotated[str, typer.Option(help="marketing, sales or service")],
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    limit: Annotated[int, typer.Option(help="How many actions")] = 30,
    as_json: JsonOpt = False,
) -> None:
    """Ranked actions for one team: highest-priority strategy first, then the biggest spender."""
    from kequn.results import worklist

    rows = worklist(_ws(workspace), team, run_id=run_id, lang=_lang(), limit=limit)
    if as_json:
        _print_json(rows)
        return
    out = Table()
    for key in ("col.customer", "col.spend", "col.segment", "col.action"):
        out.add_column(t(key))
    for r in rows:
        out.add_row(
            r["customer_id"],
            f"{r['spend'] or 0:,.2f}",
            f"{r['dimension']}={r['label_name']}",
            r["action"],
        )
    console.print(out)


@app.command()
def export(
    segment: Annotated[str, typer.Argument(help="DIMENSION=LABEL, e.g. lifecycle=dormant")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .csv or .xlsx")],
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
) -> None:
    """Export a segment's members to CSV or Excel."""
    from kequn.results import export_segment

    if "=" not in segment:
        raise typer.BadParameter("use DIMENSION=LABEL")
    dimension, label = segment.split("=", 1)
    count = export_segment(_ws(workspace), dimension, label, output, run_id=run_id)
    console.print(f"{count:,} → {output}")


@app.command("history")
def history_cmd(
    dimension: Annotated[
        str, typer.Option(help="An exclusive dimension, e.g. lifecycle")
    ] = "lifecycle",
    workspace: WorkspaceOpt = None,
    before: Annotated[str | None, typer.Option(help="Earlier run id")] = None,
    after: Annotated[str | None, typer.Option(help="Later run id")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The transition matrix of a dimension between two runs."""
    from kequn.results import history

    data = history(_ws(workspace), dimension, before=before, after=after)
    if as_json:
        _print_json(data)
        return
    labels_before = sorted({m["before"] for m in data["moves"]})
    labels_after = sorted({m["after"] for m in data["moves"]})
    cell = {(m["before"], m["after"]): m["customers"] for m in data["moves"]}
    out = Table(
        title=t(
            "history.title",
            dimension=dimension,
            before=data["before"]["as_of"],
            after=data["after"]["as_of"],
        )
    )
    out.add_column(t("history.corner"))
    for b in labels_after:
        out.add_column(b, justify="right")
    for a in labels_before:
        out.add_row(a, *[f"{cell.get((a, b), 0):,}" for b in labels_after])
    console.print(out)


@taxonomy_app.command("check")
def taxonomy_check(
    file: Annotated[
        Path | None, typer.Argument(help="Taxonomy file (default: the workspace's)")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Validate a taxonomy file: shape, every rule's names and operators, thresholds."""
    from kequn.taxonomy.model import TaxonomyError, load_taxonomy

    path = file or _ws(workspace).taxonomy_path
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as exc:
        err.print(f"[red]✗[/] {exc}")
        raise typer.Exit(1) from exc
    labels = sum(len(d.labels) for d in taxonomy.dimensions)
    console.print(
        f"[green]✓[/] {path}: {len(taxonomy.dimensions)} dimensions, {labels} labels, "
        f"{len(taxonomy.thresholds)} thresholds (version {taxonomy.fingerprint})"
    )


@app.command()
def features(as_json: JsonOpt = False) -> None:
    """List the names rules may use, with their meaning."""
    from kequn.features.catalogue import FEATURES, PARAMETERS

    rows = [
        {"name": f.name, "kind": f.kind, "zh": f.zh, "en": f.en}
        for f in [*FEATURES.values(), *PARAMETERS.values()]
    ]
    if as_json:
        _print_json(rows)
        return
    out = Table()
    for col in ("name", "kind", "中文", "English"):
        out.add_column(col)
    for r in rows:
        out.add_row(r["name"], r["kind"], r["zh"], r["en"])
    console.print(out)


# -- demo ------------------------------------------------------------------------------
@app.command()
def demo(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Where to create the demo workspace")
    ] = Path("demo-workspace"),
    customers: Annotated[int, typer.Option(help="How many customers to generate")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 7,
    runs: Annotated[
        bool, typer.Option("--runs/--no-runs", help="Classify at two dates a quarter apart")
    ] = True,
) -> None:
    """Generate realistic demo data, import it, and classify it at two dates a quarter apart."""
    import shutil

    from kequn.demo import generate_demo
    from kequn.store.importer import import_file
    from kequn.store.workspace import Settings, Workspace

    started = time.perf_counter()
    root = workspace.resolve()
    if (root / "kequn.toml").exists():
        shutil.rmtree(root)
    ws = Workspace.init(root, Settings())
    data_dir = ws.tmp_dir / "demo-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    with _progress() as progress:
        task = progress.add_task(t("demo.generating", customers=f"{customers:,}"), total=customers)
        files = generate_demo(
            data_dir, customers, seed=seed, progress=lambda n: progress.update(task, completed=n)
        )
        for table, path in (
            ("customers", files.customers),
            ("orders", files.orders),
            ("events", files.events),
        ):
            progress.update(
                task, description=t("import.reading", file=path.name), total=None, completed=0
            )
            report = import_file(ws, table, path, create_customers=False)
            console.print(
                t(
                    "import.summary",
                    table=table,
                    rows=report.rows,
                    accepted=report.accepted,
                    inserted=report.inserted,
                    updated=report.updated,
                    rejected=report.rejected,
                )
            )
    shutil.rmtree(data_dir, ignore_errors=True)
    if runs:
        from kequn.results import make_engine, run_taxonomy
        from kequn.taxonomy.engine import latest_date

        with make_engine(ws) as engine:
            latest = latest_date(engine) or dt.date.today()
        info = None
        for as_of in (latest - dt.timedelta(days=91), latest):
            with _progress() as progress:
                task = progress.add_task(f"run {as_of}", total=None)

                def step(name: str, progress: Progress = progress, task: TaskID = task) -> None:
                    progress.update(task, description=name)

                info = run_taxonomy(ws, as_of=as_of, progress=step)
        _print_run(info)
        history_cmd(dimension="lifecycle", workspace=root)
    console.print(t("demo.done", seconds=time.perf_counter() - started))
    console.print(f"kequn --workspace {root} segments | show <id> | worklist --team sales")


@clv_app.command("fit")
def clv_fit(
    transactions: Annotated[
        Path, typer.Argument(help="CSV with customer id, date and amount columns", exists=True)
    ],
    calibration_end: Annotated[str, typer.Option("--calibration-end", help="YYYY-MM-DD")],
    holdout_end: Annotated[
        str | None, typer.Option("--holdout-end", help="YYYY-MM-DD (default: last date)")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Save a PNG of cumulative predicted vs actual")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit BG/NBD + Gamma-Gamma and compare predicted with actual holdout transactions."""
    from kequn.models.report import clv_holdout_report

    report = clv_holdout_report(
        transactions,
        dt.date.fromisoformat(calibration_end),
        dt.date.fromisoformat(holdout_end) if holdout_end else None,
    )
    if plot:
        report.save_plot(plot)
    data = report.to_dict()
    if as_json:
        _print_json(data)
        return
    _print_json(data)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
