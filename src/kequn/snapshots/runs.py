"""Classification runs: dated, immutable snapshots kept side by side in ``runs/``.

A run folder holds ``features.parquet`` (one row per customer: its features; in a run
built from the feature state without the attribute columns, which are then in
``attributes.parquet``, the state's file of them linked, or copied, into the folder),
``labels.parquet`` (one row per customer: the models' predictions, one column per
exclusive dimension, a boolean column per tag; runs of older versions hold the features
here too, and no features file), ``taxonomy.yaml`` (the exact
taxonomy that produced it, so its reasons can be re-rendered later) and ``meta.json``.
It is written under a temporary name and renamed into place, so a reader sees a whole
run or none, and earlier runs are never touched.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kequn.core.compute import parquet_columns, parquet_glob
from kequn.core.i18n import t
from kequn.core.schema import ATTRIBUTES_NOT_FEATURES
from kequn.store.files import sweep_spill_folders
from kequn.store.workspace import Workspace, WorkspaceError
from kequn.taxonomy.model import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    import pyarrow as pa

LABELS_FILE = "labels.parquet"
FEATURES_FILE = "features.parquet"
ATTRIBUTES_FILE = "attributes.parquet"
META_FILE = "meta.json"
TAXONOMY_FILE = "taxonomy.yaml"


@dataclass
class RunInfo:
    run_id: str
    as_of: str
    created_at: str
    engine: str
    taxonomy_version: str
    customers: int = 0
    seconds: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: what the run says besides its models' notes (a threshold's default used, ...): a
    #: message key and its params each (:func:`kequn.snapshots.reports.run_notes`)
    notes: list[dict[str, Any]] = field(default_factory=list)
    path: str = ""
    #: the workspace the run belongs to (set when it is listed or published; not stored)
    ws: Workspace | None = field(default=None, repr=False, compare=False)

    @property
    def workspace(self) -> Workspace:
        if self.ws is None:
            raise ValueError(f"run {self.run_id} was not read from a workspace")
        return self.ws

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)

    def taxonomy(self) -> Taxonomy:
        """The exact taxonomy that produced this run."""
        return _taxonomy(self.taxonomy_path)

    @property
    def labels_path(self) -> Path:
        return Path(self.path) / LABELS_FILE

    @property
    def features_path(self) -> Path:
        return Path(self.path) / FEATURES_FILE

    @property
    def attributes_path(self) -> Path:
        """The customers' attribute columns, where the features file holds none of them
        but the age (absent in runs on Spark and of older versions)."""
        return Path(self.path) / ATTRIBUTES_FILE

    def rows_sql(self, among: str | None = None) -> str:
        """The run's rows as an SQL table expression (for ``FROM``): one per customer,
        its features then its predictions and labels, the columns a run of an older
        version kept in its labels file alone. Written in two files, the features as the
        run built them and the labels beside them, because writing the features a second
        time with the labels was 1.6 s of a run at 1M customers; reading them joined
        costs 0.1 s more for a whole scan.

        ``among``: a query of customer ids (our own SQL, e.g. ``SELECT customer_id FROM
        wanted``), to read those customers only. Each file is filtered before the join:
        filtering the join's result joined every customer first (20k customers of 1M:
        1.0 s against 0.24 s). One customer by ``WHERE customer_id = ?`` on the result
        needs nothing of the kind (the filter reaches both files)."""
        where = "" if among is None else f" WHERE customer_id IN ({among})"
        labels = _read(self.labels_path, where)
        if not self.features_path.exists():
            if "orders" not in parquet_columns(self.labels_path):
                # a run of this version whose features file went: its rows would lack
                # every feature, and a customer's page show "— orders" without a word
                raise WorkspaceError(
                    t("run.features_missing", run_id=self.run_id, file=str(self.features_path))
                )
            return labels  # a run of an older version: everything is in its labels file
        features = _read(self.features_path, where)
        own = parquet_columns(self.features_path)
        if not self.attributes_path.is_file():
            if "kind" not in own and "age" in own:
                # built without its attributes, whose file went: every name, city and
                # segment of geography would read as unknown, without a word
                raise WorkspaceError(
                    t("run.attributes_missing", run_id=self.run_id, file=str(self.attributes_path))
                )
            return f"(SELECT * FROM {features} AS f JOIN {labels} AS l USING (customer_id))"
        # the columns in the order of a features file that holds them all
        first = [
            c for c in parquet_columns(self.attributes_path) if c not in ATTRIBUTES_NOT_FEATURES
        ]
        picked = [f"{'f' if c in own else 'a'}.{_name(c)}" for c in first]
        picked += [f"f.{_name(c)}" for c in own if c not in first]
        attributes = _read(self.attributes_path, where)
        return (
            f"(SELECT {', '.join(picked)}, l.* EXCLUDE (customer_id) FROM {features} AS f "
            f"LEFT JOIN {attributes} AS a USING (customer_id) "
            f"JOIN {labels} AS l USING (customer_id))"
        )

    def page_sql(
        self,
        columns: Sequence[str],
        where: str,
        order: str,
        reads: Iterable[str],
        ties: str = "customer_id",
    ) -> str | None:
        """One page of the run's rows (:meth:`rows_sql`): ``columns`` of the rows matching
        ``where`` in ``order`` then in ``ties`` (SQL reading ``customer_id``: by default the
        id; see :mod:`kequn.snapshots.tie_order`), from the query's last two parameters
        (``LIMIT ? OFFSET ?``, after those of ``where``). None when a plain query of the
        rows is as good: the run has no attributes file, or ``where`` and ``order`` read
        (``reads``) one of its columns.

        The rows join every customer's attributes to their features: a page of a segment
        sorted by spend joined all 1M of them, names and cities, to keep 50 (0.34-0.5 s
        of the page). Here the page is found from the features and labels alone and only
        its customers' attributes are read. The answer is the same: ``rows_sql`` joins
        the attributes to the features with a LEFT JOIN on the customer id, one row each
        (the attributes of each customer, as the features and labels; the lookup file
        keys them so), so the rows of features and labels joined are the rows of the run
        with the attribute columns left out, filtered and ordered alike; the page's
        order (then ``ties``) is the rows' order."""
        if not (self.features_path.exists() and self.attributes_path.is_file()):
            return None
        own = parquet_columns(self.features_path)
        theirs = {
            c
            for c in parquet_columns(self.attributes_path)
            if c not in ATTRIBUTES_NOT_FEATURES and c not in own
        }
        if theirs & set(reads):
            return None
        kept = [c for c in dict.fromkeys((*columns, *reads)) if c not in theirs]
        added = [c for c in columns if c in theirs]
        features, labels = _read(self.features_path, ""), _read(self.labels_path, "")
        page = (
            f"SELECT {', '.join(_name(c) for c in kept)} FROM (SELECT f.*, l.* EXCLUDE "
            f"(customer_id) FROM {features} AS f JOIN {labels} AS l USING (customer_id)) "
            f"WHERE {where} ORDER BY {order}, {ties} LIMIT ? OFFSET ?"
        )
        shown = ", ".join(_name(c) for c in columns)
        joined = ""
        if added:
            picked = ", ".join(_name(c) for c in ("customer_id", *added))
            attributes = _read(self.attributes_path, "")
            joined = f" LEFT JOIN (SELECT {picked} FROM {attributes}) AS a USING (customer_id)"
        return f"SELECT {shown} FROM ({page}) AS p{joined} ORDER BY {order}, {ties}"

    def rows(self, columns: Sequence[str] | None = None) -> pa.Table:
        """The run's rows (:meth:`rows_sql`) as an Arrow table: every column, or
        ``columns``; in no particular order."""
        import duckdb

        picked = "*" if columns is None else ", ".join(_name(c) for c in columns)
        with duckdb.connect() as con:
            return con.execute(f"SELECT {picked} FROM {self.rows_sql()}").to_arrow_table()

    @property
    def taxonomy_path(self) -> Path:
        return Path(self.path) / TAXONOMY_FILE

    def summary(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "as_of": self.as_of,
            "created_at": self.created_at,
            "engine": self.engine,
            "customers": self.customers,
            "seconds": round(self.seconds, 2),
            "taxonomy_version": self.taxonomy_version,
        }

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("path", "ws")}


