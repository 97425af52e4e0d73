from __future__ import annotations

from pathlib import Path

import ibis
import pytest
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
