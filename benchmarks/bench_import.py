"""Importing a large order file as a shop owner has it: a CSV (every cell text) and the
same rows as an .xlsx-sized Parquet, through `kequn import orders` in a new process.

    python benchmarks/bench_import.py                            # 1M rows
    python benchmarks/bench_import.py --rows 200000 --repeat 2
    python benchmarks/bench_import.py --rows 1000 --extra-columns 1200   # a wide export
    python benchmarks/bench_import.py --rows 200000 --ragged 2   # every 2nd row ragged (CSV)
    python benchmarks/bench_import.py --rows 200000 --extra-columns 39 --files csv,xlsx
                                 # a 48-column export as CSV and as the .xlsx shops get
    python benchmarks/bench_import.py --tree before=/tmp/before/src --tree after
                                 # trees taking turns (/tmp/before: `git archive` of a commit)

The file is a hand-made shop sheet's columns (订单号, 会员卡号, 下单时间, 实付金额（元）,
数量, 优惠, 渠道, 订单状态, 退款金额), as kequn's general headers read them, written
once (deterministic) into benchmarks/.cache. Each import goes into a fresh workspace
(`kequn init`, untimed), so every row is new and is parsed, validated, written and its
buyer derived. ``--extra-columns N`` adds N columns kequn has no use for (备注1 ...,
every fifth filled), as a wide ERP or form export has them. ``--ragged N`` gives every
N-th row of the CSV a field too many (a note with an unquoted comma), each quarantined
(the Parquet file is not made). ``--files`` picks the files imported: csv, parquet and
xlsx (the same rows as an Excel workbook, written once with openpyxl from the Parquet
file: text, numbers as numbers, the times as text as platforms' exports have them).
Prints a markdown table:
wall seconds, peak resident memory of the process tree, rows per second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
from _trees import add_tree_option, trees
from bench_compare import machine, measure

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

#: our own SQL and numbers only (COPY takes no parameters)
ROWS = """
COPY (
  SELECT 'A' || lpad(CAST(i AS VARCHAR), 10, '0') AS "订单号",
         'M' || lpad(CAST(hash(i) % {buyers} AS VARCHAR), 8, '0') AS "会员卡号",
         strftime(TIMESTAMP '2023-01-01' + (hash(i * 7) % (730 * 86400)) * INTERVAL 1 SECOND,
                  '%Y-%m-%d %H:%M:%S') AS "下单时间",
         CAST(round(10 + (hash(i * 3) % 50000) / 100.0, 2) AS DECIMAL(12, 2)) AS "实付金额（元）",
         1 + hash(i * 5) % 4 AS "数量",
         CAST((hash(i * 11) % 3) * 5 AS DECIMAL(12, 2)) AS "优惠",
         ['门店', '小程序', '天猫', '抖音'][1 + CAST(hash(i * 13) % 4 AS BIGINT)] AS "渠道",
         CASE WHEN hash(i * 17) % 50 = 0 THEN '已退款' ELSE '已完成' END AS "订单状态",
         CASE WHEN hash(i * 17) % 50 = 0 THEN CAST(round(10 + (hash(i * 3) % 50000) / 100.0, 2)
              AS DECIMAL(12, 2)) ELSE 0 END AS "退款金额"{extra}
  FROM range({rows}) t(i)
) TO '{target}' ({options});
"""


def log(text: str) -> None:
    print(f"[bench_import] {text}", file=sys.stderr, flush=True)


def write_xlsx(parquet: Path, target: Path) -> None:
    """The Parquet file's rows as an .xlsx (openpyxl, write-only), amounts as numbers."""
    import decimal

    import openpyxl
    import pyarrow.parquet as pq

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("订单")
    source = pq.ParquetFile(parquet)
    sheet.append(source.schema_arrow.names)
    for batch in source.iter_batches(batch_size=10_000):
        for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            sheet.append(
                [
                    float(v) if isinstance(v, decimal.Decimal) else v if v != "" else None
                    for v in row
                ]
            )
    book.save(target)


