"""``kequn clv fit`` given a file it cannot use: a folder, GBK text, an Excel workbook, an
empty file, a date or an amount that is not one. A folder, GBK text and a workbook
stopped with DuckDB's traceback; a bad date was told as "check the arithmetic in the
taxonomy's rules". Each is now one line naming the file (and the row and column where
there is one), in the chosen language, with a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_output


def _fit(capsys: pytest.CaptureFixture[str], path: Path, lang: str) -> tuple[int, str]:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "clv", "fit", path, "--calibration-end", "2025-06-30"
    )
    assert "Traceback" not in out + err
    return code, " ".join((out + err).replace("│", " ").split())


def _one_line(capsys: pytest.CaptureFixture[str], path: Path, lang: str) -> str:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "clv", "fit", path, "--calibration-end", "2025-06-30"
    )
    assert code == 1, out + err
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    return err.strip()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "orders.csv cannot be read as a UTF-8 CSV (line 2)"),
        ("zh", "orders.csv 无法按 UTF-8 编码的 CSV 读取（第 2 行）"),
    ],
)
def test_gbk_text_is_named_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,date,amount\n张三,2025-01-01,10\n", encoding="gbk")
    said = _one_line(capsys, path, lang)
    assert words in said
    assert "READ_CSV" not in said


def test_a_workbook_given_for_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    book.active.append(["customer_id", "date", "amount"])
    book.active.append(["C1", "2025-01-01", 10])
    book.save(tmp_path / "orders.xlsx")
    said = _one_line(capsys, tmp_path / "orders.xlsx", "en")
    assert "orders.xlsx cannot be read as a UTF-8 CSV: save it as CSV (UTF-8)" in said


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "orders.csv, row 4, column date: “2025-02-30” is not a date (YYYY-MM-DD)"),
        ("zh", "orders.csv 第 4 行 date 列的值“2025-02-30”不是日期（YYYY-MM-DD）"),
    ],
)
def test_a_bad_date_names_its_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    path = tmp_path / "orders.csv"
    rows = ["C1,2025-01-01,10", "C1,2025-01-09,12", "C2,2025-02-30,8", "C3,soon,9"]
    path.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    said = _one_line(capsys, path, lang)
    assert words in said
    assert ("such values in the file: 2" if lang == "en" else "文件中共 2 个") in said
    assert "taxonomy" not in said
    assert "分群规则" not in said


def test_a_bad_amount_names_its_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,date,amount\nC1,2025-01-01,10\nC1,2025-01-09,ten\n", encoding="utf-8"
    )
    said = _one_line(capsys, path, "en")
    assert "orders.csv, row 3, column amount: “ten” is not a number" in said


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "'folder' is a directory"), ("zh", "'folder' 是文件夹，需要文件")],
)
def test_a_folder_is_refused_before_it_is_read(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    words: str,
) -> None:
    (tmp_path / "folder").mkdir()
    monkeypatch.chdir(tmp_path)
    code, said = _fit(capsys, Path("folder"), lang)
    assert code == 2
    assert words in said
    assert "IO Error" not in said


def test_an_empty_file_holds_no_transactions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    said = _one_line(capsys, tmp_path / "empty.csv", "zh")
    assert "empty.csv 没有交易记录" in said
    assert "column0" not in said


def test_a_good_file_still_fits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The checks leave a clean file alone: CDNOW's sample fits as before."""
    cdnow = Path(__file__).parent.parent / "data" / "cdnow" / "cdnow_sample_transactions.csv"
    code, out, err = kequn_output(
        capsys, "clv", "fit", cdnow, "--calibration-end", "1997-09-30", "--json"
    )
    assert code == 0, err
    assert '"customers": 2357' in out
