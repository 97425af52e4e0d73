"""What a run's Parquet writes cost with other writer settings.

    python benchmarks/bench_parquet_write.py RUN_FOLDER [--repeat 3]

RUN_FOLDER is a run's folder (``WORKSPACE/runs/<run id>``): its ``features.parquet`` and
``labels.parquet`` are read into memory once, then written again to a temporary file
with each setting, best of ``--repeat``. A run writes them with ``ROW_GROUP_SIZE 16384``
and DuckDB's defaults otherwise (Snappy, Parquet V1), on all threads. Prints a markdown
table: file, setting, best seconds, size in MB.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

#: each setting: rows per row group, and the rest of the COPY's options
SETTINGS = {
    "as a run writes it": (16_384, ""),
    "no compression": (16_384, ", COMPRESSION 'uncompressed'"),
    "LZ4": (16_384, ", COMPRESSION 'lz4_raw'"),
    "ZSTD level 1": (16_384, ", COMPRESSION 'zstd', COMPRESSION_LEVEL 1"),
    "no dictionaries": (16_384, ", DICTIONARY_SIZE_LIMIT 1"),
    "Parquet V2": (16_384, ", PARQUET_VERSION V2"),
    "row groups of 122,880": (122_880, ""),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a run's folder (WORKSPACE/runs/<run id>)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    con = duckdb.connect()
    print("| file | setting | best s | MB |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.parquet"
        for name in ("features", "labels"):
            source = args.run / f"{name}.parquet"
            con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet('{source}')")
            for setting, (rows, extra) in SETTINGS.items():
                best = float("inf")
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    con.execute(f"COPY t TO '{out}' (FORMAT parquet, ROW_GROUP_SIZE {rows}{extra})")
                    best = min(best, time.perf_counter() - started)
                size = out.stat().st_size / 1e6
                print(f"| {name}.parquet | {setting} | {best:.3f} | {size:.0f} |")


if __name__ == "__main__":
    main()
