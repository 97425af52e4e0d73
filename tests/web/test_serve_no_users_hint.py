"""``kequn serve`` on a workspace without users says how to make the first one: the
login page asks for a token that nobody has yet, and the server said only "Serving"."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _first_lines(root: Path, lang: str) -> str:
    """What ``kequn serve`` prints before it answers its first request (everything it
    says at start-up comes before the server listens)."""
    env = {**os.environ, "KEQUN_LANG": lang, "COLUMNS": "200"}
    port = _free_port()
    args = [sys.executable, "-m", "kequn.cli", "serve", "-w", str(root), "--no-schedule"]
    proc = subprocess.Popen(
        [*args, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break  # listening: start-up has said all it says
            except OSError:
                time.sleep(0.05)  # polling for the port, not waiting a fixed time
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    return out.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "words"), [("zh", "还没有用户"), ("en", "has no users yet")])
def test_a_workspace_without_users_is_told_how_to_add_one(
    tmp_path: Path, lang: str, words: str
) -> None:
    root = tmp_path / "shop"
    Workspace.init(root)
    said = _first_lines(root, lang)
    assert words in said
    assert "kequn user add admin --role admin" in said
    add_user(Workspace.open(root), "owner", "admin")
    assert words not in _first_lines(root, lang)
