"""A delivery loop of a million seconds or more (``deliver_seconds = 1000000`` under
[serve], allowed up to a century) was said as ``every 1e+06 s`` (每 1e+06 秒) by `kequn
schedule show` and the runs page, Python's %g. Both now write the seconds whole, with
the thousands grouped; a fraction of a second keeps its decimals."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from typer.testing import CliRunner

from kequn.cli import app
from kequn.store.workspace import Workspace

SAID = {
    (1_000_000.0, "en"): "every 1,000,000 s",
    (1_000_000.0, "zh"): "每 1,000,000 秒",
    (12_345_678.0, "en"): "every 12,345,678 s",
    (0.5, "en"): "every 0.5 s",
}


def set_delivery_seconds(ws: Workspace, seconds: float) -> None:
    """kequn.toml's ``[serve] deliver_seconds`` set to ``seconds``, with a daily job."""
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["serve"]["deliver_seconds"] = seconds
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["deliver"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(("seconds", "lang"), list(SAID))
def test_schedule_show_writes_the_seconds_whole(ws: Workspace, seconds: float, lang: str) -> None:
    set_delivery_seconds(ws, seconds)
    shown = CliRunner().invoke(app, ["--lang", lang, "schedule", "show", "-w", str(ws.root)])
    assert shown.exit_code == 0, shown.output
    words = " ".join(shown.output.split())
    assert SAID[seconds, lang] in words, words
    assert "e+" not in words
