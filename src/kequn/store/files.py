"""Files of a workspace written safely, and its folders for DuckDB's spill files: an
atomic replace, flushes to disk, the readers' shared locks on a generation (split from
:mod:`kequn.store.workspace`, which re-exports what others import from it)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path


def spill_prefix() -> str:
    """The start of a DuckDB spill folder's name under ``.tmp/``: ``spill-<pid>-``, so
    that :func:`sweep_spill_folders` can tell the folders of processes that are gone."""
    return f"spill-{os.getpid()}-"


def sweep_spill_folders(tmp_dir: Path) -> int:
    """Remove the spill folders (:func:`spill_prefix`) of processes that no longer exist:
    a process killed half-way leaves its spilled blocks behind (at scale, gigabytes), as
    DuckDB removes them only when it closes. How many were removed."""
    removed = 0
    for folder in tmp_dir.glob("spill-*-*"):
        pid = folder.name.split("-")[1]
        if not pid.isdigit() or not folder.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        except PermissionError:  # another user's live process
            continue
    return removed


def _reader_lock_path(db_path: Path) -> Path:
    return db_path.with_suffix(".readers")


@contextlib.contextmanager
def _reader_lock(db_path: Path) -> Iterator[bool]:
    """A shared lock keeping the generation ``db_path`` from being removed; False: it is
    gone (read ``CURRENT`` again). A workspace this process may not write (read-only
    media, a backup, another user's folder) is read too: the lock needs only a read-only
    descriptor, and with no lock file there, one cannot be made by anyone who could
    remove the generation either (it was refused as "the file system is read-only")."""
    path = _reader_lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        yield False
        return
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            yield db_path.exists()
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield True
    finally:
        os.close(fd)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    fsync_path(path.parent)


@contextlib.contextmanager
def _flush_behind(path: Path | None) -> Iterator[None]:
    """While the block runs, a thread writes ``path``'s cached pages to disk (``fsync``,
    which releases the GIL): what a generation's copy left in memory reaches the disk
    while its writer parses and validates, and the checkpoint's own fsync, which waited
    for all of it, finds little left. A failure is the checkpoint's and
    :func:`fsync_path`'s to report (they flush the same file again). None: nothing to
    flush.

    The thread is joined when the block ends, however it ends, and only then is the file
    closed: closing any descriptor of a file drops every POSIX lock this process holds
    on it, DuckDB's on the database it has open among them, and another process could
    then open the generation being written."""
    fd = None
    if path is not None:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
    if fd is None:
        yield
        return

    def flush() -> None:
        with contextlib.suppress(OSError):
            os.fsync(fd)

    thread = threading.Thread(target=flush, name="kequn-flush", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
        os.close(fd)


def fsync_path(path: Path) -> None:
    """Flush a file's or a folder's entries to disk (a folder: so a rename survives a crash)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
