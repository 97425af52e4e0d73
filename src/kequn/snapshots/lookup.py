"""A run's data laid out for fast lookups by the server, built once per run.

A run keeps its labels as Parquet (written by either engine). Answering "this customer"
or "page 3 of this segment" from Parquet, or a customer's orders from the workspace's
tables, means scanning millions of rows per request. So the server builds, next to the
run, in a background thread once the run is shown (or ``kequn run`` itself, with
``prepare_lookups``), two files:

- ``lookup.duckdb`` (columnar, for questions over many rows): ``labels``, a view of the
  run's own Parquet (every feature and label), for segment pages in any order or filter,
  the RFM grid and rule previews. A sorted copy of the labels (``lookup-columns.duckdb``,
  :func:`build_columns`) answers those 2-6× faster; it is built after the SQLite file;
- ``lookup2.sqlite`` (row store with B-tree keys, for questions about one key): one
  row per customer id in each of ``labels``, ``customers``, ``orders`` and ``events``,
  its values packed as one JSON array (the orders and interactions as of the run's
  date, consistent with the labels they explain, newest first, at most
  :data:`~kequn.snapshots.packed.TIMELINE`), and ``top_members``, the first
  :data:`TOP_MEMBERS` members of every segment in the default order (spend, highest
  first), so the pages people open most need no sort of a million rows.

A run is shown as soon as it is published, not when these are built (20-27 s at 1M
customers with 10M orders for a daily run, most of a daily refresh): until then the
labels come from the view of the Parquet (:func:`cursor`) and one customer's rows are
read on the spot (:class:`~kequn.snapshots.direct.Direct`, the same answers, 0.1-0.5 s a
customer page at 1M against ~1 ms), and segment pages sort the labels themselves.

Why two engines: a point lookup in DuckDB decompresses a whole vector of every column
it returns, ~2.5 ms for one customer's 100-column labels row at 1M customers and ~11 ms
for a customer page's four lookups; SQLite answers each from its B-tree in 0.02-0.15 ms.
How the SQLite file stores and returns values: :mod:`kequn.snapshots.packed`.

Both files are built under a lock, written to temporary names and renamed into place
(the DuckDB file last: its presence means they are ready). DuckDB connections are shared
per process, SQLite ones kept per thread; before each use a reader checks that the file
it opened is still the one in place (device and inode): one that an erasure or pruning
removed, in this process or another, is never read again.

Incremental builds: most customers look the same from one run to the next (a day's
orders touch ~1% of them), so a run's SQLite file starts as a copy of the previous run's
and only what differs is written again. Each build keeps, next to its files,
``lookup-digests.parquet``: per table and customer id, the row count and the sum of the
hashes of the JSON stored for them (:func:`~kequn.snapshots.packed.digest_sql`), computed
in DuckDB. The next build computes the same for its own data; the customers whose digest
differs, or who are new or gone (an erasure), are deleted from the copy and packed
again. A table whose columns changed, or most of whose customers did (labels when the
as-of date moves: recency changes for everyone), is written again whole; the segments'
first members always are. The result is the file a full build makes (a test compares
every table row for row).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from kequn.snapshots.columns import (  # noqa: F401 - also known as lookup.* to callers
    _columns_wait,
    build_columns,
    columns_later,
    in_background,
    interruptible,
    stop_building,
)
from kequn.snapshots.direct import Direct
from kequn.snapshots.incremental import LABELS_VIEW, bring_up_to_date, digest
from kequn.snapshots.lookup_files import (  # noqa: F401 - also known as lookup.* to callers
    COLUMNS_NAME,
    DIGESTS_NAME,
    INDEX_NAME,
    POINTS_NAME,
    ROW_GROUP_SIZE,
    SCAN_THREADS,
    FileCopy,
    built_after_erasure,
    columns_path,
    digests_path,
    file_id,
    index_path,
    labels_sql,
    lookup_files,
    mark_erasure,
    old_points,
    partials,
    points_path,
    quoted,
)
from kequn.snapshots.packed import Points, quoted_name
from kequn.snapshots.runs import RunInfo, by_date, get_run, list_runs
from kequn.snapshots.tie_order import tie_order
from kequn.store.workspace import Workspace, opened_path

#: columns a segment page lists, besides the dimensions
MEMBER_COLUMNS = (
    "customer_id",
    "name",
    "city",
    "orders",
    "spend",
    "days_since_last_order",
    "clv_365d",
    "churn_risk",
)
#: rows of each segment kept ready in the default order (spend, highest first): 20 pages
TOP_MEMBERS = 1000


_open: dict[Path, duckdb.DuckDBPyConnection] = {}
_guard = threading.Lock()
_local = threading.local()


#: how the lookup files of each run built in this process were made: "full", or for an
#: incremental build the previous run's id and, per table, the customers written again
#: (or "whole"), the seconds taken and DuckDB's threads
builds: dict[str, dict[str, Any]] = {}


_ready: set[Path] = set()


def is_ready(run: RunInfo) -> bool:
    """Whether the run's lookup files are built (once they are, they stay: runs are
    immutable), asked a few times per page, so remembered instead of stat'ed again."""
    path = index_path(run)
    if path in _ready:
        return True
    if path.exists() and points_path(run).exists():
        _ready.add(path)
        return True
    return False


