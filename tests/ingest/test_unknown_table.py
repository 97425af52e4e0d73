"""A table name typed wrong (``order`` for ``orders``) is one message naming the tables,
for an import (exit 1), the quarantine and its retry (``--table``: a usage error, exit
2): the import stopped with a traceback, and the quarantine said it was empty. A
folder given for a file says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.cli import main
from kequn.store.workspace import Workspace


def _said(*args: object) -> tuple[int, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, ""


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [
        (["import", "order", "{file}"], 2),
        (["quarantine", "--table", "order"], 2),
        (["quarantine", "retry", "--table", "order"], 2),
    ],
)
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "There is no table order: use one of customers, orders, events"),
        ("zh", "没有表 order"),
    ],
)
def test_an_unknown_table_is_named(
    command: list[str], exit_code: int, lang: str, words: str, ws: Workspace, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "orders.csv"
    data.write_text("order_id,customer_id,order_date,amount\nA1,C1,2026-01-05,10\n")
    args = [a.replace("{file}", str(data)) for a in command]
    code, _ = _said(*args, "-w", ws.root, "--lang", lang)
    said = capsys.readouterr()
    assert code == exit_code
    assert "Traceback" not in said.err
    assert words in " ".join((said.err + said.out).replace("│", " ").split())
    assert "quarantine is empty" not in said.out


def test_a_folder_given_for_a_file(ws: Workspace, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    code, _ = _said("import", "orders", folder, "-w", ws.root, "--lang", "zh")
    said = capsys.readouterr()
    assert code == 1
    assert f"{folder} 是文件夹" in said.err
