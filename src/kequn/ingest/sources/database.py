"""Database sources: a table or query read in streamed batches into the staged Parquet the
file importer reads (``c0 .. cN`` text columns plus ``_row``), then imported by
:func:`kequn.ingest.importer.import_staged`, so validation, quarantine, atomicity and the
upsert are the file importer's own.

A saved source is a ``[sources.NAME]`` section of ``kequn.toml``::

    [sources.crm_pg]
    url_env = "KEQUN_PG_URL"      # or url_file = "~/.kequn/crm.url" (mode 0600)
    table = "public.orders"       # or query = "SELECT ... FROM ..."
    kind = "orders"               # customers, orders or events
    watermark = "updated_at"      # optional: sync reads rows with updated_at >= the last seen

``kequn sync`` reads each source from its watermark (the largest value read by its last
successful import, kept in ``sources/NAME.json``, written right after the import is
published). Rows at the watermark itself are read again and upserted as unchanged, so a
row committed with the same ``updated_at`` after a sync is not missed, and a sync killed
between the import and the watermark only reads some rows twice: syncing is idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kequn.core.i18n import t
from kequn.core.schema import TABLES
from kequn.core.yamlfile import load_toml
from kequn.ingest.importer import (
    SOURCE_NAME_RE,
    claim_stage,
    import_staged,
    sweep_stages,
)
from kequn.ingest.mapping import MappingError, MappingFile
from kequn.ingest.readers import SourceError, StagedSource, check_table
from kequn.ingest.report import ImportReport
from kequn.ingest.sources.connect import Location, read, resolve_url, select_sql
from kequn.ingest.sources.marks import dump_mark, later, load_mark
from kequn.store.workspace import CONFIG_NAME, Workspace

#: rows per batch read from a database (and per Parquet row group staged)
BATCH_ROWS = 50_000
_KEYS = {"url", "url_env", "url_file", "table", "query", "kind", "watermark", "mapping"}

Progress = Callable[[str, int], None]


def check_name(name: str) -> str:
    if not SOURCE_NAME_RE.fullmatch(name or ""):
        raise SourceError(t("sources.bad_name", name=name))
    return name


@dataclass
class DatabaseImport:
    """What one database import did: the import's report and the largest watermark read."""

    report: ImportReport
    watermark: Any = None
    label: str = ""


def label_of(origin: str | None, location: Location, table: str | None, query: str | None) -> str:
    """The lineage kept as ``source_file``: the source and the table or query, never the URL."""
    if table:
        what = f"table {table}"
    else:
        digest = hashlib.sha256((query or "").encode("utf-8")).hexdigest()[:8]
        what = f"query {digest}"
    return f"{origin or location.kind}: {what}"


def stage_database(
    location: Location,
    workdir: Path,
    *,
    table: str | None,
    query: str | None,
    watermark: str | None = None,
    since: Any = None,
    progress: Callable[[int], None] | None = None,
    batch_rows: int | None = None,
    first_row: int = 1,
) -> tuple[StagedSource, Any]:
    """Stream the rows into ``workdir/staged.parquet``, numbered from ``first_row``;
    returns it and the largest watermark."""
    if bool(table) == bool(query):
        raise SourceError(t("sources.need_one_target"))
    kind = location.kind
    sql = select_sql(kind, table, query, watermark, since is not None)
    params = [since] if watermark and since is not None else []
    target = workdir / "staged.parquet"
    rows = 0
    top: Any = None
    integers: frozenset[int] = frozenset()
    batch_rows = batch_rows or BATCH_ROWS
    with read(location, sql, params, watermark=watermark, batch_rows=batch_rows) as result:
        names = [str(n) for n in result.names]
        integers = result.integers
        schema = pa.schema(
            [pa.field(f"c{i}", pa.string()) for i in range(len(names))]
            + [pa.field("_row", pa.int64())]
        )
        with pq.ParquetWriter(str(target), schema, compression="zstd") as writer:
            for columns, marks in result.batches:
                n = len(columns[0]) if columns else 0
                if n == 0:
                    continue
                start = first_row + rows
                numbers = pa.array(range(start, start + n), pa.int64())
                writer.write_batch(pa.record_batch([*columns, numbers], schema=schema))
                rows += n
                for mark in marks:
                    top = later(top, mark)
                if progress:
                    progress(rows)
    staged = StagedSource(
        path=target,
        headers=names,
        encoding=kind,
        rows=rows,
        positional=True,
        header_row=0,
        incremental=bool(watermark) and since is not None,
        integers=integers,
    )
    return staged, top


