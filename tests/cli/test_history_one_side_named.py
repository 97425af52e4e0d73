"""`kequn history` given one side only. ``--after X`` alone took the current run as the
earlier side: for X the current run itself, a run compared with itself; for X older than
the current run, a comparison run backwards in time. It now takes the run X is compared
with by default (the latest run of an earlier as-of date), and says so when there is
none. ``--before Y`` alone takes the current run as the later side only when it is later
than Y; otherwise it says there is nothing later (中文 and English)."""

from __future__ import annotations

import json

import pytest

from cli_helpers import kequn_output, kequn_words
from kequn.store.workspace import Workspace


def _pair(capsys: pytest.CaptureFixture[str], ws: Workspace, *args: str) -> tuple[str, str]:
    code, out, err = kequn_output(capsys, "history", "-w", ws.root, "--json", *args)
    assert code == 0, out + err
    said = json.loads(out)
    return said["before"]["run_id"], said["after"]["run_id"]


def test_one_side_named_is_compared_with_the_run_beside_it_in_time(
    backfilled_shop: tuple[Workspace, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, later, backfill = backfilled_shop  # later: current (2025-06-30); backfill: 05-15
    assert _pair(capsys, ws) == (backfill, later)  # the default pair
    assert _pair(capsys, ws, "--after", later) == (backfill, later)
    assert _pair(capsys, ws, "--after", later[:-1]) == (backfill, later)  # a prefix
    assert _pair(capsys, ws, "--before", backfill) == (backfill, later)
    assert _pair(capsys, ws, "--before", backfill, "--after", later) == (backfill, later)


@pytest.mark.parametrize(
    ("lang", "before_words", "after_words"),
    [
        ("en", "No run comes before run", "is not earlier than the current run"),
        ("zh", "之前没有更早的运行", "不早于当前运行"),
    ],
)
def test_nothing_on_the_other_side_is_said(
    backfilled_shop: tuple[Workspace, str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    before_words: str,
    after_words: str,
) -> None:
    ws, later, backfill = backfilled_shop
    monkeypatch.setenv("KEQUN_LANG", lang)
    # the backfill is the first run in time: nothing before it
    code, said = kequn_words(capsys, "history", "-w", ws.root, "--after", backfill)
    assert code != 0, said
    assert before_words in said, said
    assert backfill in said, said
    # the current run: nothing after it
    code, said = kequn_words(capsys, "history", "-w", ws.root, "--before", later)
    assert code != 0, said
    assert after_words in said, said
    assert later in said, said
