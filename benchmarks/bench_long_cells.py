"""Importing a customers file of long text cells, as a CRM export with notes, remarks and
addresses has them, through `kequn import customers` in a new process.

    python benchmarks/bench_long_cells.py                         # 500 and 2,000 rows
    python benchmarks/bench_long_cells.py --rows 500 --tree before=/tmp/before/src --tree after

Each row: 会员编号, 姓名, 手机, then 地址 and 地区 (a place first, then the note) and seven
notes (备注, 留言 ...), each cell ``--kb`` KB of Chinese words with ，。、 and spaces:
500 rows of 10 KB are a 46 MB file. Written once (deterministic) into benchmarks/.cache;
each import goes into a fresh workspace. Prints a markdown table: wall seconds and the
peak resident memory of the process tree.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _trees import add_tree_option, trees
from bench_compare import machine, measure

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
_WORDS = [
    *("客户", "反馈", "产品", "质量", "很好", "物流", "速度", "包装", "完整", "希望", "下次"),
    *("继续", "合作", "联系", "电话", "回访", "满意", "投诉", "退货", "换货", "发票", "订单"),
    *("优惠", "会员", "积分", "活动", "推荐", "朋友", "购买", "价格", "服务", "售后", "ABC", "OK"),
]
_MARKS = ["，", "。", "、", " ", "；", "/"]
_NOTES = ["备注", "留言", "描述", "说明", "客服记录", "回访记录", "标签"]


def _cell(rnd: random.Random, kb: int, start: str = "") -> str:
    parts, size = [start], len(start.encode())
    while size < kb * 1024:
        word = rnd.choice(_WORDS) + rnd.choice(_MARKS)
        parts.append(word)
        size += len(word.encode())
    return "".join(parts)


def make(rows: int, kb: int) -> Path:
    path = CACHE / f"long-cells-{rows}-{kb}k.csv"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    rnd = random.Random(2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["会员编号", "姓名", "手机", "地址", "地区", *_NOTES])
        for i in range(rows):
            place = [_cell(rnd, kb, "浙江省杭州市西湖区"), _cell(rnd, kb, "浙江省 杭州市 ")]
            notes = [_cell(rnd, kb) for _ in _NOTES]
            out.writerow([f"C{i:06d}", f"客户{i}", f"138{i:08d}", *place, *notes])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, action="append", default=[])
    parser.add_argument("--kb", type=int, default=10, help="size of each long cell")
    add_tree_option(parser)
    args = parser.parse_args()
    chosen = trees(args)
    results: list[tuple[str, int, float, float, float]] = []
    for rows in args.rows or [500, 2000]:
        path = make(rows, args.kb)
        for name, src in chosen:
            with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
                ws = Path(tmp) / "ws"
                cmd = ["env", f"PYTHONPATH={src}", sys.executable, "-m", "kequn.cli"]
                subprocess.run([*cmd, "init", "-w", str(ws)], check=True, stdout=subprocess.DEVNULL)
                seconds, peak = measure([*cmd, "import", "customers", str(path), "-w", str(ws)])
                shutil.rmtree(ws, ignore_errors=True)
            results.append((name, rows, path.stat().st_size / 1e6, seconds, peak))
    print(machine() + f", load average {os.getloadavg()[0]:.1f}")
    print("| tree | rows | file MB | wall s | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for name, rows, size, seconds, peak in results:
        print(f"| {name} | {rows:,} | {size:.0f} | {seconds:.1f} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
