"""``kequn serve --workers 99999999999999999999`` said "Serving ..." and then made one
process object after another, never listening, until memory ran out (a few thousand
would have started as many servers at once). The count is bounded, refused as a usage
error before anything starts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cli_helpers import kequn_output


@pytest.mark.parametrize("workers", ["99999999999999999999", "5000"])
def test_an_absurd_number_of_workers_is_refused_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", shop)[0] == 0
    # a port in use: were the count accepted, serve would stop there instead (exit 1)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = kequn_output(
            capsys, "--lang", "zh", "serve", "-w", shop, "--port", port, "--workers", workers
        )
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert "--workers" in said, said
    assert "应小于或等于 64" in said, said
    assert "http://" not in said, said
