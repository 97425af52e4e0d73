"""A run's labels as a DuckDB table sorted by customer id (``lookup-columns.duckdb``),
built after the run is shown (see :func:`build_columns`; the server starts it, after the
run's other lookup files, from :func:`kequn.snapshots.lookup.later`)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from kequn.snapshots.lookup_files import ROW_GROUP_SIZE, columns_path, index_path, quoted
from kequn.snapshots.runs import RunInfo

log = logging.getLogger(__name__)
_guard = threading.Lock()
#: per copy being built in this process, or failed: when to try again (monotonic s)
_columns_wait: dict[Path, float] = {}
#: how long a failed build of a columnar copy is not tried again, seconds
COLUMNS_RETRY = 600.0


def build_columns(run: RunInfo) -> Path | None:
    """The run's labels as a DuckDB table sorted by customer id (``lookup-columns.duckdb``),
    for the pages that scan many rows: a filtered count, a page sorted by another column,
    a search, the RFM grid and rule previews run 2-6× faster on it than on the Parquet
    (at 1M customers a page sorted by orders ~30 ms instead of ~170 ms). It is not part
    of the run being ready: it took 10-14 s of a 36 s lookup build at 1M, so the server
    shows the run first and builds this after (:func:`cursor`). None when the run's
    lookup files are gone (pruned, or removed by an erasure) meanwhile.

    Builders take the copy's own lock, and the run's lookup lock shared: a new run's
    build can start from this run's files meanwhile, and pruning or an erasure (which
    take the run's lock exclusively) wait for it or skip it."""
    target = columns_path(run)
    if target.exists():
        return target
    with contextlib.ExitStack() as held:
        own = held.enter_context(target.with_suffix(".lock").open("a+"))
        fcntl.flock(own.fileno(), fcntl.LOCK_EX)
        shared = held.enter_context(index_path(run).with_suffix(".lock").open("a+"))
        fcntl.flock(shared.fileno(), fcntl.LOCK_SH)
        if target.exists():
            return target
        if not index_path(run).exists():
            return None
        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        ws = run.workspace
        con = duckdb.connect()
        try:
            held.enter_context(interruptible(con))
            con.execute("SET enable_progress_bar = false")
            # in a serving process: one thread, so pages keep the other core
            con.execute("SET threads = 1")
            ws.confine(con, held.enter_context(ws.spill_folder()))
            con.execute(f"ATTACH {quoted(partial)} AS idx (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
            # the run's own folder (SQL takes it as text)
            con.execute(f"CREATE TABLE idx.labels AS FROM {run.rows_sql()} ORDER BY customer_id")
            con.execute("CHECKPOINT idx")
            con.execute("DETACH idx")
        except BaseException:
            con.close()
            for stale in (partial, partial.with_name(partial.name + ".wal")):
                stale.unlink(missing_ok=True)
            raise
        finally:
            con.close()
        partial.rename(target)
    return target


#: the requests the server is answering (counted by its outermost middleware,
#: :func:`request_started`) and when the last of them ended (monotonic s)
_requests = 0
_last_request = float("-inf")
#: a build in a background thread starts once the server has answered no request for
#: this long (s), or after :data:`QUIET_AT_MOST` whatever the requests: the pages asked
#: for just after a run (read from its Parquet until its files are built) have the cores.
#: At 1M customers on two cores, an overview, a segment's first page and a customer's
#: page took 0.57 s alone and 1.1-1.3 s beside a build
QUIET_SECONDS = 0.5
QUIET_AT_MOST = 15.0


def request_started() -> None:
    """Count a request being answered (see :data:`QUIET_SECONDS`) until
    :func:`request_ended` is called for it, once."""
    global _requests  # noqa: PLW0603 - the process's one count
    with _guard:
        _requests += 1


def request_ended() -> None:
    global _requests, _last_request  # noqa: PLW0603 - the process's one count
    with _guard:
        _requests -= 1
        _last_request = time.monotonic()


def busy_for() -> float:
    """How long to wait for the server to be quiet: 0 when no request has been answered
    for :data:`QUIET_SECONDS` (always, in a process that answers none)."""
    with _guard:
        if _requests:
            return QUIET_SECONDS
        return max(0.0, _last_request + QUIET_SECONDS - time.monotonic())


def _until_quiet() -> None:
    """Wait (in a build's background thread) for a quiet moment (:func:`busy_for`), at
    most :data:`QUIET_AT_MOST` seconds, or until the server stops."""
    deadline = time.monotonic() + QUIET_AT_MOST
    while (wait := min(busy_for(), deadline - time.monotonic())) > 0:
        if _pause(wait):
            return


def _pause(seconds: float) -> bool:
    """Wait ``seconds``; True when the server is stopping meanwhile."""
    return _stopping.wait(seconds)


#: the DuckDB connections of builds running in background threads, and those threads
_building: set[duckdb.DuckDBPyConnection] = set()
_threads: set[threading.Thread] = set()
_stopping = threading.Event()
_one_at_a_time = threading.Lock()


def in_background() -> bool:
    """Whether this is a build running in a background thread (:func:`columns_later`):
    in a serving process, next to the pages' queries."""
    return threading.current_thread() in _threads


@contextlib.contextmanager
def interruptible(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let :func:`stop_building` interrupt ``con``'s queries while the block runs (a build
    in a background thread, which a stopping server must not leave inside DuckDB: the
    process would abort at exit)."""
    if not in_background():
        yield
        return
    with _guard:
        _building.add(con)
    try:
        if _stopping.is_set():
            raise InterruptedError("the server is stopping")
        yield
    finally:
        with _guard:
            _building.discard(con)


def stop_building(timeout: float = 20.0) -> None:
    """Interrupt the lookup builds running in background threads and wait for them (they
    remove their partial files), before the process exits."""
    _stopping.set()
    deadline = time.monotonic() + timeout
    while True:
        with _guard:
            # again and again: an interrupt stops the query running at that moment only
            # (one that arrives between two queries is lost)
            for con in _building:
                with contextlib.suppress(duckdb.Error):  # (closed meanwhile)
                    con.interrupt()
            threads = [t for t in _threads if t.is_alive()]
        if not threads or time.monotonic() >= deadline:
            return
        threads[0].join(0.05)


def columns_later(run: RunInfo, before: Callable[[RunInfo], object] | None = None) -> None:
    """Start :func:`build_columns` in a background thread (after ``before``, the run's
    lookup files it needs), once per run and process at a time; after a failure, not
    again for :data:`COLUMNS_RETRY` seconds."""
    target = columns_path(run)
    now = time.monotonic()
    with _guard:
        if _columns_wait.get(target, 0.0) > now:
            return
        _columns_wait[target] = float("inf")  # being built

    def build() -> None:
        retry = 0.0
        try:
            _until_quiet()
            with _one_at_a_time:  # each takes ~1 GB and a core at 1M
                if before is not None:
                    before(run)
                build_columns(run)
        except Exception as exc:  # the view (and the Parquet) keep answering
            retry = time.monotonic() + COLUMNS_RETRY
            if not _stopping.is_set():
                # the error's kind and text: our paths and DuckDB's message, no personal data
                log.warning("building the lookup files of run %s failed: %r", run.run_id, exc)
        finally:
            with _guard:
                _columns_wait[target] = retry
                _threads.discard(thread)

    thread = threading.Thread(target=build, name="kequn-lookup", daemon=True)
    with _guard:
        if _stopping.is_set():
            _columns_wait[target] = 0.0
            return
        _threads.add(thread)
    thread.start()
