"""``[identity]`` in kequn.toml is checked as the rest of the file is: a threshold that
is no number stopped a run with a traceback, and ``enabled = "no"`` (a string) was taken
as true."""

from __future__ import annotations

import pytest

from kequn.identity.workspace import settings
from kequn.store.workspace import Workspace, WorkspaceError


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ('threshold = "high"', 'threshold under [identity] is "high": should be a number above 0'),
        ("threshold = 1.5", "threshold under [identity] is 1.5: should be a number above 0"),
        ('enabled = "no"', 'enabled under [identity] is "no": should be true or false'),
    ],
)
def test_a_bad_identity_setting_is_told(ws: Workspace, lines: str, said: str) -> None:
    toml = ws.root / "kequn.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[identity]\n{lines}\n", "utf-8")
    with pytest.raises(WorkspaceError, match="has settings kequn cannot use") as raised:
        settings(ws)
    assert said in str(raised.value)


def test_good_identity_settings_are_read(ws: Workspace) -> None:
    assert settings(ws).enabled is False
    toml = ws.root / "kequn.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[identity]\nenabled = true\nthreshold = 0.9\n",
        "utf-8",
    )
    found = settings(ws)
    assert (found.enabled, found.threshold) == (True, 0.9)
