"""``kequn run --as-of today`` in a workspace east of the machine (its timezone already
on the next day) is no future date: the run's warning that customers are classified as
if nobody buys until then compared the workspace's today with the machine's date."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words as kequn
from kequn.engines.as_of import local_today

# always a day or more ahead of the machine's zone when the machine keeps UTC; with any
# zone, its date is the latest on earth
EAST = "Etc/GMT-14"


def test_today_in_the_east_is_not_the_future(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "ws"
    assert kequn(capsys, "init", folder, "--timezone", EAST)[0] == 0
    orders = tmp_path / "o.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,status\nO1,C001,2026-01-02,100,paid\n",
        encoding="utf-8",
    )
    assert kequn(capsys, "import", "orders", orders, "-w", folder)[0] == 0
    code, said = kequn(capsys, "--lang", "en", "run", "-w", folder, "--as-of", "today")
    assert code == 0, said
    assert local_today(EAST).isoformat() in said
    assert "is after today" not in said
    # a date after the workspace's today still is
    later = local_today(EAST).replace(year=local_today(EAST).year + 1).isoformat()
    code, said = kequn(capsys, "--lang", "en", "run", "-w", folder, "--as-of", later)
    assert code == 0, said
    assert "is after today" in said
