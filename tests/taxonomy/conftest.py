from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ibis
import pytest
from ibis.backends import BaseBackend

from kequn.features.catalogue import FEATURES
from kequn.taxonomy.evaluate import apply_taxonomy
from kequn.taxonomy.model import Taxonomy, load_taxonomy

KIND_TYPES = {
    "number": "float64",
    "string": "string",
    "date": "date",
    "bool": "boolean",
    "map": "map<string, string>",
}

#: Thresholds pinned so the boundaries below are exact (derived ones vary with the data).
PARAMS: dict[str, Any] = {
    "purchase_cycle_days": 30.0,
    "high_value_spend": 1000.0,
    "medium_value_spend": 300.0,
    "bulk_order_value": 500.0,
    "bulk_quantity": 20.0,
    "small_order_value": 50.0,
    "typical_order_value": 120.0,
    "typical_quantity": 2.0,
    "home_city": "上海",
    "home_province": "上海",
    "home_country": "CN",
}


def feature_schema() -> ibis.Schema:
    return ibis.schema({name: KIND_TYPES[f.kind] for name, f in FEATURES.items()})


def params_for(taxonomy: Taxonomy, **overrides: Any) -> dict[str, Any]:
    out = {name: th.value for name, th in taxonomy.thresholds.items() if th.value is not None}
    out.update(PARAMS)
    out.update(overrides)
    return out


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


#: The feature rows the collected table-driven cases will classify, per session.
_CASE_ROWS = pytest.StashKey[list[dict[str, Any]]]()


@pytest.hookimpl(trylast=True)  # after -m/-k deselection: only the cases that will run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "classify_rows" not in getattr(item, "fixturenames", ()):
            continue
        features = callspec.params.get("features")
        if isinstance(features, dict):
            rows.setdefault(_key(features), features)
    config.stash[_CASE_ROWS] = list(rows.values())


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str)


@pytest.fixture(scope="session")
def classify_rows(
    request: pytest.FixtureRequest, taxonomy: Taxonomy, backend: BaseBackend
) -> Callable[..., list[dict[str, Any]]]:
    """Classify feature rows (unspecified features are null; counts default to 0) on the
    ``backend`` engine: DuckDB, and Spark under the ``spark`` marker.

    Each query costs seconds on Spark whatever its size, so the first call classifies
    the rows of every collected table-driven case (``features`` parameter) in one query
    and later calls with only such rows and the default thresholds are answered from it.
    Every rule is row by row (thresholds are parameters, not aggregates), so a row is
    labelled the same alone or in a batch; other calls run their own query."""
    zero = {
        "orders": 0.0,
        "purchase_days": 0.0,
        "spend": 0.0,
        "events": 0.0,
        "views": 0.0,
        "inquiries": 0.0,
        "shares": 0.0,
        "referrals": 0.0,
        "reviews": 0.0,
        "tickets": 0.0,
        "complaints": 0.0,
        "email_opens": 0.0,
        "clicks": 0.0,
        "refunds": 0.0,
    }
    schema = feature_schema()

    def classify(rows: list[dict[str, Any]], **param_overrides: Any) -> list[dict[str, Any]]:
        data = [
            {"_row": i, **{name: {**zero, **row}.get(name) for name in schema.names}}
            for i, row in enumerate(rows)
        ]
        table = ibis.memtable(data, schema=ibis.schema({"_row": "int64", **dict(schema.items())}))
        # as a run does: in process the numbers come from a one-row table, on Spark as literals
        labelled = apply_taxonomy(
            table,
            taxonomy,
            params_for(taxonomy, **param_overrides),
            numbers_from_table=backend.name == "duckdb",
        )
        # Spark need not keep the input order
        out = backend.to_pyarrow(labelled.order_by("_row").drop("_row")).to_pylist()
        assert len(out) == len(rows)
        return out

    batched: dict[str, dict[str, Any]] = {}

    def run(rows: list[dict[str, Any]], **param_overrides: Any) -> list[dict[str, Any]]:
        if param_overrides or not rows:
            return classify(rows, **param_overrides)
        if not batched:
            cases = request.config.stash.get(_CASE_ROWS, [])
            if cases:
                batched.update(zip(map(_key, cases), classify(cases), strict=True))
        found = [batched.get(_key(row)) for row in rows]
        if all(out is not None for out in found):
            return [dict(out) for out in found if out is not None]
        return classify(rows)

    return run