def build_index(run: RunInfo, *, incremental: bool = True) -> Path:
    """Create the run's lookup files if they do not exist yet; return the DuckDB one.

    With ``incremental`` (the default) the SQLite file is brought up to date from the
    newest earlier run whose files are ready, when there is one (see the module's
    docstring); otherwise, or without, it is built from scratch."""
    path = index_path(run)
    if is_ready(run):
        return path
    lock = path.with_suffix(".lock")
    with lock.open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        if is_ready(run):
            return path
        started, began = time.perf_counter(), time.time_ns()
        partial = path.with_suffix(".partial")
        partial_points = points_path(run).with_suffix(".partial-sqlite")
        partial_digests = digests_path(run).with_suffix(".partial-parquet")
        # (a columnar copy left from files built before is of them: built again later)
        for stale in (*partials(path.parent), columns_path(run), *old_points(path.parent)):
            stale.unlink(missing_ok=True)
        ws = run.workspace
        # the day after the run's date, as a bound: rows up to the end of the as-of day
        until = dt.date.fromisoformat(run.as_of) + dt.timedelta(days=1)
        with contextlib.ExitStack() as held:
            previous = _previous(run, held) if incremental else None
            published = held.enter_context(ws.read())
            # hold the published generation (and its reader lock) while copying from it
            source = opened_path(published)
            con = duckdb.connect()
            try:
                held.enter_context(interruptible(con))
                con.execute("SET enable_progress_bar = false")
                if in_background():
                    # in a serving process, the first pages of the run (read from its
                    # Parquet meanwhile) keep the other core: at 1M they took 1.2-1.45 s
                    # beside a build on both, against 0.75 s alone
                    con.execute("SET threads = 1")
                found = con.execute("SELECT current_setting('threads')").fetchone()
                threads = int(found[0]) if found else None
                # within the workspace's memory budget, like a run (sorts spill to .tmp,
                # in a folder of this build's own: see Workspace.spill_folder)
                ws.confine(con, held.enter_context(ws.spill_folder()))
                # our own paths, not user text (ATTACH takes no parameters)
                con.execute(f"ATTACH {quoted(partial)} AS idx (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
                con.execute(f"ATTACH {quoted(source)} AS src (READ_ONLY)")
                how = _copy(con, run, until, partial_points, partial_digests, previous)
            except BaseException:
                # what a failed build wrote holds customers' data: not left behind
                con.close()
                for stale in partials(path.parent):
                    stale.unlink(missing_ok=True)
                raise
            finally:
                con.close()
        # when this build started (it read the data then), for later builds to compare
        # with the last erasure's mark (see _previous)
        os.utime(partial_digests, ns=(began, began))
        partial_points.rename(points_path(run))
        partial_digests.rename(digests_path(run))
        partial.rename(path)
        took = round(time.perf_counter() - started, 3)
        builds[run.run_id] = {**how, "seconds": took, "threads": threads}
    _prune(run.workspace, run)
    return path


def _previous(run: RunInfo, held: contextlib.ExitStack) -> RunInfo | None:
    """The newest other run whose lookup files (digests included) are ready, held
    against pruning (a shared lock on its lock file) until ``held`` closes; None when
    there is none, or when its lock is taken (being pruned or rebuilt: not worth waiting
    for)."""
    for other in list_runs(run.workspace):
        if other.run_id == run.run_id or other.created_at > run.created_at:
            continue
        if not (index_path(other).exists() and digests_path(other).exists()):
            continue
        fh = held.enter_context(index_path(other).with_suffix(".lock").open("a+"))
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        # pruned between the look and the lock?
        if not all(
            p.exists() for p in (index_path(other), points_path(other), digests_path(other))
        ):
            return None
        # built before an erasure that has not removed it yet: it may hold the person, and
        # rows deleted from a copy leave bytes behind (built from scratch instead)
        return other if built_after_erasure(digests_path(other), run.workspace.root) else None
    return None


def _prune(ws: Workspace, built: RunInfo) -> None:
    """Remove the lookup files of runs but the latest ``keep_lookups`` by as-of date (the
    current run first: a backfill's build never takes its files; a setting in the
    workspace's ``kequn.toml``, 3 by default, at least 1; 2.7 GB each at 1M).

    A process that has one open keeps reading it (its disk space returns when the last
    reader closes); one that looks later finds it gone and reads the run's Parquet and
    the workspace instead (:func:`reader`). A run whose files are being built (its lock
    held) is left alone."""
    for old in by_date(list_runs(ws))[max(1, ws.settings.keep_lookups) :]:
        folder = old.labels_path.parent
        if folder == built.labels_path.parent:
            continue
        if not (folder / INDEX_NAME).exists() and not partials(folder):
            continue  # (partial files of an interrupted build go too: customers' data)
        with (folder / INDEX_NAME).with_suffix(".lock").open("a+") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            for file in lookup_files(folder):
                file.unlink(missing_ok=True)
        _forget(folder)


def _forget(folder: Path) -> list[duckdb.DuckDBPyConnection]:
    """Drop this process's knowledge of a run folder's lookup files (they were removed):
    readiness and its shared DuckDB connections (returned, for the caller to close;
    cursors in use keep theirs)."""
    with _guard:
        _ready.discard(folder / INDEX_NAME)
        _opened_on.pop(folder / COLUMNS_NAME, None)
        return [c for c in (_open.pop(folder / n, None) for n in (INDEX_NAME, COLUMNS_NAME)) if c]


def _copy(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    until: dt.date,
    points: Path,
    digests: Path,
    previous: RunInfo | None,
) -> dict[str, Any]:
    """Build the DuckDB file in ``idx``, the SQLite file at ``points`` (from scratch, or
    from ``previous``'s) and the digests at ``digests``; return how."""
    # the previous file (2.6 GB at 1M) is copied while DuckDB ranks and digests
    copying = None
    if previous is not None:
        copying = FileCopy(points_path(previous), points)
        copying.start()
    try:
        # the run's own Parquet, read in place (the DuckDB file is left empty: its
        # presence says the run is ready; readers make their own view, see cursor())
        con.execute(f"CREATE TEMP VIEW {LABELS_VIEW} AS {labels_sql(run)}")
        _top_members(con, run)
        layouts = digest(con, until, digests)
    finally:
        if copying is not None:
            copying.join()  # not left writing after a failure
    how: dict[str, Any] = {"previous": None}
    if copying is not None and previous is not None:
        copying.finish()
        how = {"previous": previous.run_id}
    sq = sqlite3.connect(points)
    try:
        # a scratch file written once, renamed into place when complete: no journal; rows
        # deleted from a copy are zeroed where that costs no extra writes (FAST)
        pragmas = ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072")
        for pragma in (*pragmas, "secure_delete = FAST"):
            sq.execute(f"PRAGMA {pragma}")
        old = None if previous is None else digests_path(previous)
        how |= bring_up_to_date(con, sq, until, layouts, old)
        sq.commit()
    finally:
        sq.close()
    con.execute("DETACH src")
    con.execute("CHECKPOINT idx")
    con.execute("DETACH idx")
    return how


def _top_members(con: duckdb.DuckDBPyConnection, run: RunInfo) -> None:
    """The first :data:`TOP_MEMBERS` members of every segment, in the default order.

    Customers are numbered in that order once (``pos``, a sort of two columns); each
    segment then takes its first numbers (a top-N per tag label, a window over ``pos``
    per exclusive dimension, on the label columns alone), and the shown columns are
    joined to the ~100k chosen. Numbering every segment by spend and id in a window of
    its own, with every shown column, sorted the million rows again for each of ~100
    segments: 22-26 s at 1M in memory, now ~3 s, and it needs less memory (at 1M it
    fits in 150 MB, which the old query did not; the whole build 66 → 52 s)."""
    taxonomy = run.taxonomy()
    exclusive = [d.id for d in taxonomy.dimensions if d.type == "exclusive"]
    # ids are checked against ^[a-z][a-z0-9_]*$ when the taxonomy loads; quoted anyway
    q = quoted_name
    con.execute(
        "CREATE TEMP TABLE _ranked AS SELECT customer_id, row_number() OVER "
        f"(ORDER BY spend DESC NULLS LAST, {tie_order(run.ws)}) AS pos FROM {LABELS_VIEW}"
    )
    con.execute(
        "CREATE TEMP TABLE _marks AS SELECT r.pos, "
        + ", ".join(f"l.{q(c)}" for c in taxonomy.label_columns())
        + f" FROM {LABELS_VIEW} l JOIN _ranked r USING (customer_id)"
    )
    parts = []
    for dim in taxonomy.dimensions:
        if dim.type == "exclusive":
            parts.append(
                f"SELECT '{dim.id}' AS dimension, {q(dim.id)} AS label, pos, "
                f"row_number() OVER (PARTITION BY {q(dim.id)} ORDER BY pos) AS rank "
                f"FROM _marks QUALIFY rank <= {TOP_MEMBERS}"
            )
        else:
            for label in dim.labels:
                column = q(dim.tag_column(label.id))
                parts.append(
                    f"SELECT '{dim.id}' AS dimension, '{label.id}' AS label, pos, "
                    "row_number() OVER (ORDER BY pos) AS rank FROM "
                    f"(SELECT pos FROM _marks WHERE {column} ORDER BY pos LIMIT {TOP_MEMBERS})"
                )
    con.execute("CREATE TEMP TABLE _chosen AS " + " UNION ALL ".join(parts))
    shown = ", ".join(f"l.{q(c)}" for c in dict.fromkeys((*MEMBER_COLUMNS, *exclusive)))
    con.execute(
        f"CREATE TEMP TABLE top_members AS SELECT c.dimension, c.label, c.rank, {shown} "
        f"FROM _chosen c JOIN _ranked r USING (pos) JOIN {LABELS_VIEW} l USING (customer_id)"
    )
    for name in ("_chosen", "_marks", "_ranked"):
        con.execute(f"DROP TABLE {name}")


@contextlib.contextmanager
def cursor(run: RunInfo) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the run's labels (table ``labels``) for questions over many rows,
    shared per process: the sorted columnar copy once it is built, else a view of the
    run's Parquet (nothing to wait for; where :data:`build_in_background` says so, the
    run's lookup files and then the copy are built in a background thread)."""
    con, key = _connection(run)
    cur = con.cursor()
    if key == index_path(run) and build_in_background:
        later(run)
    try:
        yield cur
    finally:
        cur.close()


#: the file each shared connection to a columnar copy was opened on (device, inode)
_opened_on: dict[Path, tuple[int, int]] = {}


def _connection(run: RunInfo) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """The shared connection to ask (and its key in ``_open``): the columnar copy if it is
    there, and the same file this process opened (one removed by an erasure or pruning
    in another process, and perhaps built again since, is not read any more), else the
    view of the Parquet."""
    path, copy = index_path(run), columns_path(run)
    limit = run.workspace.settings.memory_limit
    with _guard:
        on = file_id(copy)
        con = _open.get(copy)
        if con is not None and _opened_on.get(copy) != on:
            del _open[copy]  # closed when the last cursor on it is (reference counting)
            con = None
        if con is None and on is not None:
            try:
                # the sorted copy's lookups gain little from parallel scans (one thread)
                con = duckdb.connect(
                    str(copy),
                    read_only=True,
                    config={"threads": 1, "memory_limit": limit},
                )
            except duckdb.Error:  # removed between the look and the open: the view
                con = None
            else:
                _open[copy], _opened_on[copy] = con, on
        if con is not None:
            return con, copy
        con = _open.get(path)
        if con is None:
            con = duckdb.connect(config={"threads": SCAN_THREADS, "memory_limit": limit})
            # the footers (~100 columns × row groups) parsed once, not per query
            con.execute("SET GLOBAL parquet_metadata_cache = true")
            con.execute(f"CREATE VIEW labels AS {labels_sql(run)}")
            _open[path] = con
        return con, path


#: whether readers start building a run's lookup files, then its columnar copy, in a
#: background thread when they are missing (``kequn serve`` sets it; a CLI process would
#: exit first, and answers from the Parquet and the workspace instead)
build_in_background = False


def later(run: RunInfo) -> None:
    """Build the run's lookup files, then its columnar copy, in a background thread (once
    per run and process at a time, one run after another; after a failure not again for
    a while). Only for the latest ``keep_lookups`` runs by as-of date, whose files are
    kept: an older run (a backfill too) is read directly (its files would be pruned by
    the next build, and someone paging through old runs would have each one's 2.7 GB at
    1M built in turn)."""
    newest = by_date(list_runs(run.workspace))[: max(1, run.workspace.settings.keep_lookups)]
    if any(r.run_id == run.run_id for r in newest):
        columns_later(run, before=build_index)


#: readers kept open per thread, the most recently used runs' (each holds a file open)
READERS_PER_THREAD = 4


def points(run: RunInfo) -> Points | None:
    """This thread's reader of the run's SQLite lookup file; None when it is not built
    (yet, or any more: removed by an erasure or pruning, in any process)."""
    path = points_path(run)
    readers: dict[Path, Points] = _local.__dict__.setdefault("readers", {})
    found = readers.pop(path, None)
    on = file_id(path)
    if found is not None and found.file_id != on:
        # removed (an erasure, pruning) or built again since this thread opened it: an
        # open reader would go on answering from the old file
        found.con.close()
        found = None
    if found is None:
        if not (on is not None and index_path(run).exists()):  # (the DuckDB file last)
            with _guard:
                _ready.discard(index_path(run))
            return None
        try:
            found = Points(path)
        except (FileNotFoundError, sqlite3.Error):  # removed between the look and the open
            return None
        while len(readers) >= READERS_PER_THREAD:
            readers.pop(next(iter(readers))).con.close()  # the least recently used
    readers[path] = found  # (re)inserted last: dicts keep insertion order
    return found


@contextlib.contextmanager
def reader(run: RunInfo) -> Iterator[Points | Direct]:
    """Point lookups of one customer in the run: this thread's reader of the SQLite file
    when it is built, else the same answers read on the spot (:class:`Direct`; where
    :data:`build_in_background` says so, the files are built meanwhile)."""
    found = points(run)
    if found is not None:
        yield found
        return
    if build_in_background:
        later(run)
    with Direct(run) as direct:
        yield direct


def ready_run(ws: Workspace, run_id: str | None = None, *, wait: bool = True) -> RunInfo | None:
    """The run to show: the one asked for, else the current one (the latest as-of date:
    :func:`~kequn.snapshots.runs.current_run`, through ``get_run``).

    A run is shown as soon as it is published: until its lookup files are built, pages
    read its Parquet and the workspace (:func:`cursor`, :func:`reader`), and the server
    builds the files in the background. (``wait`` is kept for callers on the event loop;
    nothing is built here any more.)"""
    del wait
    run = get_run(ws, run_id)
    if run_id is None and run is not None and build_in_background and not is_ready(run):
        later(run)
    return run
