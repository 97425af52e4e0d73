"""Commands for saved data sources: ``kequn sync`` pulls them, ``kequn sources`` lists them.

A source's URL is never printed (only its masked form) and never written anywhere."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from kequn.cli._app import JsonOpt, WorkspaceOpt, _print_json, _progress, _ws, app, console
from kequn.cli._import_text import _table_name, print_import
from kequn.core.i18n import t


@app.command("sync")
def sync_cmd(
    name: Annotated[
        str | None, typer.Argument(help="The source to pull (default: every source in kequn.toml)")
    ] = None,
    workspace: WorkspaceOpt = None,
    full: Annotated[
        bool, typer.Option("--full", help="Read everything again, not only from the watermark")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Pull saved database sources (\\[sources.NAME] in kequn.toml) incrementally by their
    watermark column; each pull is an import (validated, quarantined, atomic, upserted)."""
    from kequn.ingest.sources import SyncError, sync

    ws = _ws(workspace)
    with _progress() as progress:
        task = progress.add_task(t("sources.reading", source=name or "…"), total=None)

        def notify(source: str, _stage: str, rows: int) -> None:
            progress.update(task, description=t("sources.reading", source=source), completed=rows)

        try:
            results = sync(ws, name, full=full, progress=notify)
        except SyncError as exc:  # the sources that were synced are told, then the others
            failure: SyncError | None = exc
            results = exc.results
        else:
            failure = None
    _print_synced(results, as_json)
    if failure is not None:
        raise failure


def _print_synced(results: list[Any], as_json: bool) -> None:
    if as_json:
        _print_json(
            [
                {
                    "source": r.name,
                    "since": r.since,
                    "watermark": r.watermark,
                    "report": r.result.report.to_dict(),
                }
                for r in results
            ]
        )
        return
    for r in results:
        console.print(
            t(
                "sources.synced",
                name=r.name,
                kind=r.result.report.table,
                since="-" if r.since is None else r.since,
                watermark="-" if r.watermark is None else r.watermark,
            )
        )
        print_import(r.result.report)


@app.command("sources")
def sources_cmd(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List the saved sources: kind, table or query, watermark and the last sync (never
    the URL or its credentials)."""
    from kequn.ingest.sources import read_state, saved_sources

    ws = _ws(workspace)
    rows = []
    for source in saved_sources(ws).values():
        state = read_state(ws, source.name)
        mark = state.get("watermark") or {}
        rows.append(
            {
                "source": source.name,
                "kind": source.kind,
                "reads": f"table {source.table}" if source.table else "query",
                "credentials": f"env {source.url_env}"
                if source.url_env
                else (f"file {source.url_file}" if source.url_file else "url"),
                "watermark_column": source.watermark,
                "watermark": mark.get("value"),
                "synced_at": state.get("synced_at"),
            }
        )
    if as_json:
        _print_json(rows)
        return
    if not rows:
        console.print(t("sources.list_empty"))
        return
    table = Table(*(t(f"sources.col.{key}") for key in rows[0]))
    for row, source in zip(rows, saved_sources(ws).values(), strict=True):
        # the JSON's words ("table x", "env VAR") are for programs; a person reads these
        shown = {
            **row,
            "kind": _table_name(source.kind),
            "reads": t("sources.reads_table", table=source.table)
            if source.table
            else t("sources.reads_query"),
            "credentials": t("sources.cred_env", var=source.url_env)
            if source.url_env
            else (
                t("sources.cred_file", file=source.url_file)
                if source.url_file
                else t("sources.cred_url")
            ),
        }
        table.add_row(*("" if v is None else str(v) for v in shown.values()))
    console.print(table)
