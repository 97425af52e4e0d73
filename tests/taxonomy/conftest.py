from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pytest

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


@pytest.fixture(scope="session")
def classify_rows(taxonomy: Taxonomy) -> Callable[..., list[dict[str, Any]]]:
    """Classify feature rows (unspecified features are null; counts default to 0) on DuckDB."""
    con = ibis.duckdb.connect()
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

    def run(rows: list[dict[str, Any]], **param_overrides: Any) -> list[dict[str, Any]]:
        schema = feature_schema()
        data = [{name: {**zero, **row}.get(name) for name in schema.names} for row in rows]
        table = ibis.memtable(data, schema=schema)
        labelled = apply_taxonomy(table, taxonomy, params_for(taxonomy, **param_overrides))
        return con.to_pyarrow(labelled).to_pylist()

    return run
