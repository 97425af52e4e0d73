"""``kequn serve`` on an address it cannot have is told in words before it says it is
serving: a port another server holds (even one bound with ``SO_REUSEPORT`` as kequn's
own workers are, which the kernel would let a second kequn serve share), a host that is
not this machine's, a port out of range. And counts (--limit) below their least are
usage errors, not DuckDB tracebacks."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "shop"
    Workspace.init(root)
    return root


@pytest.fixture
def held() -> Iterator[int]:
    """A port another server listens on, bound as kequn's workers bind theirs."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_a_port_in_use_is_refused_before_serving(
    shop: Path, held: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "serve", "-w", shop, "--port", held, "--no-schedule")
    assert code == 1
    assert f"Port {held} is in use" in said
    assert "Serving" not in said
    code, said = kequn_words(capsys, "--lang", "zh", "serve", "-w", shop, "--port", held)
    assert f"端口 {held} 已被占用" in said
    assert "服务已启动" not in said


@pytest.mark.parametrize("host", ["999.1.1.1", "10.255.255.254", "no-such-host.invalid"])
def test_a_host_that_is_not_this_machines(
    shop: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code, said = kequn_words(capsys, "serve", "-w", shop, "--host", host, "--no-schedule")
    assert code == 1
    assert f"Cannot listen on {host}: it is not an address of this machine" in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "70000"],
        ["serve", "--port", "-1"],
        ["events", "--limit", "-1"],
        ["quarantine", "--limit", "-1"],
        ["worklist", "--team", "sales", "--limit", "-5"],
        ["demo", "--customers", "0"],
    ],
)
def test_numbers_below_their_least_are_usage_errors(
    shop: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, said = kequn_words(capsys, "--lang", "zh", args[0], "-w", shop, *args[1:])
    assert code == 2
    assert "的值无效：应" in said
    assert "Traceback" not in said
