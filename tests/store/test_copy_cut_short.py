"""A write whose copy of the data is cut short (the disk full) leaves no partial copy.

Each write starts from a copy of the published generation; when the disk filled during
that copy, the partial ``gen-N+1.duckdb`` stayed in ``data/`` and kept the disk full, so
the next ``kequn run`` failed for want of space too. Here a file-size limit on the
importing process (``RLIMIT_FSIZE``) cuts the copy short as a full disk does."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _limited(size: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_copy_cut_short_is_removed(ws: Workspace, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    lines = ["order id,customer id,order date,amount"]
    lines += [f"O{i},C{i % 500},2025-01-{1 + i % 28:02d},{i % 90}.5" for i in range(20000)]
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(ws, "orders", orders)
    published = ws.current_generation()
    assert published is not None
    size = (ws.data_dir / published).stat().st_size
    day = tmp_path / "day.csv"
    day.write_text("order id,customer id,order date,amount\nX1,C1,2025-02-01,9\n", "utf-8")
    said = subprocess.run(
        [sys.executable, "-m", "kequn.cli", "import", "orders", str(day), "-w", str(ws.root)],
        capture_output=True,
        text=True,
        env={**os.environ},
        preexec_fn=lambda: _limited(size // 2),
        check=False,
    )
    assert said.returncode == 1, said.stdout + said.stderr
    # told in words, naming the copy that could not be written, not the one read
    written = ws.data_dir / f"gen-{int(published[4:10]) + 1:06d}.duckdb"
    words = " ".join(said.stderr.split())
    assert "Traceback" not in said.stderr
    assert f"Cannot use {written}: the file is larger than the file system" in words
    assert ws.current_generation() == published
    assert sorted(p.name for p in ws.data_dir.glob("gen-*.duckdb*")) == [published]
    # and the next write works
    assert import_file(ws, "orders", day).accepted == 1
