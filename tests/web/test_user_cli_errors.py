"""``kequn user add/rotate/remove`` refusals go to stderr: with --json, stdout holds JSON
or nothing (a wrong role or an unknown user was printed on stdout, exit 2 or 1)."""

from __future__ import annotations

import pytest

from kequn.cli import main
from kequn.store.workspace import Workspace


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "ana", "--role", "god", "--json"],
        ["user", "rotate", "nobody", "--json"],
        ["user", "remove", "nobody"],
    ],
)
def test_refusals_are_on_stderr(args: list[str], ws: Workspace, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stopped:
        main([*args, "-w", str(ws.root)])
    assert stopped.value.code in (1, 2)
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.strip()
