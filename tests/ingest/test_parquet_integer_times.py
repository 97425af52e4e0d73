"""A Parquet file's time column of plain integers (INT64 with no TIMESTAMP logical type,
so no unit: apache/parquet-format LogicalTypes.md) is read by the numbers' size
(kequn.ingest.convert._epoch): a yyyymmdd day (20241201, as exports write days), else a
Unix time in seconds, milliseconds, microseconds or nanoseconds (pandas.Timestamp.value,
a pandas time written as an integer), each from 1973 on, turned into the workspace's
local time (Asia/Shanghai here). Before, nanoseconds were "not a date", and a number
too small to be any of these (0, how a time is left unset; a year; a count of days; an
Excel serial) became an order of 1 January 1970, kept without a word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

#: 2024-12-01 00:00:00 UTC, 08:00 in Asia/Shanghai
SECONDS = 1733011200
LOCAL = dt.datetime(2024, 12, 1, 8, 0)

READ = [
    ("S", SECONDS, LOCAL),
    ("MS", SECONDS * 1000 + 250, LOCAL + dt.timedelta(milliseconds=250)),
    ("US", SECONDS * 10**6 + 7, LOCAL + dt.timedelta(microseconds=7)),
    # a nanosecond time to its microsecond, exactly (a DOUBLE would round it)
    ("NS", SECONDS * 10**9 + 123_456_789, LOCAL + dt.timedelta(microseconds=123_456)),
    ("YMD", 20241201, dt.datetime(2024, 12, 1)),
]
#: none of these is a time: told by row and column, the good rows kept
REFUSED = [("ZERO", 0), ("NEG", -1), ("YEAR", 2024), ("DAYS", 20061), ("SERIAL", 45627)]
REFUSED += [("NODAY", 20241332)]


def test_integer_times_are_read_by_their_size(ws: Workspace, tmp_path: Path) -> None:
    rows = [(k, v) for k, v, _ in READ] + REFUSED
    path = tmp_path / "orders.parquet"
    table = pa.table(
        {
            "order_id": [k for k, _ in rows],
            "customer_id": ["C1"] * len(rows),
            "ordered_at": pa.array([v for _, v in rows], pa.int64()),
            "amount": [10.0] * len(rows),
        }
    )
    pq.write_table(table, path)
    assert pq.read_schema(path).field("ordered_at").type == pa.int64()
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.rejected) == (len(READ), len(REFUSED))
    with ws.read() as con:
        got = dict(con.execute("SELECT order_id, ordered_at FROM orders").fetchall())
    assert got == {k: when for k, _, when in READ}
    told = {(e["row"], e["column"], e["reason"]) for e in quarantine_rows(ws, lang="en")}
    assert told == {(len(READ) + 1 + i, "ordered_at", "bad_date") for i in range(len(REFUSED))}


def test_a_birth_date_of_seconds_may_be_before_1973(ws: Workspace, tmp_path: Path) -> None:
    """A birth date is no record's time: -315648000 s is 1960-01-01 UTC, a birth date."""
    path = tmp_path / "members.parquet"
    born = [-315648000, 86400 * 365, 19850512]
    table = pa.table({"customer_id": ["M1", "M2", "M3"], "birth_date": pa.array(born, pa.int64())})
    pq.write_table(table, path)
    report = import_file(ws, "customers", path)
    assert report.accepted == 3
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, birth_date FROM customers").fetchall())
    assert got == {
        "M1": dt.date(1960, 1, 1),
        "M2": dt.date(1971, 1, 1),
        "M3": dt.date(1985, 5, 12),
    }