def files(rows: int, extra: int = 0, ragged: int = 0, xlsx: bool = False) -> dict[str, Path]:
    """The order file as CSV and as Parquet (not when ``ragged``), made once, and as an
    .xlsx when ``xlsx``."""
    name = (
        f"import-{rows}"
        + (f"-wide{extra}" if extra else "")
        + (f"-ragged{ragged}" if ragged else "")
    )
    folder = CACHE / name
    folder.mkdir(parents=True, exist_ok=True)
    made = {"csv": folder / "orders.csv"}
    if not ragged:
        made["parquet"] = folder / "orders.parquet"
    options = {"csv": "HEADER, DELIMITER ','", "parquet": "FORMAT PARQUET"}
    for kind, path in made.items():
        if not path.exists():
            log(f"writing {path.name} ({rows:,} rows)")
            part = path.with_suffix(".part")
            cells = ["CAST(i AS VARCHAR)" if k % 5 == 0 else "''" for k in range(int(extra))]
            more = "".join(f', {cell} AS "备注{k + 1}"' for k, cell in enumerate(cells))
            sql = ROWS.format(
                rows=int(rows),
                buyers=max(1, rows // 8),
                target=part,
                options=options[kind],
                extra=more,
            )
            duckdb.connect().execute(sql)
            if ragged:  # the generated values hold no comma or line break
                lines = part.read_text(encoding="utf-8").splitlines()
                for i in range(ragged, len(lines), ragged):
                    lines[i] += ",发顺丰"
                part.write_text("\n".join(lines) + "\n", encoding="utf-8")
            part.rename(path)
    if xlsx and not ragged:
        made["xlsx"] = folder / "orders.xlsx"
        if not made["xlsx"].exists():
            log(f"writing orders.xlsx ({rows:,} rows)")
            part = folder / "orders.part.xlsx"
            write_xlsx(made["parquet"], part)
            part.rename(made["xlsx"])
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--extra-columns", type=int, default=0, help="columns kequn ignores")
    parser.add_argument("--ragged", type=int, default=0, help="every N-th row a field too many")
    parser.add_argument(
        "--files", default="csv,parquet", help="the files imported: csv, parquet, xlsx"
    )
    add_tree_option(parser)
    args = parser.parse_args()
    chosen = trees(args)
    kinds = [k.strip() for k in args.files.split(",") if k.strip()]
    made = files(args.rows, args.extra_columns, args.ragged, xlsx="xlsx" in kinds)
    made = {kind: path for kind, path in made.items() if kind in kinds}
    results: list[tuple[str, str, int, float, float]] = []
    for repeat in range(args.repeat):
        for kind, path in made.items():
            for name, src in chosen:
                env = {**os.environ, "PYTHONPATH": src}
                with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                    ws = Path(tmp) / "ws"
                    subprocess.run(
                        [sys.executable, "-m", "kequn.cli", "init", "-w", str(ws)],
                        check=True,
                        stdout=subprocess.DEVNULL,
                        env=env,
                    )
                    log(f"{name}: {kind} (repeat {repeat + 1})")
                    # env(1) replaces itself with Python: the process measured is kequn's
                    cmd = ["env", f"PYTHONPATH={src}", sys.executable, "-m", "kequn.cli"]
                    seconds, peak = measure([*cmd, "import", "orders", str(path), "-w", str(ws)])
                    shutil.rmtree(ws, ignore_errors=True)
                results.append((name, kind, args.rows, seconds, peak))
    print(machine() + f", load average {os.getloadavg()[0]:.1f}")
    columns = 9 + args.extra_columns
    print("| tree | file | rows | columns | wall s | peak MiB | rows/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, kind, rows, seconds, peak in results:
        rate = rows / seconds
        cells = (name, kind, f"{rows:,}", f"{columns:,}", f"{seconds:.1f}", f"{peak:,.0f}")
        print("| " + " | ".join(cells) + f" | {rate:,.0f} |")


if __name__ == "__main__":
    main()
