"""``kequn status`` lists the runs made last first, and a backfill (made last, for an
earlier as-of date) heads the list, yet it is not the run every command reads when none
is named. The listing now marks the current run, in words (中文 and English) and as
``current`` in ``--json``; and it lists the current run even when five runs were made
after it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_helpers import kequn_output
from kequn.pipeline import run
from kequn.store.workspace import Workspace


def _runs(capsys: pytest.CaptureFixture[str], ws: Workspace) -> list[dict[str, object]]:
    code, out, err = kequn_output(capsys, "status", "-w", ws.root, "--json")
    assert code == 0, out + err
    found: list[dict[str, object]] = json.loads(out)["runs"]
    return found


@pytest.mark.parametrize(("lang", "mark"), [("en", "← current run"), ("zh", "← 当前运行")])
def test_status_marks_the_current_run_not_the_backfill(
    backfilled_shop: tuple[Workspace, str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    mark: str,
) -> None:
    ws, later, backfill = backfilled_shop
    listed = _runs(capsys, ws)
    assert [(r["run_id"], r["current"]) for r in listed] == [(backfill, False), (later, True)]
    monkeypatch.setenv("KEQUN_LANG", lang)
    code, out, err = kequn_output(capsys, "status", "-w", ws.root)
    assert code == 0, out + err
    lines = {rid: [ln for ln in out.splitlines() if rid in ln] for rid in (later, backfill)}
    assert len(lines[later]) == len(lines[backfill]) == 1, out
    assert mark in lines[later][0], out
    assert mark not in lines[backfill][0], out


def test_status_lists_the_current_run_after_five_backfills(
    backfilled_shop: tuple[Workspace, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, later, _backfill = backfilled_shop
    for day in range(1, 5):  # four more, made after the later-dated run, dated before it
        run(ws, as_of=dt.date(2025, 5, day), with_models=False)
    listed = _runs(capsys, ws)
    assert len(listed) == 6
    assert [r["run_id"] for r in listed if r["current"]] == [later]
    assert listed[-1]["run_id"] == later  # after the five made last
