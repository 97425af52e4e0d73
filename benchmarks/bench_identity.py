"""Identity resolution at scale: link quality against known truth, time and peak memory.

    python benchmarks/bench_identity.py            # about 100k source records
    python benchmarks/bench_identity.py --large    # about 1M source records
    python benchmarks/bench_identity.py --records 20000

The records come from :mod:`kequn.identity.synthetic` (each person in 1-4 sources, with
typos, pinyin and traditional names, masked phones, shared family phones, moves, common
names). Resolution is :func:`kequn.identity.resolve.resolve` on a DuckDB connection: it
prepares the records, links deterministically, trains the splink model by EM (u by
random sampling), scores the blocked pairs and clusters them (set-based, in DuckDB).
Precision, recall and F1 are over pairs of records put in one person. Peak memory is
this process's resident set (DuckDB included), sampled every 50 ms. Copy the output into
benchmarks/RESULTS.md with the machine's description (nproc, free -g). Wrap runs over
100k records as ``flock /work/staging/bench.lock python …`` so benchmarks never overlap.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from _peak import Peak as PeakMemory

from kequn.identity import resolve, synthetic

#: source records per person in the generator, on average
RECORDS_PER_PERSON = 2.29


def records(persons: int, *, cache: bool, seed: int = 2026) -> pa.Table:
    """The generator's records, kept in benchmarks/.cache (named by a hash of the
    generator's source, so a changed generator makes new ones): generating a million
    takes minutes of Python that measure nothing."""
    source = Path(synthetic.__file__).read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:12]
    path = Path(__file__).parent / ".cache" / f"identity-{persons}-{seed}-{digest}.parquet"
    if cache and path.is_file():
        return pq.read_table(path)
    data = synthetic.generate(persons, seed=seed)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(data, path)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--large", action="store_true", help="about 1M records")
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument(
        "--no-cache", action="store_true", help="generate the records even if cached"
    )
    args = parser.parse_args()
    target = 1_000_000 if args.large else args.records

    started = time.perf_counter()
    data = records(int(target / RECORDS_PER_PERSON), cache=not args.no_cache)
    made = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as memory:
        con = duckdb.connect()
        con.execute("SET memory_limit = ?", [args.memory_limit])
        con.execute("SET temp_directory = ?", [tmp])
        con.register("data", data)
        con.execute(
            """CREATE TEMP TABLE src AS SELECT customer_id, origin, name, phone, email, city,
            address, CAST(birth_date AS DATE) AS birth_date,
            CASE WHEN wechat_unionid IS NULL THEN MAP {}::MAP(VARCHAR, VARCHAR)
                 ELSE MAP {'wechat_unionid': wechat_unionid} END AS attributes
            FROM data"""
        )
        con.unregister("data")
        truth = dict(zip(data["customer_id"].to_pylist(), data["truth"].to_pylist(), strict=True))
        del data
        started = time.perf_counter()
        info = resolve.resolve(
            con, threshold=args.threshold, model_path=Path(tmp) / "model.json", retrain=True
        )
        seconds = time.perf_counter() - started
        mapping = dict(con.execute("SELECT customer_id, person_id FROM person_map").fetchall())
        con.close()
    ids = list(truth)
    scores = synthetic.pair_scores([mapping[i] for i in ids], [truth[i] for i in ids])
    print(
        f"records            {info['records']:,} ({len(set(truth.values())):,} true persons;"
        f" generated or read from the cache in {made:.1f} s)"
    )
    print(f"persons found      {info['persons']:,}")
    print(
        f"links              {info['links']:,} accepted ({info['deterministic']:,} deterministic)"
        f" of {info['candidates']:,} candidate pairs"
    )
    print(f"precision          {scores['precision']:.4f}")
    print(f"recall             {scores['recall']:.4f}")
    print(f"F1                 {scores['f1']:.4f}")
    print(
        f"clustering         {info['rounds']} label-propagation rounds;"
        f" {info['checked_components']:,} components by the reference rule"
    )
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in info["seconds"].items())
    print(f"resolution time    {seconds:.1f} s ({steps})")
    print(f"peak memory        {memory.peak / 2**30:.2f} GB (resident, whole process)")


if __name__ == "__main__":
    main()
