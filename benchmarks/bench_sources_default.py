"""What a platform export's default source costs an import (issue 16 item 1).

    python benchmarks/bench_sources_default.py                  # 90,000 orders
    python benchmarks/bench_sources_default.py --orders 30000

Writes a 淘宝 ExportOrderList-like CSV (GBK, one buyer per three orders) and times, each in
a fresh workspace, its import with ids kept as given (``default_origin=False``, as before
sources were defaulted) and with the platform's source (``taobao:ID``), then the same file
again (all unchanged); last, the file imported with defaults on into the workspace that
holds it without a source (its ids are kept: nobody duplicated). Above 100k orders, wrap
it in ``flock /work/staging/bench.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,联系手机,订单创建时间,宝贝总数量"


def _export(path: Path, orders: int) -> Path:
    rng = random.Random(1)
    lines = [HEADER]
    for i in range(orders):
        buyer = rng.randrange(max(1, orders // 3))
        lines.append(
            f"{290_000_000_000 + i},tb_{buyer},{rng.randint(10, 999)}.00,交易成功,买家{buyer},"
            f"138{buyer:08d},2025-0{1 + i % 9}-1{i % 9} 10:00:00,1"
        )
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=90_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        export = _export(root / "ExportOrderList.csv", args.orders)
        print(f"{args.orders:,} orders; load average {os.getloadavg()[0]:.1f}")
        print("| import | first | again | new / unchanged |")
        print("|---|---:|---:|---:|")
        for label, options in (("ids as given", {"default_origin": False}), ("default source", {})):
            ws = Workspace.init(root / label.replace(" ", "_"))
            start = time.perf_counter()
            first = import_file(ws, "orders", export, **options)  # type: ignore[arg-type]
            middle = time.perf_counter()
            again = import_file(ws, "orders", export, **options)  # type: ignore[arg-type]
            end = time.perf_counter()
            print(
                f"| {label} | {middle - start:.2f} s | {end - middle:.2f} s | "
                f"{first.inserted:,} / {again.unchanged:,} |"
            )
        ws = Workspace.open(root / "ids_as_given")
        start = time.perf_counter()
        legacy = import_file(ws, "orders", export)
        kept = "import.source_kept_ids" in legacy.notes
        print(
            f"| defaults on, workspace without sources | {time.perf_counter() - start:.2f} s | - | "
            f"{legacy.inserted:,} new (ids kept: {kept}) |"
        )


if __name__ == "__main__":
    main()
