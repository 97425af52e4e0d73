"""The CLI's notice that it waits for the workspace is the command's own: ``kequn serve``
runs its jobs and requests in threads that wait for one another, and each wait wrote
"another process is writing to the workspace" into the server's log."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kequn.cli import main
from kequn.store import workspace
from kequn.store.workspace import Workspace, exclusive


def test_a_server_thread_s_wait_is_not_told(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace, "lock_wait_notice", None)
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])  # main installs the notice, as for kequn serve
    said = workspace.lock_wait_notice
    assert said is not None
    asked = threading.Event()

    def notice(timeout: float) -> None:  # the CLI's notice, and word that it was asked
        said(timeout)
        asked.set()

    monkeypatch.setattr(workspace, "lock_wait_notice", notice)
    capfd.readouterr()
    ws = Workspace.init(tmp_path / "ws")

    def write() -> None:
        with ws.write() as con:
            con.execute("SELECT 1")

    worker = threading.Thread(target=write)
    with exclusive(ws.root / "locks" / "write.lock", 5):
        worker.start()
        assert asked.wait(30)  # the thread waited a second and the notice was asked
    worker.join(30)
    assert not worker.is_alive()
    assert "waiting for it" not in capfd.readouterr().err
