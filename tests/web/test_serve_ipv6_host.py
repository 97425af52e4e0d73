"""kequn serve --host ::1 (an IPv6 address, which uvicorn binds as IPv6) was refused as
'not an address of this machine': the check before the start probed it with an IPv4
socket."""

from __future__ import annotations

import socket

import pytest

from kequn.store.workspace import WorkspaceError
from kequn.web.server import ensure_free


def _ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6(), reason="no IPv6 loopback here")
def test_an_ipv6_host_is_probed_as_ipv6() -> None:
    with socket.socket(socket.AF_INET6) as held:
        held.bind(("::1", 0))
        port = held.getsockname()[1]
        held.listen()
        with pytest.raises(WorkspaceError) as raised:
            ensure_free("::1", port)
        assert f"Port {port} is in use" in str(raised.value)
    ensure_free("::1", port)  # free again: no refusal
