"""`kequn schedule show` said of a delivery loop that had never passed "last at -: 0
sent, 0 failed" (上次 -：发送 0，失败 0), a dash for a time and counts of nothing, where the
runs page says it has not run yet (and of a job that had not run, "Last run: - not run
yet"); once the loop has passed, both give its time and counts."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from typer.testing import CliRunner

from kequn.automation.schedule import records
from kequn.cli import app
from kequn.store.workspace import Workspace


@pytest.mark.parametrize(
    ("lang", "never", "last"),
    [
        ("en", "it has not run yet", "last at 2026-12-02 06:00: 3 sent, 0 failed"),
        ("zh", "尚未运行过", "上次 2026-12-02 06:00：发送 3，失败 0"),
    ],
)
def test_schedule_show_says_the_loop_has_not_run(
    ws: Workspace, lang: str, never: str, last: str
) -> None:
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["deliver"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    runner = CliRunner()
    args = ["--lang", lang, "schedule", "show", "-w", str(ws.root)]
    before = runner.invoke(app, args)
    assert before.exit_code == 0, before.output
    assert never in before.output
    assert "0 sent" not in before.output
    assert "发送 0" not in before.output
    assert ": -" not in before.output  # no time to give
    assert "：-" not in before.output
    records.write_delivery(ws, {"sent": 3, "failed": 0, "at": "2026-12-02T06:00:41+08:00"})
    after = runner.invoke(app, args)
    assert after.exit_code == 0, after.output
    assert last in " ".join(after.output.split())
    assert never not in after.output
