"""Commands that classify customers and read the results."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from kequn.cli._app import (
    ROWS_MAX,
    AsOfOpt,
    CustomerIdArg,
    JsonOpt,
    RunOpt,
    WorkspaceOpt,
    _lang,
    _print_json,
    _progress,
    _ws,
    app,
    console,
    err,
    given_id,
    lazy_module,
    one_of,
    output_file,
    parse_as_of,
)
from kequn.cli._linked import print_linked
from kequn.core import display
from kequn.core.i18n import MESSAGES, local, t

if TYPE_CHECKING:
    from kequn.snapshots import linked, read, reports
    from kequn.snapshots.runs import RunInfo
else:  # imported when a command reads a run, not when the commands are registered
    read = lazy_module("kequn.snapshots.read")
    reports = lazy_module("kequn.snapshots.reports")
    linked = lazy_module("kequn.snapshots.linked")


def _known_engine(name: str | None) -> str | None:
    """An ``--engine`` that is neither is a usage error naming it, exit 2 (it was exit 1,
    told when the run began, as if the workspace were at fault)."""
    if name is not None and name not in ("duckdb", "spark"):
        raise typer.BadParameter(t("run.bad_engine", name=name), param_hint="--engine")
    return name


@app.command()
def run(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    engine: Annotated[
        str | None, typer.Option(help="duckdb (default) or spark", callback=_known_engine)
    ] = None,
    models: Annotated[
        bool,
        typer.Option(
            "--models/--no-models",
            help="Fit the predictive models (CLV, P(alive), churn risk, clusters)",
        ),
    ] = True,
    refit: Annotated[
        bool, typer.Option("--refit", help="Fit the models again even if stored ones are fresh")
    ] = False,
    allow_before_data: Annotated[
        bool,
        typer.Option(
            "--allow-before-data",
            help="Run as of a date before the earliest customer, order or interaction too",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Classify every customer along every dimension and keep a dated snapshot."""
    from kequn.engines.as_of import local_today
    from kequn.service import before_data, refuse_setting

    ws = _ws(workspace)
    day = parse_as_of(as_of, today=local_today(ws.settings.timezone))
    earliest = None if allow_before_data else before_data(ws, day)
    if earliest is not None:
        said = t("run.before_data", as_of=day, earliest=earliest)
        raise typer.BadParameter(said, param_hint="--as-of")
    if day is None:  # the run takes kequn.toml's as_of
        refuse_setting(ws, allow_before_data=allow_before_data)
    info = classify(ws, as_of=day, engine_name=engine, with_models=models, refit=refit)
    if as_json:
        _print_json(info.to_dict())
        return
    _print_run(info, ws.settings.timezone)


def classify(ws: Any, **options: Any) -> RunInfo:
    """:func:`kequn.pipeline.run` with ``options``, its steps shown as it goes (``kequn
    run``, ``kequn import --run``)."""
    from kequn import pipeline

    with _progress() as progress:
        task = progress.add_task(t("job.step.features"), total=None)

        def step(name: str) -> None:
            progress.update(task, description=step_words(name))

        return pipeline.run(ws, progress=step, **options)


def step_words(name: str) -> str:
    """A run's step as the spinner says it, in the language (a step the catalogue does
    not know shows as its name)."""
    key = f"job.step.{name}"
    return t(key) if key in MESSAGES else name


