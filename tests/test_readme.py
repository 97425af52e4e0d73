"""Every command line the README prints, run as a stranger would run it: in a fresh
folder, on files like the ones it names, through the real entry point (`kequn ...`)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from kequn.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CDNOW = ROOT / "tests" / "data" / "cdnow" / "cdnow_sample_transactions.csv"


def readme_commands() -> list[str]:
    """The `kequn ...` lines of the README's shell blocks, comments dropped."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for raw in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", raw).strip()
            if line.startswith("kequn "):
                lines.append(line)
    return lines


def _files(folder: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["客户编号", "姓名", "城市", "手机", "会员等级"])
    for i in range(1, 41):
        sheet.append(
            [f"C{i:03d}", f"客户{i}", "上海" if i % 2 else "杭州", f"1380000{i:04d}", "金卡"]
        )
    book.save(folder / "客户.xlsx")
    rows = ["订单编号,客户编号,下单时间,实付金额,订单状态"]
    for i in range(400):
        rows.append(
            f"T{i},C{1 + i % 40:03d},2026-{1 + i % 9:02d}-{1 + i % 27:02d} 10:00,"
            f"{30 + i % 70}.00,交易成功"
        )
    (folder / "订单导出.csv").write_text("\n".join(rows) + "\n", encoding="gbk")
    day = [rows[0], *(f"D{i},C{i:03d},2026-09-30 09:00,88.00,交易成功" for i in range(1, 6))]
    (folder / "今天.csv").write_text("\n".join(day) + "\n", encoding="utf-8")
    (folder / "map.yaml").write_text("statuses:\n  交易成功: paid\n", encoding="utf-8")
    shutil.copy(CDNOW, folder / "transactions.csv")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def _serve(args: list[str], folder: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    kequn = Path(sys.executable).parent / "kequn"
    proc = subprocess.Popen(
        [str(kequn), *args, "--port", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "KEQUN_LANG": "en"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    assert r.status == 200
                    return
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # polling a starting server, not a fixed wait
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_readme_lists_its_commands() -> None:
    commands = readme_commands()
    assert len(commands) >= 15
    assert any(c.startswith("kequn serve") for c in commands)


@pytest.mark.slow
def test_every_readme_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    for line in readme_commands():
        # optional parts are shown in [brackets]: run the line without them, then with
        # each of them (Spark is exercised by the tests marked spark)
        plain = re.sub(r"\s*\[[^\]]*\]", "", line)
        variants = [plain] + [
            f"{plain} {part}" for part in re.findall(r"\[([^\]]*)\]", line) if "spark" not in part
        ]
        for command in variants:
            args = shlex.split(command)[1:]
            if args[0] == "serve":
                _serve(args, tmp_path)
                continue
            code, out = _run(args, capsys)
            assert code == 0, (command, out)
            assert "Traceback" not in out, command
