from __future__ import annotations

import tomllib
from pathlib import Path

import ibis
import pytest
import tomli_w
from ibis.backends import BaseBackend

from kequn.core import i18n
from kequn.store.workspace import Workspace


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEQUN_LANG", "en")
    i18n.set_lang(None)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")


@pytest.fixture(scope="session", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> BaseBackend:
    """An Ibis connection to run expressions on: in-memory DuckDB, and (marked ``spark``)
    the process's local Spark session, so one test checks both engines give the same."""
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    from kequn.engines.spark import spark_session

    return ibis.pyspark.connect(spark_session())


@pytest.fixture
def dated_shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    """A shop whose first customer was created on 2025-03-01, its orders after (the
    files it imported beside it: ``customers.csv``, ``orders.csv``)."""
    from cli_helpers import kequn_output  # the CLI, loaded by the tests that use it

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


@pytest.fixture
def shop_as_of_1990(dated_shop: Workspace) -> Workspace:
    """:func:`dated_shop` with kequn.toml's ``[run] as_of = "1990-01-01"``, a date before
    its data, and a daily job running it at 06:00 (Asia/Shanghai)."""
    path = dated_shop.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["run"]["as_of"] = "1990-01-01"
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["run"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return Workspace.open(dated_shop.root)


@pytest.fixture
def backfilled_shop(dated_shop: Workspace) -> tuple[Workspace, str, str]:
    """:func:`dated_shop` with a run as of 2025-06-30 made first, then a backfill: a run
    made after it for the earlier date 2025-05-15 (C2, who first ordered on 2025-06-01,
    is a prospect in it and a new customer in the other). The workspace, the later-dated
    run's id and the backfill's."""
    import datetime as dt

    from kequn.pipeline import run

    later = run(dated_shop, as_of=dt.date(2025, 6, 30), with_models=False)
    backfill = run(dated_shop, as_of=dt.date(2025, 5, 15), with_models=False)
    assert backfill.created_at > later.created_at
    return dated_shop, later.run_id, backfill.run_id
