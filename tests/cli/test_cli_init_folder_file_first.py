"""Two ways a stranger types the first commands: ``kequn init shop`` (the folder as an
argument, as ``git init shop`` takes it; refused as "unexpected extra argument") and
``kequn import taobao.xlsx`` (the file where the table goes; answered "give a file to
import" to a user who just gave one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output

ORDERS = "订单编号,客户编号,下单时间,实付金额,订单状态\nT1,C1,2026-01-02 10:00,30.00,交易成功\n"


def test_init_takes_the_folder_as_an_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = kequn_output(capsys, "--lang", "zh", "init", tmp_path / "shop")
    assert code == 0, err
    assert "已创建工作区" in out
    assert (tmp_path / "shop" / "kequn.toml").is_file()
    # the same folder both ways is the same request
    code, out, err = kequn_output(
        capsys, "init", tmp_path / "other", "-w", tmp_path / "x" / ".." / "other"
    )
    assert code == 0, err
    assert (tmp_path / "other" / "kequn.toml").is_file()


@pytest.mark.parametrize(("lang", "words"), [("zh", "只给一个"), ("en", "Give one")])
def test_init_with_two_different_folders_creates_neither(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "init", tmp_path / "a", "-w", tmp_path / "b"
    )
    assert code == 1
    assert words in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize(("lang", "words"), [("zh", "先写文件里是什么"), ("en", "Say first what")])
def test_import_of_a_file_alone_says_to_name_the_table_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    code, _, err = kequn_output(capsys, "init", "-w", tmp_path / "shop")
    assert code == 0, err
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    code, out, err = kequn_output(
        capsys, "--lang", lang, "import", tmp_path / "orders.csv", "-w", tmp_path / "shop"
    )
    assert code == 2
    assert words in err
    assert "Traceback" not in out + err
    assert "customers, orders, events" in err
    assert f"kequn import orders {tmp_path / 'orders.csv'}" in err
    code, out, _ = kequn_output(capsys, "status", "-w", tmp_path / "shop", "--json")
    assert code == 0
    assert json.loads(out)["counts"]["orders"] == 0
    # named first, the same file is imported
    code, _, err = kequn_output(
        capsys, "import", "orders", tmp_path / "orders.csv", "-w", tmp_path / "shop"
    )
    assert code == 0, err


def test_an_unknown_table_that_is_no_file_is_still_told_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = kequn_output(capsys, "init", "-w", tmp_path / "shop")
    assert code == 0, err
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    code, _, err = kequn_output(
        capsys, "import", "order", tmp_path / "orders.csv", "-w", tmp_path / "shop"
    )
    assert code == 2  # a usage error, as an unknown --table is
    assert "order" in err
    assert "customers, orders, events" in err
