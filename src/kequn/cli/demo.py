"""``kequn demo``: a demo workspace made from generated data or the user's own exports,
imported and classified at two dates a quarter apart."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from kequn.cli._app import _lang, _progress, app, console, err
from kequn.cli._import_text import print_format, print_import, print_summary
from kequn.cli.analysis import _print_run, history_cmd, step_words
from kequn.core import i18n
from kequn.core.i18n import t

#: the most customers the demo generates: their ids keep eight digits (C00000001); a
#: number past it (--customers 99999999999999999999) made a workspace and wrote chunk
#: after chunk of data for ever, until the disk was full
CUSTOMERS_MAX = 99_999_999


@app.command()
def demo(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Where to create the demo workspace")
    ] = Path("demo-workspace"),
    customers: Annotated[
        int, typer.Option(help="How many customers to generate", min=1, max=CUSTOMERS_MAX)
    ] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed", min=0)] = 7,
    runs: Annotated[
        bool, typer.Option("--runs/--no-runs", help="Classify at two dates a quarter apart")
    ] = True,
    from_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            exists=True,
            dir_okay=False,
            help="Build the demo from your own order export(s) instead of generated data "
            "(淘宝/天猫, 京东, 拼多多, Shopify … detected from the headers); repeat for several",
        ),
    ] = None,
    with_journeys: Annotated[
        bool,
        typer.Option(
            "--with-journeys",
            help="Also play the demo's journeys (a win-back message with an effect built into "
            "the data, a care message without) and show what `kequn journeys report` finds",
        ),
    ] = False,
) -> None:
    """Generate realistic demo data (or read your order exports with --from), import it,
    and classify it at two dates a quarter apart."""
    import shutil

    from kequn.demo import (
        import_demo,
        import_exports,
        is_demo_workspace,
        mark_demo_workspace,
        run_quarter_apart,
    )
    from kequn.store.workspace import Settings, Workspace

    started = time.perf_counter()
    root = workspace.resolve()
    if (root / "kequn.toml").exists():
        if not is_demo_workspace(root):  # a shop's own workspace: never deleted
            err.print(t("demo.not_a_demo", path=root), style="red", soft_wrap=True)
            raise typer.Exit(1)
        inside = [f for f in from_files or () if f.resolve().is_relative_to(root)]
        if inside:  # replacing the workspace would delete the export before it is read
            err.print(t("demo.from_inside", file=inside[0], path=root), style="red", soft_wrap=True)
            raise typer.Exit(1)
        shutil.rmtree(root)
    elif root.is_dir() and any(root.iterdir()):  # the next demo would delete all of it
        err.print(t("demo.not_empty", path=root), style="red", soft_wrap=True)
        raise typer.Exit(1)
    ws = Workspace.init(root, Settings())
    mark_demo_workspace(ws)
    with _progress() as progress:
        label = (
            t("import.reading", file=from_files[0].name)
            if from_files
            else t("demo.generating", customers=f"{customers:,}")
        )
        task = progress.add_task(label, total=None if from_files else customers)

        def reading(_table: str, path: Path) -> None:
            progress.update(
                task, description=t("import.reading", file=path.name), total=None, completed=0
            )

        if from_files:
            reports = import_exports(ws, list(from_files), before_import=reading)
        else:
            reports = import_demo(
                ws,
                customers,
                seed=seed,
                progress=lambda n: progress.update(task, completed=n),
                before_import=reading,
            )
    for _table, report in reports:
        _print_demo_import(report, full=bool(from_files))
    if with_journeys and not from_files:
        from kequn.demo.journeys import effect_lines, simulate_journeys

        with _progress() as progress:
            task = progress.add_task(t("demo.journeys"), total=None)
            effect = simulate_journeys(
                ws, seed=seed, progress=lambda step: progress.update(task, description=step)
            )
        for line in effect_lines(effect):
            console.print(line, highlight=False)
    elif runs:
        with _progress() as progress:
            task = progress.add_task(t("job.step.features"), total=None)
            info = run_quarter_apart(
                ws,
                lambda day, step: progress.update(
                    task, description=t("demo.run_step", day=day, step=step_words(step))
                ),
            )
        _print_run(info, ws.settings.timezone)
        history_cmd(dimension="lifecycle", workspace=root)
    console.print(t("demo.done", seconds=time.perf_counter() - started))
    console.print(f"kequn --workspace {root} segments | show <id> | worklist --team sales")
    # in both languages unless one was chosen (--lang zh printed the English line too)
    for lang in (_lang(),) if i18n.chosen() else ("zh", "en"):
        console.print(t("demo.dashboard", lang, workspace=root), highlight=False)


def _print_demo_import(report: Any, *, full: bool) -> None:
    """One demo import: the whole summary for a user's file; for generated data the
    counts, and what a platform export was read as (format, buyer key, lines)."""
    if full:
        console.print(report.file, style="bold")
        print_import(report)
        return
    if report.format:
        console.print(report.file, style="bold")
        print_format(report)
    print_summary(report)
