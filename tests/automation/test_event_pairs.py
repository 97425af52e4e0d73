"""compute_events on two hand-made label files: every kind of change, and nothing else."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kequn.automation.events import compute_events
from kequn.taxonomy.model import load_taxonomy


def _run(path: Path, rows: dict[str, list[object]]) -> SimpleNamespace:
    table = pa.table(
        {
            "customer_id": pa.array(rows["customer_id"], pa.string()),
            "lifecycle": pa.array(rows["lifecycle"], pa.string()),
            "traits_slipping": pa.array(rows["traits_slipping"], pa.bool_()),
        }
    )
    pq.write_table(table, path)
    return SimpleNamespace(labels_path=path)


def test_only_customers_with_a_change_make_events(tmp_path: Path) -> None:
    before = _run(
        tmp_path / "a.parquet",
        {
            "customer_id": ["same", "moved", "gone", "tag_on", "tag_off", "null_to_false"],
            "lifecycle": ["active", "active", "dormant", "new", "new", "new"],
            "traits_slipping": [True, False, False, False, True, None],
        },
    )
    after = _run(
        tmp_path / "b.parquet",
        {
            "customer_id": ["same", "moved", "tag_on", "tag_off", "null_to_false", "arrived"],
            "lifecycle": ["active", "dormant", "new", "new", "new", "new"],
            "traits_slipping": [True, False, True, False, False, True],
        },
    )
    con = duckdb.connect()
    events = compute_events(con, after, before, load_taxonomy())  # type: ignore[arg-type]
    got = sorted(tuple(r.values()) for r in events.to_pylist())
    assert got == sorted(
        [
            ("moved", "lifecycle", "dormant", "entered", "active", "dormant"),
            ("moved", "lifecycle", "active", "left", "active", "dormant"),
            ("gone", "lifecycle", "dormant", "left", "dormant", None),
            ("arrived", "lifecycle", "new", "entered", None, "new"),
            ("arrived", "traits", "slipping", "entered", None, "slipping"),
            ("tag_on", "traits", "slipping", "entered", None, "slipping"),
            ("tag_off", "traits", "slipping", "left", "slipping", None),
        ]
    )
