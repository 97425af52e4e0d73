"""``kequn events --until today`` in a workspace east of the machine holds the run made
``--as-of today`` there: the run is dated the workspace's today (09a7143), and the events'
"today" was the machine's, a day earlier, which left that run's events out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output

# a day or more ahead of a machine keeping UTC; with any zone, the latest date on earth
EAST = "Etc/GMT-14"


def test_until_today_holds_today_s_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert kequn_output(capsys, "init", folder, "--timezone", EAST)[0] == 0
    orders = tmp_path / "o.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,status\nO1,C001,2026-01-02,100,paid\n",
        encoding="utf-8",
    )
    assert kequn_output(capsys, "import", "orders", orders, "-w", folder)[0] == 0
    # a new customer then, long gone today: events between the two runs
    for day in ("2026-01-03", "today"):
        assert kequn_output(capsys, "run", "-w", folder, "--as-of", day)[0] == 0
    code, out, err = kequn_output(capsys, "events", "-w", folder, "--json")
    assert code == 0, err
    every = json.loads(out)["counts"]
    assert every
    for option in ("--until", "--since"):
        code, out, err = kequn_output(capsys, "events", "-w", folder, "--json", option, "today")
        assert code == 0, err
        assert json.loads(out)["counts"] == every, option