def import_database(
    ws: Workspace,
    kind: str,
    location: Location,
    *,
    table: str | None = None,
    query: str | None = None,
    origin: str | None = None,
    default_origin: bool = True,
    watermark: str | None = None,
    since: Any = None,
    mapping: MappingFile | None = None,
    day_first: bool | None = None,
    create_customers: bool | None = None,
    progress: Progress | None = None,
    first_row: int = 1,
) -> DatabaseImport:
    """Read a database table or query and import it into ``kind`` (customers, orders or
    events) exactly as a file is imported (``default_origin`` false: ``--no-source``, the
    ids kept as given even where they are only a source's customers)."""
    check_table(kind)
    if origin is not None:
        check_name(origin)
    import_id = dt.datetime.now().strftime("%Y%m%d%H%M%S-") + uuid.uuid4().hex[:6]
    sweep_stages(ws.tmp_dir)
    workdir = ws.tmp_dir / f"import-{import_id}"
    workdir.mkdir(parents=True, exist_ok=True)
    claim = claim_stage(workdir)
    notify = progress or (lambda _stage, _n: None)
    label = label_of(origin, location, table, query)
    try:
        staged, top = stage_database(
            location,
            workdir,
            table=table,
            query=query,
            watermark=watermark,
            since=since,
            progress=lambda n: notify("read", n),
            first_row=first_row,
        )
        if not staged.headers:
            raise SourceError(t("sources.no_columns", source=label))
        report = import_staged(
            ws,
            kind,
            staged,
            label,
            import_id=import_id,
            mapping=mapping,
            day_first=day_first,
            create_customers=create_customers,
            notify=notify,
            origin=origin,
            default_origin=default_origin,
        )
        return DatabaseImport(report, top, label)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        claim.close()


# -- saved sources and sync -------------------------------------------------------------


@dataclass
class SavedSource:
    """A ``[sources.NAME]`` section of kequn.toml."""

    name: str
    kind: str
    table: str | None = None
    query: str | None = None
    watermark: str | None = None
    url: str | None = None
    url_env: str | None = None
    url_file: str | None = None
    mapping: str | None = None

    def location(self, root: Path) -> Location:
        url_file = self.url_file
        if url_file and not Path(url_file).expanduser().is_absolute():
            url_file = str(root / url_file)
        return resolve_url(self.url, self.url_env, url_file)


def saved_sources(ws: Workspace) -> dict[str, SavedSource]:
    """The sources kequn.toml names, checked (one message naming the first mistake)."""
    config = ws.root / CONFIG_NAME
    try:
        data = load_toml(config)
    except (OSError, ValueError):  # unreadable: Workspace.open has said why
        return {}
    section = data.get("sources", {})
    if not isinstance(section, dict):
        raise SourceError(t("sources.bad_config", name="sources", detail="[sources.NAME]"))
    out: dict[str, SavedSource] = {}
    for name, values in section.items():
        check_name(name)
        if not isinstance(values, dict):
            raise SourceError(t("sources.bad_config", name=name, detail="[sources.NAME]"))
        unknown = sorted(set(values) - _KEYS)
        if unknown:
            raise SourceError(t("sources.bad_config", name=name, detail=", ".join(unknown)))
        if not all(isinstance(v, str) for v in values.values()):
            raise SourceError(t("sources.bad_config", name=name, detail="text values"))
        kind = values.get("kind", "")
        if kind not in TABLES:
            raise SourceError(
                t("sources.bad_config", name=name, detail=f"kind = {', '.join(TABLES)}")
            )
        if bool(values.get("table")) == bool(values.get("query")):
            raise SourceError(t("sources.bad_config", name=name, detail="table | query"))
        if sum(1 for k in ("url", "url_env", "url_file") if values.get(k)) != 1:
            raise SourceError(t("sources.bad_config", name=name, detail="url_env | url_file"))
        out[name] = SavedSource(name=name, **values)
    return out


def _state_path(ws: Workspace, name: str) -> Path:
    return ws.root / "sources" / f"{check_name(name)}.json"


