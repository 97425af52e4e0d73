"""A workspace the reader may not write (read-only media, a backup, another user's
folder) is read: ``kequn status``, ``quarantine`` and ``show`` stopped at "Cannot use
data/gen-….readers: the file system is read-only" (or "permission denied"), as the
readers' lock file was opened for writing even when it was there already."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _kequn_unable_to_write(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``kequn ARGS -w ROOT`` in a process that cannot write under ``root``: as root, in
    a mount namespace of its own where ``root`` is bind-mounted read-only; otherwise with
    the write permission taken from its folders and files."""
    command = [sys.executable, "-m", "kequn.cli", *args, "-w", str(root)]
    if os.geteuid() == 0:
        probe = ["unshare", "--mount", "mount", "--bind", str(root), str(root)]
        if shutil.which("unshare") is None or subprocess.run(probe, check=False).returncode:
            pytest.skip("root here cannot make a mount namespace (unshare, CAP_SYS_ADMIN)")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        command = ["unshare", "--mount", "sh", "-c", script, "sh", str(root), *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@contextlib.contextmanager
def _read_only(root: Path) -> Iterator[None]:
    """Without root: no write permission on the workspace's folders and files."""
    if os.geteuid() == 0:  # (root writes anyway: the mount namespace does it)
        yield
        return
    paths = [root, *root.rglob("*")]
    for path in paths:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield
    finally:
        for path in paths:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_workspace_that_cannot_be_written_is_read(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order id,customer id,order date,amount\nO1,A,2025-01-01,10\nO2,B,2025-01-02,20\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    with ws.read():  # (a reader made its lock file, as a server reading it would)
        pass
    with _read_only(ws.root):
        done = _kequn_unable_to_write(ws.root, "status", "--json")
    assert done.returncode == 0, done.stderr
    assert '"orders": 2' in done.stdout
