"""An import cut short, by Ctrl-C or a kill, in a real process. Ctrl-C during the write
printed DuckDB's "RuntimeError: Query interrupted" with a traceback (or, between two
queries, nothing at all: typer's silent exit 130); a killed import's DuckDB spill folder
stayed in ``.tmp`` until the next ``kequn run``, however many imports came between."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from kequn.store.workspace import Workspace

KEQUN = [sys.executable, "-m", "kequn.cli"]


def _orders(ws: Workspace) -> int:
    with ws.read() as con:
        row = con.execute("SELECT count(*) FROM orders").fetchone()
    return int(row[0]) if row else -1


def _import_while_writing(ws: Workspace, tmp_path: Path, lang: str) -> subprocess.Popen[str]:
    """An import of a large file, returned once it writes its copy of the data."""
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("order id,customer id,order date,amount\n")
        for i in range(1_500_000):
            fh.write(f"O{i},C{i % 997},2025-01-{1 + i % 28:02d},{i % 500}.5\n")
    written = ws.data_dir / "gen-000002.duckdb"  # (the new workspace is at gen-000001)
    proc = subprocess.Popen(
        [*KEQUN, "--lang", lang, "import", "orders", str(big), "-w", str(ws.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not written.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the import ended before it could be interrupted"
    return proc


def test_ctrl_c_mid_import_is_told_in_words_and_keeps_the_workspace(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    generation = ws.current_generation()
    proc = _import_while_writing(ws, tmp_path, "zh")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Query interrupted" not in err
    assert "已中断" in err
    assert "kequn status" in err
    assert ws.current_generation() == generation
    assert _orders(ws) == 0


def test_the_next_import_removes_a_killed_imports_spill_folder(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    proc = _import_while_writing(ws, tmp_path, "en")
    # (made once the copy of the data is complete, a moment after the copy appears)
    deadline = time.monotonic() + 60
    spill = list(ws.tmp_dir.glob(f"spill-{proc.pid}-*"))
    while not spill and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
        spill = list(ws.tmp_dir.glob(f"spill-{proc.pid}-*"))
    assert spill, "the import spills to a folder of its own while it writes"
    (spill[0] / "block.tmp").write_bytes(b"\0" * 1024)  # as DuckDB leaves them at scale
    proc.kill()
    proc.communicate(timeout=60)
    small = tmp_path / "small.csv"
    small.write_text("order id,customer id,order date,amount\nO1,A,2025-01-01,1\n", "utf-8")
    done = subprocess.run(
        [*KEQUN, "import", "orders", str(small), "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not list(ws.tmp_dir.glob(f"spill-{proc.pid}-*"))
    with duckdb.connect(str(ws.data_dir / str(ws.current_generation())), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (1,)