def _read(path: Path, where: str) -> str:
    scan = "read_parquet(" + _quoted(parquet_glob(path)) + ")"
    return f"(SELECT * FROM {scan}{where})" if where else scan


def _name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _quoted(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"  # our own run folder (SQL takes it as text)


@functools.lru_cache(maxsize=16)
def _taxonomy(path: Path) -> Taxonomy:
    # a run's taxonomy never changes: read it once; checked whole when the run was made,
    # so its rules are parsed when a page first needs them (most name labels only)
    return load_taxonomy(path, parse_rules=False)


def new_run_id(as_of: dt.date) -> str:
    now = dt.datetime.now()
    return f"{now:%Y%m%d-%H%M%S}-{as_of:%Y%m%d}-{secrets.token_hex(2)}"


#: the lock each run in this process holds while it writes its staging folder
_claims: dict[Path, IO[str]] = {}


def staging_dir(ws: Workspace, run_id: str) -> Path:
    """A run's folder under ``.tmp/`` until it is published, claimed by a lock beside it
    (``run-ID.lock``: the folder itself is renamed into ``runs/``) held until
    :func:`publish` or :func:`discard`. Folders that runs killed half-way left behind
    are removed first (:func:`sweep_staging`)."""
    sweep_staging(ws)
    sweep_spill_folders(ws.tmp_dir)
    path = ws.tmp_dir / f"run-{run_id}"
    ws.tmp_dir.mkdir(parents=True, exist_ok=True)
    while True:
        claim = _lock_path(path).open("a")
        fcntl.flock(claim.fileno(), fcntl.LOCK_EX)  # before the folder exists: never unclaimed
        # a sweep that took the lock file between our opening and locking it removed it:
        # then ours is no one's, and a later sweep would take a new one; claim again
        try:
            if os.fstat(claim.fileno()).st_ino == _lock_path(path).stat().st_ino:
                break
        except FileNotFoundError:
            pass
        claim.close()
    _claims[path] = claim
    path.mkdir(parents=True, exist_ok=True)
    return path


def sweep_staging(ws: Workspace) -> int:
    """Remove the staging folders of runs killed half-way (every customer's features and
    labels, never published and read by no one); a folder whose lock is held belongs to
    a run in progress (in any process) and is left alone. How many were removed."""
    removed = 0
    folders = {p.with_suffix("") if p.suffix == ".lock" else p for p in ws.tmp_dir.glob("run-*")}
    for folder in sorted(folders):
        lock = _lock_path(folder)
        try:
            with lock.open("a") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
                lock.unlink(missing_ok=True)
        except BlockingIOError:
            continue
        except OSError:
            continue  # a folder kequn cannot write: nothing to sweep with
    return removed


def _lock_path(staging: Path) -> Path:
    return staging.with_name(staging.name + ".lock")


def _release(staging: Path) -> None:
    claim = _claims.pop(staging, None)
    if claim is not None:
        _lock_path(staging).unlink(missing_ok=True)
        claim.close()


def publish(
    ws: Workspace, staging: Path, info: RunInfo, erasures_seen: int | None = None
) -> RunInfo:
    """Write meta.json and move the finished run into ``runs/`` in one rename.

    ``erasures_seen``: :meth:`~kequn.store.workspace.Workspace.erasures` as the run found
    it before reading any data. If an erasure has changed the data since, the run may hold
    the erased person and is refused (the caller discards it)."""
    final = ws.runs_dir / info.run_id
    info.path = str(final)
    info.ws = ws
    with ws.publishing() as erasures:
        if erasures_seen is not None and erasures != erasures_seen:
            raise WorkspaceError(t("run.erased_meanwhile"))
        (staging / META_FILE).write_text(
            json.dumps(info.to_dict(), ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        ws.runs_dir.mkdir(exist_ok=True)
        staging.replace(final)
    _release(staging)
    return info


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    _release(staging)


_listed: dict[Path, tuple[int, list[RunInfo]]] = {}


def previous_run(run: RunInfo, runs: list[RunInfo] | None = None) -> RunInfo | None:
    """The run ``run`` is compared with: the latest published run with an earlier as-of
    date (of several at that date, the one created last), if any. By as-of date, not by
    creation time, so a run made afterwards for an earlier date (a backfill) slots into
    the timeline; events and ``kequn history`` both compare this way."""
    older = [
        r
        for r in (list_runs(run.workspace) if runs is None else runs)
        if r.as_of_date < run.as_of_date and r.run_id != run.run_id
    ]
    return max(older, key=dated_order, default=None)


def dated_order(run: RunInfo) -> tuple[dt.date, str]:
    """How runs are ordered in time: by as-of date, then (a rerun of one date) by
    creation time. Not by creation alone: a run made afterwards for an earlier date (a
    backfill, ``kequn run --as-of`` a past day) is history, not the current state."""
    return (run.as_of_date, run.created_at)


def current_run(ws: Workspace, runs: Iterable[RunInfo] | None = None) -> RunInfo | None:
    """The run every command, API route and page reads when none is named: the one with
    the latest as-of date (of several at that date, the one created last), as
    :func:`latest_pair` compares it; None before any run. ``runs``: the workspace's runs
    already listed (:func:`list_runs`)."""
    return max(list_runs(ws) if runs is None else runs, key=dated_order, default=None)


def by_date(runs: Iterable[RunInfo]) -> list[RunInfo]:
    """``runs`` latest first by :func:`dated_order`: the current run (:func:`current_run`)
    first."""
    return sorted(runs, key=dated_order, reverse=True)


def latest_pair(ws: Workspace) -> tuple[RunInfo, RunInfo] | None:
    """The current run (:func:`current_run`: the latest as-of date, ties created last)
    and its :func:`previous_run` (or, when every other run has the same date, the one
    created before it): what ``kequn history`` and the overview compare by default."""
    runs = list_runs(ws)
    newest = current_run(ws, runs)
    if newest is None:
        return None
    before = compared_with(newest, runs)
    return (before, newest) if before is not None else None


def compared_with(run: RunInfo, runs: list[RunInfo] | None = None) -> RunInfo | None:
    """The run ``run``'s movements are counted from: its :func:`previous_run`, or, when
    every earlier run has its date (a rerun after a taxonomy edit), the one made before
    it at that date; None when ``run`` is the first in time."""
    runs = list_runs(run.workspace) if runs is None else runs
    return previous_run(run, runs) or max(
        (r for r in runs if dated_order(r) < dated_order(run)), key=dated_order, default=None
    )


def list_runs(ws: Workspace) -> list[RunInfo]:
    """Every finished run, newest first (by creation time: a listing; the run read when
    none is named is :func:`current_run`, the latest by as-of date).

    Runs are immutable and appear by a rename into ``runs/``, which changes the folder's
    modification time; the listing is cached until it does (the server asks per request).
    """
    if not ws.runs_dir.is_dir():
        return []
    stamp = ws.runs_dir.stat().st_mtime_ns
    cached = _listed.get(ws.runs_dir)
    if cached and cached[0] == stamp:
        return list(cached[1])
    runs: list[RunInfo] = []
    for folder in ws.runs_dir.iterdir():
        meta = folder / META_FILE
        if meta.is_file():
            data = json.loads(meta.read_text(encoding="utf-8"))
            data["path"] = str(folder)
            runs.append(RunInfo(**data, ws=ws))
    runs.sort(key=lambda r: r.created_at, reverse=True)
    _listed[ws.runs_dir] = (stamp, runs)
    return list(runs)


def listing(ws: Workspace, limit: int | None = None) -> list[dict[str, Any]]:
    """The runs' summaries newest first (by creation: :func:`list_runs`; the first
    ``limit``, and then the current run if it is not among them), each saying whether it
    is the current run (``current``: the one read when none is named, :func:`current_run`),
    which a backfill made last is not."""
    runs = list_runs(ws)
    now = current_run(ws, runs)
    shown = runs if limit is None else runs[:limit]
    current_id = now.run_id if now is not None else None
    if now is not None and all(r.run_id != current_id for r in shown):
        shown.append(now)
    return [{**r.summary(), "current": r.run_id == current_id} for r in shown]


def get_run(ws: Workspace, run_id: str | None = None) -> RunInfo | None:
    """A run by id (or unique prefix), or, with no id, the current run
    (:func:`current_run`: the latest as-of date, not the one made last)."""
    runs = list_runs(ws)
    if run_id is None:
        return current_run(ws, runs)
    matches = [r for r in runs if r.run_id == run_id or r.run_id.startswith(run_id)]
    return matches[0] if len(matches) == 1 else None


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as another name of the file ``source`` (no copy of its bytes), or a copy
    where the file system has no links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def drop_intermediates(staging: Path) -> None:
    """Remove what building the features left in a run's folder but the features file:
    their parts (``features-*``) and, on Spark, the features with the predictions staged
    for the executors (``features2``, ``features3``): copies of every customer's
    features that no reader reads, and that an erasure (which rewrites the features and
    labels files) would not reach."""
    for target in staging.glob("features*.parquet"):
        if target.name == FEATURES_FILE:
            continue
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
