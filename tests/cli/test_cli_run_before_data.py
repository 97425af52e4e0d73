"""``kequn run --as-of 1990-01-01``, before any customer, order or interaction, made a
run that classified nobody and, made last, became the run the dashboard shows. A date
before the workspace's earliest data is a usage error naming that date, exit 2, in both
languages, and no run is made; ``--allow-before-data`` runs it all the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


@pytest.fixture
def shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    """A shop whose first customer was created on 2025-03-01, its orders after."""
    root = tmp_path / "shop"
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,name,created_at\nC1,Ana,2025-03-01\nC2,Bo,2025-05-01\n", encoding="utf-8"
    )
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,ordered_at,amount\nO1,C1,2025-04-02,10\nO2,C2,2025-06-01,20\n",
        encoding="utf-8",
    )
    assert kequn_output(capsys, "init", root)[0] == 0
    for table, path in (("customers", customers), ("orders", orders)):
        code, out, err = kequn_output(capsys, "import", table, path, "-w", root)
        assert code == 0, out + err
    return Workspace.open(root)


@pytest.mark.parametrize(("lang", "words"), [("en", "before the workspace's earliest data (2025-03-01"),
                                             ("zh", "早于工作区最早的数据（2025-03-01")])  # fmt: skip
def test_a_run_before_the_data_is_refused(
    shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code, out, err = kequn_output(capsys, "--lang", lang, "run", "--as-of", "1990-01-01",
                                  "--no-models", "-w", shop.root)  # fmt: skip
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert words in said, said
    assert "--as-of" in said, said
    assert "--allow-before-data" in said, said
    assert list_runs(shop) == []


def test_the_first_day_runs_and_the_flag_lets_an_earlier_one_run(
    shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = kequn_output(capsys, "run", "--as-of", "2025-03-01", "--no-models",
                                  "-w", shop.root)  # fmt: skip
    assert code == 0, out + err
    code, out, err = kequn_output(capsys, "run", "--as-of", "2025-02-28", "--no-models",
                                  "--allow-before-data", "-w", shop.root)  # fmt: skip
    assert code == 0, out + err
    assert sorted(run.as_of for run in list_runs(shop)) == ["2025-02-28", "2025-03-01"]