def read_state(ws: Workspace, name: str) -> dict[str, Any]:
    try:
        state = json.loads(_state_path(ws, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(ws: Workspace, name: str, state: dict[str, Any]) -> None:
    path = _state_path(ws, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(path)


@dataclass
class SyncResult:
    name: str
    result: DatabaseImport
    since: Any
    watermark: Any


class SyncError(SourceError):
    """Some sources could not be synced (each named in the message); ``results`` holds
    those that were."""

    def __init__(self, message: str, results: list[SyncResult]) -> None:
        super().__init__(message)
        self.results = results


def sync(
    ws: Workspace,
    name: str | None = None,
    *,
    full: bool = False,
    progress: Callable[[str, str, int], None] | None = None,
) -> list[SyncResult]:
    """Pull each saved source (or the one named) from its watermark; ``full`` reads all.
    A source that fails does not keep the others from being pulled: a :class:`SyncError`
    names each that failed, after the others are imported."""
    sources = saved_sources(ws)
    if name is not None:
        check_name(name)
        if not sources:  # (no list of those there are: there are none)
            raise SourceError(t("sources.none_configured", file=CONFIG_NAME))
        if name not in sources:
            raise SourceError(t("sources.unknown", name=name, known=", ".join(sources)))
        chosen = [sources[name]]
    else:
        if not sources:
            raise SourceError(t("sources.none_configured", file=CONFIG_NAME))
        chosen = list(sources.values())
    results: list[SyncResult] = []
    failed: list[str] = []
    for source in chosen:
        try:
            results.append(_sync_one(ws, source, full=full, progress=progress))
        except (SourceError, MappingError) as exc:
            failed.append(t("sources.sync_failed", name=source.name, detail=str(exc)))
    if failed:
        raise SyncError("\n".join(failed), results)
    return results


def _sync_one(
    ws: Workspace,
    source: SavedSource,
    *,
    full: bool,
    progress: Callable[[str, str, int], None] | None,
) -> SyncResult:
    location = source.location(ws.root)
    state = read_state(ws, source.name)
    mark = state.get("watermark")
    since = None if full or not source.watermark or not mark else load_mark(mark)
    if (
        location.kind == "mysql"
        and isinstance(since, dt.datetime)
        and since.tzinfo is None
        and state.get("session_zone") != "UTC"
    ):
        # kept before MySQL sessions ran in UTC, a TIMESTAMP's watermark was in the
        # server's own zone: read from up to 14 hours earlier once (rows read again
        # are upserted unchanged) rather than miss what changed in between
        since -= dt.timedelta(hours=14)
    mapping = None
    if source.mapping:
        path = Path(source.mapping).expanduser()
        mapping = MappingFile.load(path if path.is_absolute() else ws.root / path)
    done = import_database(
        ws,
        source.kind,
        location,
        table=source.table,
        query=source.query,
        origin=source.name,
        watermark=source.watermark,
        since=since,
        mapping=mapping,
        progress=_named(progress, source.name),
        first_row=1 if since is None else _next_row(ws, source, location),
    )
    top = later(since, done.watermark)
    new_state: dict[str, Any] = {
        "synced_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "import_id": done.report.import_id,
        "kind": source.kind,
    }
    if location.kind == "mysql":
        new_state["session_zone"] = "UTC"
    if source.watermark and top is not None:
        new_state["column"] = source.watermark
        new_state["watermark"] = dump_mark(top)
    write_state(ws, source.name, new_state)
    return SyncResult(source.name, done, since, top)


def _next_row(ws: Workspace, source: SavedSource, location: Location) -> int:
    """Where a sync from its watermark numbers its rows: after the rows its source has in
    quarantine, whose entries stay (two rows at one (file, row) were one row to a retry)."""
    label = label_of(source.name, location, source.table, source.query)
    with ws.read() as con:
        found = con.execute(
            'SELECT max("row") FROM quarantine WHERE "table" = ? AND file = ?',
            [source.kind, label],
        ).fetchone()
    return 1 + int(found[0] if found and found[0] is not None else 0)


def _named(progress: Callable[[str, str, int], None] | None, name: str) -> Progress | None:
    if progress is None:
        return None
    report = progress

    def notify(stage: str, rows: int) -> None:
        report(name, stage, rows)

    return notify
