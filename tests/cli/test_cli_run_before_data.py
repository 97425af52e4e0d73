"""``kequn run --as-of 1990-01-01``, before any customer, order or interaction, made a
run that classified nobody and, made last, became the run the dashboard shows. A date
before the workspace's earliest data is a usage error naming that date, exit 2, in both
languages, and no run is made; ``--allow-before-data`` runs it all the same."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_output
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


@pytest.mark.parametrize(("lang", "words"), [("en", "before the workspace's earliest data (2025-03-01"),
                                             ("zh", "早于工作区最早的数据（2025-03-01")])  # fmt: skip
def test_a_run_before_the_data_is_refused(
    dated_shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code, out, err = kequn_output(capsys, "--lang", lang, "run", "--as-of", "1990-01-01",
                                  "--no-models", "-w", dated_shop.root)  # fmt: skip
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert words in said, said
    assert "--as-of" in said, said
    assert "--allow-before-data" in said, said
    assert list_runs(dated_shop) == []


def test_the_first_day_runs_and_the_flag_lets_an_earlier_one_run(
    dated_shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = kequn_output(capsys, "run", "--as-of", "2025-03-01", "--no-models",
                                  "-w", dated_shop.root)  # fmt: skip
    assert code == 0, out + err
    code, out, err = kequn_output(capsys, "run", "--as-of", "2025-02-28", "--no-models",
                                  "--allow-before-data", "-w", dated_shop.root)  # fmt: skip
    assert code == 0, out + err
    assert sorted(run.as_of for run in list_runs(dated_shop)) == ["2025-02-28", "2025-03-01"]


@pytest.mark.parametrize(("lang", "words"), [("en", "kequn.toml's [run] as_of = 1990-01-01 is before the workspace's earliest data (2025-03-01"),
                                             ("zh", "kequn.toml 中 [run] 的 as_of = 1990-01-01 早于工作区最早的数据（2025-03-01")])  # fmt: skip
def test_kequn_toml_as_of_before_the_data_is_refused(
    shop_as_of_1990: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    """kequn.toml's ``[run] as_of = 1990-01-01`` made the run ``--as-of 1990-01-01`` is
    refused: it is refused too, naming kequn.toml and the key, for ``kequn run`` and
    ``kequn import --run``; ``--allow-before-data`` runs it."""
    root = shop_as_of_1990.root
    for args in (("run", "--no-models"), ("import", "orders", root.parent / "orders.csv", "--run")):
        code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", root)
        said = " ".join((out + err).replace("│", " ").split())
        assert code == 1, said
        assert words in said, said
        assert "Traceback" not in said, said
        assert list_runs(shop_as_of_1990) == []
    code, out, err = kequn_output(capsys, "run", "--no-models", "--allow-before-data", "-w", root)
    assert code == 0, out + err
    assert [run.as_of for run in list_runs(shop_as_of_1990)] == ["1990-01-01"]
