"""A command that finds another process writing to the workspace says it is waiting,
in the user's language, and goes on once the lock is free. It sat silent for up to ten
minutes before its "busy" error, like a command that had hung."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kequn.store.workspace import Workspace, exclusive


@pytest.mark.parametrize(("lang", "said"), [("zh", "等待它完成"), ("en", "waiting for it")])
def test_a_command_says_it_waits_for_the_workspace(tmp_path: Path, lang: str, said: str) -> None:
    ws = Workspace.init(tmp_path / "ws")
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC1,张三\n", encoding="utf-8")
    command = [sys.executable, "-m", "kequn.cli", "--lang", lang, "import", "customers"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with exclusive(ws.root / "locks" / "write.lock", 5):
        proc = subprocess.Popen(
            [*command, str(customers), "-w", str(ws.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stderr is not None
        seen = b""
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stderr, selectors.EVENT_READ)
            deadline = time.monotonic() + 60
            while said.encode() not in seen and time.monotonic() < deadline:
                if selector.select(timeout=1):
                    chunk = os.read(proc.stderr.fileno(), 4096)
                    if not chunk:
                        break
                    seen += chunk
        assert said in seen.decode("utf-8", "replace"), seen
        assert proc.poll() is None  # still waiting, not failed
    out, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, (out + rest).decode("utf-8", "replace")
    with Workspace.open(ws.root).read() as con:
        assert con.execute("SELECT count(*) FROM customers").fetchone() == (1,)
