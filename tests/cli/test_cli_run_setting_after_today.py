"""kequn.toml's ``[run] as_of`` set to a date after today made every run given no date
(``kequn run``, ``kequn import --run``, the schedule's nightly run) classify customers as
if nobody bought until then, with only a warning after the fact. It is refused, naming
kequn.toml and the key in both languages, exit 1 and no run made, as a date before the
data is; ``--allow-before-data`` does not let it through. A date months after the last
order (a quiet shop) still runs, and ``kequn run --as-of`` a later date, typed once,
still runs with its warning."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
import tomli_w

from cli_helpers import kequn_output
from kequn.automation.schedule import find_job, run_job
from kequn.engines.as_of import local_today
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


def _set_as_of(ws: Workspace, value: str) -> Workspace:
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["run"]["as_of"] = value
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["run"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return Workspace.open(ws.root)


def _said(out: str, err: str) -> str:
    return " ".join((out + err).replace("│", " ").split())


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "kequn.toml's [run] as_of = {day} is after today ({today})"),
        ("zh", "kequn.toml 中 [run] 的 as_of = {day} 晚于今天（{today}）"),
    ],
)
def test_kequn_toml_as_of_after_today_is_refused(
    dated_shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    today = local_today(dated_shop.settings.timezone)
    later = today + dt.timedelta(days=40)
    ws = _set_as_of(dated_shop, later.isoformat())
    expected = words.format(day=later.isoformat(), today=today.isoformat())
    root = ws.root
    for args in (
        ("run", "--no-models"),
        ("run", "--no-models", "--allow-before-data"),
        ("import", "orders", root.parent / "orders.csv", "--run"),
    ):
        code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", root)
        said = _said(out, err)
        assert code == 1, said
        assert expected in said, said
        assert "Traceback" not in said, said
    assert list_runs(ws) == []
    record = run_job(ws, find_job(ws, "daily"), trigger="manual")
    assert record is not None
    assert record["outcome"] == "failed", record
    assert "is after today" in record["error"] or "晚于今天" in record["error"], record
    assert list_runs(ws) == []


def test_a_date_after_the_last_order_runs_and_a_typed_later_date_too(
    dated_shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    # the shop's last order is of 2025-06-01: months later, nobody bought; a true date
    ws = _set_as_of(dated_shop, "2025-12-01")
    code, out, err = kequn_output(capsys, "run", "--no-models", "-w", ws.root)
    assert code == 0, out + err
    later = local_today(ws.settings.timezone) + dt.timedelta(days=40)
    code, out, err = kequn_output(
        capsys, "run", "--no-models", "--as-of", later.isoformat(), "-w", ws.root
    )
    assert code == 0, out + err
    assert "is after today" in _said(out, err)
    assert sorted(r.as_of for r in list_runs(ws)) == ["2025-12-01", later.isoformat()]
