"""After a backfill (``kequn run --as-of`` an earlier date, made last), the commands that
read one run read, by default, the run with the latest as-of date; ``--run`` still
names the backfill. They read the run made last: the past shown as the current state."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.store.workspace import Workspace


def _json(capsys: pytest.CaptureFixture[str], *args: object) -> dict[str, object]:
    code, out, err = kequn_output(capsys, *args, "--json")
    assert code == 0, out + err
    found: dict[str, object] = json.loads(out)
    return found


def _exported(capsys: pytest.CaptureFixture[str], target: Path, *args: object) -> list[str]:
    code, out, err = kequn_output(capsys, "export", "lifecycle=new", "-o", target, *args)
    assert code == 0, out + err
    with target.open(encoding="utf-8-sig") as fh:
        return sorted(row["customer_id"] for row in csv.DictReader(fh))


def test_commands_read_the_latest_dated_run_unless_told(
    backfilled_shop: tuple[Workspace, str, str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    ws, later, backfill = backfilled_shop
    root = ["-w", ws.root]
    for run_id, named in ((later, []), (backfill, ["--run", backfill])):
        for command in (["segments", "lifecycle"], ["show", "C2"]):
            said = _json(capsys, *command, *root, *named)
            assert said["run"]["run_id"] == run_id, (command, named)  # type: ignore[index]
        assert _json(capsys, "digest", "show", *root, *named)["run_id"] == run_id
    # C2 first ordered on 2025-06-01: new as of 2025-06-30, a prospect in the backfill
    assert _exported(capsys, tmp_path / "now.csv", *root) == ["C1", "C2"]
    assert _exported(capsys, tmp_path / "then.csv", *root, "--run", backfill) == ["C1"]
