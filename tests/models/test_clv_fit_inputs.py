"""``kequn clv fit`` on files and dates a person gets wrong: a file without a date column,
one with only its header, too few repeat buyers, a holdout that ends before it starts, a
date that is not a date. Each stopped with a traceback (a ValueError, a bare
AssertionError); each is now one message naming the file or option, exit 1 or 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words as kequn


@pytest.mark.parametrize(
    ("text", "end", "code", "words"),
    [
        ("customer_id,name\nC1,Ann\n", "2026-01-01", 1, "has no date column: name one of date"),
        ("customer_id,date,amount\n", "2026-01-01", 1, "holds no transactions"),
        (
            "customer_id,date,amount\nC1,2025-01-01,10\nC1,2025-03-01,12\n",
            "2025-02-01",
            1,
            "too few to fit the models",
        ),
        (
            "customer_id,date,amount\nC1,2025-01-01,10\n",
            "2026-01-01",
            1,
            "not after the calibration end 2026-01-01",
        ),
        (
            "customer_id,date,amount\nC1,2025-01-01,10\n",
            "yesterday",
            2,
            "a date is YYYY-MM-DD, not yesterday",
        ),
    ],
)
def test_told_not_a_traceback(
    text: str, end: str, code: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "transactions.csv"
    data.write_text(text, encoding="utf-8")
    got, said = kequn(capsys, "clv", "fit", data, "--calibration-end", end)
    assert got == code, said
    assert words in said
    assert "Traceback" not in said


def test_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "t.csv"
    data.write_text("customer_id,name\nC1,Ann\n", encoding="utf-8")
    got, said = kequn(capsys, "clv", "fit", data, "--calibration-end", "2026-01-01", "--lang", "zh")
    assert got == 1
    assert "没有日期列" in said
