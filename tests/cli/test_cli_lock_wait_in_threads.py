"""The CLI's notice that it waits for the workspace is the command's own: ``kequn serve``
runs its jobs and requests in threads that wait for one another, and each wait wrote
"another process is writing to the workspace" into the server's log."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kequn.cli import main
from kequn.store import workspace
from kequn.store.workspace import Workspace, exclusive


def _a_thread_waits_for_the_lock(ws: Workspace) -> None:
    def write() -> None:
        with ws.write() as con:
            con.execute("SELECT 1")

    worker = threading.Thread(target=write)
    with exclusive(ws.root / "locks" / "write.lock", 5):
        worker.start()
        time.sleep(1.6)  # the notice is told after a second's wait
    worker.join(30)


def test_a_server_thread_s_wait_is_not_told(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace, "lock_wait_notice", None)
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])  # main installs the notice, as for kequn serve
    assert workspace.lock_wait_notice is not None
    capfd.readouterr()
    ws = Workspace.init(tmp_path / "ws")
    _a_thread_waits_for_the_lock(ws)
    assert "waiting for it" not in capfd.readouterr().err
