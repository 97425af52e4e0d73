"""Where a run's lookup files live, by name, and which files a run's folder holds of
them (partial ones of an interrupted build included), and a file copied in a thread:
shared by the build (:mod:`kequn.snapshots.lookup`), the columnar copy
(:mod:`kequn.snapshots.columns`) and erasure."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from kequn.snapshots.runs import RunInfo

INDEX_NAME = "lookup.duckdb"
#: the row-store file; a new name whenever its layout changes, so old runs rebuild it
POINTS_NAME = "lookup2.sqlite"
#: per table and customer, a digest of what the SQLite file holds (for the next build)
DIGESTS_NAME = "lookup-digests.parquet"
#: the labels as a sorted DuckDB table, built after the run is ready (:func:`build_columns`)
COLUMNS_NAME = "lookup-columns.duckdb"
#: touched by every erasure (under the workspace's ``locks/``): a run's lookup files whose
#: build started before it may hold the person, so no later build starts from them
ERASED_NAME = "lookup-erased"
#: earlier layouts' files, removed when a run's lookup files are built again
OLD_POINTS = ("lookup.sqlite",)
#: rows per row group of the DuckDB files written
ROW_GROUP_SIZE = 8192
#: DuckDB's threads for a page read from a run's Parquet and the workspace before the
#: run's lookup files are built (the segment pages' view, :class:`~kequn.snapshots.direct.
#: Direct`): such a page scans every customer (and a customer page every order), and two
#: threads took 0.23 s for a segment's first page at 1M and 0.15 s for a customer's,
#: against 0.37 and 0.21 s on one, beside the background build's one thread. A fixed two
#: (not the machine's cores) so that concurrent requests in that window share few threads
SCAN_THREADS = 2


def index_path(run: RunInfo) -> Path:
    return run.labels_path.parent / INDEX_NAME


def points_path(run: RunInfo) -> Path:
    return run.labels_path.parent / POINTS_NAME


def digests_path(run: RunInfo) -> Path:
    return run.labels_path.parent / DIGESTS_NAME


def columns_path(run: RunInfo) -> Path:
    return run.labels_path.parent / COLUMNS_NAME


def quoted(path: object) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def partials(folder: Path) -> list[Path]:
    """Files a build in progress writes (and an interrupted one leaves)."""
    return [
        *folder.glob("lookup*.partial*"),
        *folder.glob("lookup*.wal"),
    ]


def old_points(folder: Path) -> list[Path]:
    return [folder / name for name in OLD_POINTS]


def lookup_files(folder: Path) -> list[Path]:
    """Every lookup file of a run's folder, in the order to remove them: the columnar
    copy first (it must not outlive the files it was made with), the DuckDB file next
    (the run is then no longer ready), then the rest, partial files included."""
    names = (COLUMNS_NAME, INDEX_NAME, POINTS_NAME, DIGESTS_NAME)
    return [*(folder / n for n in names), *old_points(folder), *partials(folder)]


def file_id(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` (device, inode), or None when there is none: a reader that
    opened another is reading a file since removed or replaced."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


class FileCopy(threading.Thread):
    """A file copied in a thread (the copy runs in the kernel, without the GIL); its
    error, if any, raised where it is waited for."""

    def __init__(self, source: Path, target: Path) -> None:
        super().__init__(name="kequn-lookup-copy", daemon=True)
        self.source, self.target = source, target
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            shutil.copyfile(self.source, self.target)
        except BaseException as exc:  # re-raised by finish()
            self.error = exc

    def finish(self) -> None:
        self.join()
        if self.error is not None:
            raise self.error


def erasure_mark(root: Path) -> Path:
    """The file an erasure touches in the workspace at ``root`` (see :data:`ERASED_NAME`)."""
    return root / "locks" / ERASED_NAME


def mark_erasure(root: Path) -> None:
    """Record that an erasure is removing a person's lookup files now."""
    mark = erasure_mark(root)
    mark.parent.mkdir(exist_ok=True)
    mark.touch()  # (an existing file's time set to now)


def built_after_erasure(digests: Path, root: Path) -> bool:
    """Whether the build that wrote ``digests`` started after the last erasure (a build
    sets its digests' modification time to when it started)."""
    try:
        mark = erasure_mark(root).stat().st_mtime_ns
    except FileNotFoundError:
        return True
    return digests.stat().st_mtime_ns > mark


def labels_sql(run: RunInfo) -> str:
    """The run's rows (:meth:`~kequn.snapshots.runs.RunInfo.rows_sql`), by the absolute
    paths of its files (our own, quoted): a relative path would be looked up in the
    process's working folder first."""
    return f"SELECT * FROM {run.rows_sql()}"
