"""``kequn --lang zh clv fit --plot`` drew its title, axes and legend in English. They
are in the language asked for, in Chinese with a font that has the characters
(matplotlib's own, DejaVu Sans, drew each as an empty box), else in English with a note
saying why. The words chosen are tested here, not the pixels."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.models.report import plot_words

#: a Debian machine with fonts-noto-cjk, as matplotlib lists its fonts
WITH_CJK = {"DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Serif CJK SC"}
WITHOUT_CJK = {"DejaVu Sans", "Liberation Sans"}


def test_chinese_words_with_a_chinese_font() -> None:
    words = plot_words("zh", WITH_CJK)
    assert (words.title, words.x, words.y) == (
        "累计重复购买：预测与实际",
        "验证期第几周",
        "累计重复购买次数",
    )
    assert (words.actual, words.predicted) == ("实际", "BG/NBD 预测")
    assert words.font == "Noto Sans CJK SC"
    assert words.note is None


def test_a_font_named_only_by_its_first_face_is_found() -> None:
    assert plot_words("zh", {"DejaVu Sans", "Noto Serif CJK JP"}).font == "Noto Serif CJK JP"


def test_english_words_and_a_note_without_a_chinese_font() -> None:
    words = plot_words("zh", WITHOUT_CJK)
    assert words.title == "Cumulative repeat transactions: predicted vs actual"
    assert words.x == "week of holdout"
    assert words.font is None
    assert words.note is not None
    assert "没有找到含汉字的字体" in words.note


def test_english_asks_for_no_font() -> None:
    words = plot_words("en", WITH_CJK)
    assert (words.title, words.actual, words.font, words.note) == (
        "Cumulative repeat transactions: predicted vs actual",
        "actual",
        None,
        None,
    )


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None,
                    reason="matplotlib is not installed here")  # fmt: skip
def test_the_plot_is_drawn_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    transactions = tmp_path / "tx.csv"
    transactions.write_text(
        "customer_id,date,amount\n"
        + "".join(
            f"C{c},2025-{m:02d}-{1 + c % 27:02d},{10 + c}\n" for c in range(30) for m in (1, 3, 8)
        ),
        encoding="utf-8",
    )
    plot = tmp_path / "fit.png"
    code, out, err = kequn_output(capsys, "--lang", "zh", "clv", "fit", transactions,
                                  "--calibration-end", "2025-06-30", "--plot", plot)  # fmt: skip
    assert code == 0, out + err
    assert plot.stat().st_size > 0
    # matplotlib's warning of a character its font lacks (drawn as an empty box)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