def _print_run(info: RunInfo, timezone: str | None) -> None:
    console.print(
        t(
            "run.summary",
            run_id=info.run_id,
            customers=display.number(info.customers),
            as_of=display.day(info.as_of),
            engine=display.value("engine", info.engine),
            seconds=f"{info.seconds:.1f}",
        )
    )
    data = read.segments(info, lang=_lang())
    for dim in data["dimensions"]:
        parts = [
            f"{lab['name']} {display.number(lab['count'])}" for lab in dim["labels"] if lab["count"]
        ]
        console.print(Text.assemble((dim["name"], "bold"), ": " + " · ".join(parts)))
    for line in [
        *reports.run_notes(info, _lang()),
        *reports.model_summary(info.models or {}, _lang()),
    ]:
        console.print(line)
    from kequn.engines.as_of import local_today

    # today where the business is, as "--as-of today" is: the machine's date, a day behind
    # the workspace's east of it, called that day the future
    today = local_today(timezone).isoformat()
    if str(info.as_of)[:10] > today:  # allowed (up to ten years on), but never silently
        said = t("run.future", as_of=display.day(info.as_of), today=display.day(today))
        err.print(said, soft_wrap=True)
    if not info.customers:
        err.print(t("run.empty"))


@app.command("segments")
def segments_cmd(
    dimension: Annotated[
        str | None,
        typer.Argument(help="One dimension (default: all), or 'cluster' for discovered segments"),
    ] = None,
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="Only customers having records from this source (e.g. taobao)"
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Customers and share per label for each dimension."""
    run = read.require_run(_ws(workspace), run_id)
    if dimension == "cluster":
        _print_clusters(run, as_json)
        return
    try:
        data = read.segments(run, dimension, lang=_lang(), source=source)
    except linked.UnknownSourceError as exc:
        # a usage error naming the sources, exit 2, as an unknown --team is
        raise typer.BadParameter(str(exc), param_hint="--source") from exc
    if as_json:
        _print_json(data)
        return
    if source is not None:
        console.print(
            t("segments.source", source=source, count=f"{data['source']['customers']:,}"),
            markup=False,
        )
    for dim in data["dimensions"]:
        # the ids in parentheses are what `kequn export DIMENSION=LABEL` is typed with
        out = Table(title=f"{dim['name']} ({dim['dimension']})")
        out.add_column(t("col.label"))
        out.add_column(t("col.count"), justify="right")
        out.add_column(t("col.share"), justify="right")
        for lab in dim["labels"]:
            out.add_row(
                f"{lab['name']} ({lab['label']})",
                f"{lab['count']:,}",
                display.pct(lab["share"]),
            )
        console.print(out)


def _print_clusters(run: RunInfo, as_json: bool) -> None:
    data = reports.discovered_clusters(run, lang=_lang())
    if as_json:
        _print_json(data)
        return
    if not data["clusters"]:
        console.print(t("clusters.none", status=data["status_text"]))
        return
    out = Table(title=t("clusters.title", k=data["k"], ari=data["stability_ari"]))
    out.add_column(t("col.cluster"), justify="right")
    out.add_column(t("col.count"), justify="right")
    out.add_column(t("col.share"), justify="right")
    out.add_column(t("col.description"), overflow="fold")
    for c in data["clusters"]:
        out.add_row(str(c["id"]), f"{c['customers']:,}", display.pct(c["share"]), c["description"])
    console.print(out)


@app.command()
def show(
    customer_id: CustomerIdArg,
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    why_not: Annotated[
        str | None,
        typer.Option(
            "--why-not",
            help="DIMENSION=LABEL, e.g. value=high: which condition fails and by how much",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every label of one customer, with the reason and the strategy."""
    run = read.require_run(_ws(workspace), run_id)
    # the id a platform shows is found under its source too: tb_amy → taobao:tb_amy
    found, data, several = read.find_profile(run, customer_id, _lang())
    if several:
        err.print(t("show.which_source", id=customer_id, ids=", ".join(several)))
        raise typer.Exit(1)
    if data is not None and found != customer_id:
        err.print(t("show.as_source", id=customer_id, stored=found), style="dim")
        customer_id = found
    if data is None:
        err.print(t("show.no_customer", id=customer_id), soft_wrap=True)
        raise typer.Exit(1)
    from kequn.store.access import audit

    # a read of one person's data, recorded as the API's and the customer page's are
    audit(run.workspace, "cli", "customer.read", {"customer_id": customer_id})
    if why_not is not None:
        _print_why_not(run, data, why_not, as_json)
        return
    # the sources and source records behind the customer, from the workspace as it is
    data["linked"] = linked.linked_records(run.workspace, customer_id)
    if as_json:
        _print_json(data)
        return
    run = data["run"]
    console.print(
        Text.assemble(
            (customer_id, "bold"), t("show.run", run_id=run["run_id"], as_of=run["as_of"])
        )
    )
    for dim in data["dimensions"]:
        for entry in dim["labels"]:
            console.print(
                Text.assemble(
                    (dim["name"], "bold"), ": ", (entry["name"], "green"), f" — {entry['reason']}"
                )
            )
            if entry["strategy"]:
                s = entry["strategy"]
                console.print(f"    → [{s['team_name']}] {s['text']}")
    print_linked(data["linked"])


def _print_why_not(run: RunInfo, data: dict[str, Any], spec: str, as_json: bool) -> None:
    """``--why-not value=high``: the closest way to the label, condition by condition."""
    from kequn.taxonomy.explain import why_not

    dimension, _, label = spec.partition("=")
    try:
        if not label:
            raise ValueError(spec)
        answer = why_not(
            run.taxonomy(),
            data["features"],
            run.params,
            dimension.strip(),
            label.strip(),
            _lang(),
            currency=run.ws.settings.currency if run.ws else "CNY",
        )
    except ValueError as exc:
        err.print(t("whynot.bad_option", problem=exc))
        raise typer.Exit(2) from exc
    if as_json:
        _print_json(answer)
        return
    console.print(t("whynot.title", dimension=answer["dimension_name"], label=answer["name"]))
    for c in answer["conditions"]:
        mark = ("✓", "green") if c["met"] else ("✗", "red")
        console.print(Text.assemble("  ", mark, f" {c['text']}"))
    console.print(answer["summary"])


@app.command("worklist")
def worklist_cmd(
    team: Annotated[str, typer.Option(help="marketing, sales or service")],
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    limit: Annotated[int, typer.Option(help="How many actions", min=1, max=ROWS_MAX)] = 30,
    as_json: JsonOpt = False,
) -> None:
    """Ranked actions for one team: highest-priority strategy first, then the biggest spender."""
    from kequn.taxonomy.model import TEAMS

    one_of(team, TEAMS, "--team")
    run = read.require_run(_ws(workspace), run_id)
    rows = reports.worklist(run, team, lang=_lang(), limit=limit)
    if as_json:
        _print_json(rows)
        return
    if not rows:  # a customers-only shop's sales team: a line, not an empty table
        console.print(t("worklist.none", team=display.value("team", team, _lang())))
        return
    out = Table()
    for key in ("col.customer", "col.spend", "col.segment", "col.action"):
        out.add_column(t(key), justify="right" if key == "col.spend" else "left")
    taxonomy, currency = run.taxonomy(), run.workspace.settings.currency
    for r in rows:
        out.add_row(
            r["customer_id"],
            display.money(r["spend"] or 0, _lang(), currency),
            taxonomy.segment_name(r["dimension"], r["label"], _lang()),
            r["action"] + (f"\n→ {r['hint']}" if r.get("hint") else ""),
        )
    console.print(out)


@app.command()
def export(
    segment: Annotated[str, typer.Argument(help="DIMENSION=LABEL, e.g. lifecycle=dormant")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .csv or .xlsx")],
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    consent_only: Annotated[
        bool, typer.Option("--consent-only", help="Only customers who allow marketing")
    ] = False,
    headers: Annotated[
        str,
        typer.Option(
            "--headers",
            help=(
                "Headers and values: ids (the default, machine-readable for other tools: "
                "column ids, codes, true/false); zh: column names, label names, named codes "
                "and yes/no in Chinese (客户编号, 忠诚客户, 是/否); en: the same in English "
                "(Customer id, Loyal, Yes/No)"
            ),
        ),
    ] = "ids",
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists")
    ] = False,
) -> None:
    """Export a segment's members to CSV or Excel (written whole, then put in place: an
    existing file is replaced only with --force)."""
    if "=" not in segment:
        raise typer.BadParameter(t("export.bad_segment", segment=segment))
    mode = display.header_mode(headers)
    if mode is None:
        raise typer.BadParameter(t("export.bad_headers", value=headers), param_hint="--headers")
    dimension, label = segment.split("=", 1)
    run = read.require_run(_ws(workspace), run_id)
    output_file(output)
    if output.suffix.lower() not in {".csv", ".xlsx"}:
        # (any other name was written as CSV: dormant.xls opened in Excel as a warning,
        # out.pdf as text)
        said = t("export.bad_suffix", file=output.name, stem=output.stem)
        raise typer.BadParameter(said, param_hint="--output")
    exists = typer.BadParameter(t("export.exists", file=output), param_hint="--output")
    if not force and output.exists():  # it was overwritten without a word
        raise exists
    cut: list[tuple[int, str]] = []
    try:
        count = reports.export_segment(
            run,
            dimension,
            label,
            output,
            consent_only=consent_only,
            headers=mode,
            replace=force,
            on_cut=lambda row, column: cut.append((row, column)),
        )
    except FileExistsError:  # made by another while this export was written
        raise exists from None
    if cut:
        said = t("export.cut", count=f"{len(cut):,}", row=cut[0][0], column=cut[0][1])
        err.print(said, style="yellow", soft_wrap=True)
    from kequn.store.access import audit

    # an export holds names, phones and e-mails: recorded as the dashboard's download is
    audit(run.workspace, "cli", "export", {"segment": f"{dimension}={label}", "rows": count})
    console.print(t("export.done", count=f"{count:,}", file=output))


@app.command("history")
def history_cmd(
    dimension: Annotated[
        str, typer.Option(help="An exclusive dimension, e.g. lifecycle")
    ] = "lifecycle",
    workspace: WorkspaceOpt = None,
    before: Annotated[
        str | None,
        typer.Option(
            help="Earlier run id (alone: compared with the current run)", callback=given_id("run")
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            help="Later run id (alone: compared with the run before it in time)",
            callback=given_id("run"),
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The transition matrix of a dimension between two runs: by default the run with the
    latest as-of date (of one date, the one made last) and the latest run of an earlier
    as-of date, as segment events compare (`kequn events`); only when every run has the
    same date, the one made before it, whose movements no event records."""
    data = reports.history(_ws(workspace), dimension, before=before, after=after)
    if as_json:
        _print_json(data)
        return
    taxonomy = read.require_run(_ws(workspace), data["after"]["run_id"]).taxonomy()
    dim = taxonomy.dimension(dimension)
    order = [lab.id for lab in dim.labels] if dim else []

    def name(label_id: str) -> str:
        found = dim.label(label_id) if dim else None
        if found is not None:
            return local(found, _lang())
        return t("history.absent") if label_id == "(absent)" else label_id

    def rank(label_id: str) -> tuple[int, str]:
        return (order.index(label_id) if label_id in order else len(order), label_id)

    labels_before = sorted({m["before"] for m in data["moves"]}, key=rank)
    labels_after = sorted({m["after"] for m in data["moves"]}, key=rank)
    cell = {(m["before"], m["after"]): m["customers"] for m in data["moves"]}
    out = Table(
        title=t(
            "history.title",
            dimension=local(dim, _lang()) if dim else dimension,
            before=display.day(data["before"]["as_of"]),
            after=display.day(data["after"]["as_of"]),
        )
    )
    out.add_column(t("history.corner"))
    for b in labels_after:
        out.add_column(name(b), justify="right")
    for a in labels_before:
        out.add_row(name(a), *[f"{cell.get((a, b), 0):,}" for b in labels_after])
    console.print(out)
    if data.get("same_as_of"):
        console.print(t("history.same_as_of", day=display.day(data["after"]["as_of"])))
