"""The workspace: a folder with ``kequn.toml``, the data, the taxonomy and the runs.

Layout::

    kequn.toml            business settings (home city, currency, time zone, as-of rule...)
    taxonomy.yaml         the workspace's editable copy of the taxonomy
    data/CURRENT          names the published generation, e.g. ``gen-000007.duckdb``
    data/gen-NNNNNN.duckdb  the canonical tables (customers, orders, events, quarantine...)
    runs/<run_id>/        one classification snapshot each (Parquet + meta.json)
    locks/write.lock      held by the one process that is writing

Why generations: DuckDB lets one process write a file, or many read it, never both.
kequn's server and CLI must read while another process imports or runs, so a writer
never touches the published file. It copies the current generation, writes the copy,
checkpoints, and publishes it by atomically replacing ``data/CURRENT``. Readers open the
generation ``CURRENT`` names, read-only, and hold a shared lock on it so it is not
removed under them. A writer killed half-way leaves ``CURRENT`` unchanged: the
workspace is exactly as it was, which is what makes imports atomic. Writers are
serialised by ``locks/write.lock``; old generations are removed once no reader holds them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO

import duckdb
import tomli_w

from kequn.core.i18n import t
from kequn.core.schema import DUCKDB_TYPES, ORDER_LINES, TABLES, TableSpec
from kequn.core.yamlfile import load_toml
from kequn.store.files import (
    _atomic_write,
    _flush_behind,
    _reader_lock,
    _reader_lock_path,
    fsync_path,
    spill_prefix,
)
from kequn.store.settings import (
    CONFIG_NAME,
    Settings,
    WorkspaceError,
    read_settings,
    refuse_unusable,
)

SECRET_KEY_FILE = "privacy.key"  # noqa: S105 - the file's name, not a secret
#: how many erasures have changed the data, under ``locks/`` (see :meth:`Workspace.erasing`)
ERASURES_FILE = "erasures"
_GEN_RE = re.compile(r"^gen-(\d{6})\.duckdb$")


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells a file changed: its inode (a file replaced whole, as kequn and most
    editors save), modification time and size; None if there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def resolve_root(path: str | os.PathLike[str] | None) -> Path:
    """The workspace folder: ``--workspace``, else ``KEQUN_WORKSPACE``, else the current folder.

    A path whose symbolic links loop is the operating system's ELOOP, told as such
    (Python before 3.13 resolves it into a bare RuntimeError: a traceback)."""
    given = path or os.environ.get("KEQUN_WORKSPACE")
    if not given:
        return Path.cwd()
    try:
        return Path(given).expanduser().resolve()
    except RuntimeError as exc:  # "Symlink loop from '…'" (Python 3.11, 3.12)
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(given)) from exc


class Workspace:
    """A workspace folder. Open one with :meth:`open` or create one with :meth:`init`."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        # kequn.toml as it was when ``settings`` were read (see :meth:`reread_settings`)
        self._settings_stamp = _stamp(root / CONFIG_NAME)
        self._refused_stamp: tuple[int, int, int] | None = None

    # -- paths -------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def runs_dir(self) -> Path:
        return self.root / "runs"

    @property
    def tmp_dir(self) -> Path:
        return self.root / ".tmp"

    @property
    def taxonomy_path(self) -> Path:
        return self.root / self.settings.taxonomy

    # -- lifecycle ---------------------------------------------------------------------
    @classmethod
    def init(
        cls, root: Path, settings: Settings | None = None, *, exist_ok: bool = False
    ) -> Workspace:
        """Create a workspace with empty tables and the default taxonomy."""
        root = Path(root)
        if (root / CONFIG_NAME).exists():
            if exist_ok:
                return cls.open(root)
            raise WorkspaceError(t("ws.exists", path=root))
        settings = settings or Settings()
        refuse_unusable(settings)
        for sub in ("data", "runs", "locks", ".tmp"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        ws = cls(root, settings)
        taxonomy = resources.files("kequn.taxonomy").joinpath("default.yaml")
        if taxonomy.is_file() and not ws.taxonomy_path.exists():
            ws.taxonomy_path.write_text(taxonomy.read_text(encoding="utf-8"), encoding="utf-8")
        with ws.write() as con:
            create_tables(con)
        # kequn.toml last: its presence is what marks a finished workspace
        _atomic_write(root / CONFIG_NAME, tomli_w.dumps(settings.to_toml()))
        ws._settings_stamp = _stamp(root / CONFIG_NAME)
        return ws

    @classmethod
    def open(cls, root: str | os.PathLike[str] | None = None) -> Workspace:
        root_path = resolve_root(root)
        if root_path.is_file():
            # (was "not a workspace: run kequn init", which then failed on the file)
            where = "--workspace" if root else "KEQUN_WORKSPACE"
            raise WorkspaceError(t("ws.a_file", path=root_path, where=where))
        config = root_path / CONFIG_NAME
        if not config.is_file():
            raise WorkspaceError(t("ws.missing", path=root_path))
        return cls(root_path, read_settings(config))

    def secret_key(self) -> str:
        """The workspace's own random key (``privacy.key``, readable by its owner only),
        made on first use: personal values that must serve as ids (a buyer's phone or
        e-mail) and audit references are keyed hashes under it."""
        path = self.root / SECRET_KEY_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text(encoding="utf-8").strip()

    def save_settings(self) -> None:
        """Write the settings back, keeping the sections other parts of kequn read from
        the file themselves (``[privacy]``, ``[automation]`` ...) as they were."""
        data = self.settings.to_toml()
        config = self.root / CONFIG_NAME
        if config.is_file():
            for section, values in load_toml(config).items():
                if section not in data:
                    data[section] = values
        _atomic_write(config, tomli_w.dumps(data))
        self._settings_stamp = _stamp(config)

    def reread_settings(self, *, strict: bool = True) -> bool:
        """Read kequn.toml again if it changed since the settings were read (or saved),
        and whether it did. For a process that lives on, as ``kequn serve`` does: a home
        city, currency or ``[run] as_of`` edited while it serves applies to the next run
        and page, as it would to the next ``kequn`` command. A file that cannot be used
        leaves the settings as they were; ``strict`` (for what would act on it: a run, an
        import) refuses it as a command does, a :class:`WorkspaceError` naming the file
        and the key, each time until it is mended; otherwise it is not read again until
        it changes."""
        config = self.root / CONFIG_NAME
        stamp = _stamp(config)
        if stamp is None or stamp == self._settings_stamp:
            return False  # unchanged, or gone (a workspace being removed: said elsewhere)
        if not strict and stamp == self._refused_stamp:
            return False
        try:
            self.settings = read_settings(config)
        except WorkspaceError:
            self._refused_stamp = stamp
            if strict:
                raise
            return False
        self._settings_stamp = stamp
        return True

    # -- generations -------------------------------------------------------------------
    def current_generation(self) -> str | None:
        try:
            return (self.data_dir / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the published data; never blocks on a writer."""
        for _ in range(20):
            name = self.current_generation()
            if name is None:
                raise WorkspaceError(t("ws.missing", path=self.root))
            path = self.data_dir / name
            with _reader_lock(path) as held:
                # a writer may have published and removed this generation between our
                # reading CURRENT and taking the lock; then read CURRENT again
                if not held or not path.exists():
                    continue
                con = duckdb.connect(str(path), read_only=True)
                try:
                    yield con
                finally:
                    con.close()
                return
        raise WorkspaceError(t("ws.busy", seconds=0))

    @contextlib.contextmanager
    def write(self, timeout: float = 600.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to a private copy of the data, published only if the block succeeds."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.root / "locks").mkdir(exist_ok=True)
        with _exclusive(self.root / "locks" / "write.lock", timeout):
            self._collect_garbage(keep_unpublished=False)
            current = self.current_generation()
            matched = _GEN_RE.match(current) if current else None
            number = int(matched.group(1)) if matched else 0
            new_name = f"gen-{number + 1:06d}.duckdb"
            new_path = self.data_dir / new_name
            # a writer killed earlier may have left this name behind, with a WAL that must
            # never be replayed onto the fresh copy
            new_path.unlink(missing_ok=True)
            Path(str(new_path) + ".wal").unlink(missing_ok=True)
            try:
                if current:
                    shutil.copyfile(self.data_dir / current, new_path)
            except BaseException:
                # a copy cut short (the disk full) is no generation: its bytes would keep
                # the disk full until the next write
                new_path.unlink(missing_ok=True)
                raise
            # the copy's pages go to disk while the block works on them, not all at its
            # checkpoint (at 1M customers: a 480 MB copy, 0.7 s of a daily import's fsync);
            # the new generation is an instance of its own: spill files of its own too
            with _flush_behind(new_path if current else None), self.spill_folder() as spill:
                con = duckdb.connect(str(new_path))
                try:
                    self.confine(con, spill)
                    create_tables(con)  # a workspace made by an older kequn gains new columns
                    yield con
                    con.execute("CHECKPOINT")
                except BaseException:
                    con.close()
                    new_path.unlink(missing_ok=True)
                    Path(str(new_path) + ".wal").unlink(missing_ok=True)
                    raise
                con.close()
            fsync_path(new_path)
            _atomic_write(self.data_dir / "CURRENT", new_name + "\n")
            self._collect_garbage(keep_unpublished=False)

    # -- runs and erasures ----------------------------------------------------------------
    def erasures(self) -> int:
        """How many erasures have changed the data (:meth:`erasing`); a run notes it when
        it starts and publishes only if it is the same (:meth:`publishing`)."""
        try:
            text = (self.root / "locks" / ERASURES_FILE).read_text(encoding="utf-8")
            return int(text.strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    @contextlib.contextmanager
    def publishing(self, timeout: float = 600.0) -> Iterator[int]:
        """The lock a run publishes under and an erasure cleans the runs under; yields
        :meth:`erasures` as it is while the lock is held."""
        (self.root / "locks").mkdir(exist_ok=True)
        with _exclusive(self.root / "locks" / "publish.lock", timeout):
            yield self.erasures()

    @contextlib.contextmanager
    def erasing(self) -> Iterator[None]:
        """Count one more erasure, then hold the publishing lock while the block removes a
        person from the published runs. Called once the erasure's generation is published:
        a run that read the data before it sees the count changed and is not published
        (a run takes minutes at scale; it would bring the person back), and a run
        published before it is in ``runs/`` for the block to clean."""
        with self.publishing():
            _atomic_write(self.root / "locks" / ERASURES_FILE, f"{self.erasures() + 1}\n")
            yield

    @contextlib.contextmanager
    def spill_folder(self) -> Iterator[Path]:
        """A folder of its own under ``.tmp/`` for one DuckDB instance's spill files,
        removed afterwards. DuckDB names its spill files the same way in every instance
        and deletes all of them from its folder when it closes, so two instances sharing
        a folder destroy each other's (reading a spilled block back then crashed the
        process in a reviewer's reproduction). A workspace that cannot be written to
        spills to the system's temporary folder."""
        try:
            self.tmp_dir.mkdir(exist_ok=True)
            path = Path(tempfile.mkdtemp(prefix=spill_prefix(), dir=self.tmp_dir))
        except OSError:
            path = Path(tempfile.mkdtemp(prefix="kequn-spill-"))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def confine(self, con: duckdb.DuckDBPyConnection, spill: Path) -> None:
        """Keep ``con`` within the workspace's ``memory_limit``, spilling to ``spill`` (a
        :meth:`spill_folder` of its own)."""
        con.execute("SET temp_directory = ?", [str(spill)])
        con.execute("SET memory_limit = ?", [self.settings.memory_limit])

    @contextlib.contextmanager
    def scratch(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An in-memory DuckDB connection for work on a run's files (segment events,
        journeys, digests), under the workspace's ``memory_limit`` and spilling to a
        folder of its own (:meth:`spill_folder`). Without the limit DuckDB may take 80 %
        of the machine: the segment events of a daily 1M run (a full join of two runs'
        labels) took a ``kequn run`` to 1.34 GB, after the run itself had kept under
        1.0 GB."""
        with self.spill_folder() as folder:
            con = duckdb.connect()
            try:
                self.confine(con, folder)
                yield con
            finally:
                con.close()

    def drop_old_generations(self, timeout: float = 5.0) -> int:
        """Remove the generations older than the published one, waiting up to ``timeout``
        seconds for their readers (a page reading one customer holds one ~0.1 s); how
        many are left (an erasure's: the next write removes them)."""
        deadline = time.monotonic() + timeout
        while True:
            with _exclusive(self.root / "locks" / "write.lock", timeout):
                self._collect_garbage(keep_unpublished=True)
            current = self.current_generation() or ""
            # (names sort by number: gen-000012 < gen-000013; a newer one is being written)
            left = [p for p in self.data_dir.glob("gen-*.duckdb") if p.name < current]
            if not left or time.monotonic() >= deadline:
                return len(left)
            time.sleep(0.05)

    def _collect_garbage(self, *, keep_unpublished: bool) -> None:
        """Remove generations nobody reads any more (called with the write lock held)."""
        current = self.current_generation()
        for path in self.data_dir.glob("gen-*.duckdb"):
            if path.name == current:
                continue
            number = int(path.name[4:10]) if _GEN_RE.match(path.name) else -1
            cur_number = int(current[4:10]) if current and _GEN_RE.match(current) else -1
            if keep_unpublished and number > cur_number:
                continue
            lock_path = _reader_lock_path(path)
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # somebody still reads it
            try:
                path.unlink(missing_ok=True)
                Path(str(path) + ".wal").unlink(missing_ok=True)
                lock_path.unlink(missing_ok=True)
            finally:
                os.close(fd)


def opened_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file ``con`` has open (for a reader of :meth:`Workspace.read`: the generation
    it holds), "" for an in-memory database."""
    found = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return str(found[0]) if found and found[0] else ""


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The canonical tables plus the import log and the quarantine; columns added to the
    schema since a workspace was made are added to its tables (empty, but for a
    customer's birthday: see below)."""
    had = {
        (str(table), str(column))
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }
    for spec in (*TABLES.values(), ORDER_LINES):
        con.execute(_ddl(spec))
        for c in spec.columns:
            if (spec.name, c.name) in had:
                continue
            con.execute(
                f'ALTER TABLE "{spec.name}" ADD COLUMN IF NOT EXISTS "{c.name}" '
                f"{DUCKDB_TYPES[c.kind]}"
            )
    if ("customers", "birth_date") in had and ("customers", "birthday") not in had:
        # the birth dates stored before birthdays were kept apart were taken as whole
        # dates (identity compares only those with a birthday: kequn.identity.workspace)
        con.execute(
            "UPDATE customers SET birthday = strftime(birth_date, '%m-%d') "
            "WHERE birth_date IS NOT NULL"
        )
    con.execute(
        """CREATE TABLE IF NOT EXISTS quarantine (
            import_id VARCHAR, "table" VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR,
            reason VARCHAR, severity VARCHAR, value VARCHAR, detail VARCHAR, record VARCHAR)"""
    )
    con.execute(
        """CREATE TABLE IF NOT EXISTS imports (
            import_id VARCHAR, "table" VARCHAR, file VARCHAR, encoding VARCHAR,
            started_at TIMESTAMP, finished_at TIMESTAMP, rows BIGINT, accepted BIGINT,
            inserted BIGINT, updated BIGINT, rejected BIGINT, warnings BIGINT,
            mapping VARCHAR, headers VARCHAR)"""
    )
    # a workbook's sheets and where their rows start (kequn.ingest.report.sheet_row)
    con.execute("ALTER TABLE imports ADD COLUMN IF NOT EXISTS sheets VARCHAR")


def _ddl(spec: TableSpec) -> str:
    cols = [f'"{c.name}" {DUCKDB_TYPES[c.kind]}' for c in spec.columns]
    cols += ['"source_file" VARCHAR', '"source_row" BIGINT', '"import_id" VARCHAR']
    return f'CREATE TABLE IF NOT EXISTS "{spec.name}" ({", ".join(cols)})'


#: told once (with the timeout) when a lock has been held by another for a second: the
#: CLI says it is waiting, where a command sat silent for up to ten minutes
lock_wait_notice: Callable[[float], None] | None = None


@contextlib.contextmanager
def _exclusive(path: Path, timeout: float) -> Iterator[None]:
    fh: IO[str] = path.open("a+")
    start = time.monotonic()
    deadline, told = start + timeout, False
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and lock_wait_notice is not None and time.monotonic() > start + 1:
                    told = True
                    lock_wait_notice(timeout)
                if time.monotonic() > deadline:
                    raise WorkspaceError(t("ws.busy", seconds=int(timeout))) from None
                # short and uneven: a waiter polling every 0.1 s could lose every round
                # to another process taking the lock again at once (a delivery worker
                # renewing its lease behind another's claims)
                time.sleep(random.uniform(0.005, 0.03))  # noqa: S311 - a wait, not a secret
        yield
    finally:
        fh.close()  # closing releases the lock, and so does the process dying


#: an exclusive lock on a file, waited for up to ``timeout`` seconds (a clear error after)
exclusive = _exclusive
