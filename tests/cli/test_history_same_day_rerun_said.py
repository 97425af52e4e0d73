"""`kequn history` and `kequn events` on a rerun of the same as-of date: events compare a
run only with a run of an earlier as-of date, so a rerun after a re-import records no
events against the first run of its day, while history (with no earlier-dated run to
compare with) showed the movements the re-import caused, with no word that `kequn events`
would never list them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output, kequn_words

CUSTOMERS = "id,name\n" + "".join(f"c{i},客户{i}\n" for i in range(4))
ORDERS = "order_id,customer_id,time,amount,status\n"


def _rerun_same_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ws = tmp_path / "ws"
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS + "o1,c0,2025-03-01,100,paid\n", encoding="utf-8")
    (tmp_path / "more.csv").write_text(ORDERS + "o2,c1,2025-03-02,80,paid\n", encoding="utf-8")
    steps = [
        ("init", "-w", ws),
        ("import", "customers", tmp_path / "customers.csv", "-w", ws),
        ("import", "orders", tmp_path / "orders.csv", "-w", ws),
        ("run", "-w", ws, "--as-of", "2025-03-10", "--no-models"),
        ("import", "orders", tmp_path / "more.csv", "-w", ws),
        ("run", "-w", ws, "--as-of", "2025-03-10", "--no-models"),
    ]
    for step in steps:
        code, out, err = kequn_output(capsys, *step)
        assert code == 0, out + err
    return ws


def test_history_of_a_same_day_rerun_says_events_do_not_list_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _rerun_same_day(tmp_path, capsys)
    code, said = kequn_words(capsys, "history", "-w", ws)
    assert code == 0
    assert "Prospect" in said  # c1 moved from prospect (the re-import's order)
    assert (
        "Both runs are as of 2025-03-10: segment events (kequn events, journeys) compare a "
        "run only with a run of an earlier as-of date, so these movements are not among "
        "them." in said
    )
    code, said = kequn_words(capsys, "--lang", "zh", "history", "-w", ws)
    assert "两次运行的截至日期都是 2025-03-10" in said
    code, out, _ = kequn_output(capsys, "history", "-w", ws, "--json")
    assert json.loads(out)["same_as_of"] is True
    code, said = kequn_words(capsys, "events", "-w", ws)
    assert said == "No events match."  # what history's note has told


def test_help_of_both_says_how_runs_are_compared(capsys: pytest.CaptureFixture[str]) -> None:
    _, history = kequn_words(capsys, "history", "--help")
    _, events = kequn_words(capsys, "events", "--help")
    assert "earlier as-of date" in history
    assert "earlier as-of date" in events
    _, zh = kequn_words(capsys, "--lang", "zh", "history", "--help")
    assert "截至日期更早" in zh
