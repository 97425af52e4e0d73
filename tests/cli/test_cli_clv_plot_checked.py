"""``kequn clv fit --plot`` fitted the models, then ended in a traceback: matplotlib,
which draws the plot, is no dependency of kequn (and a folder given as the PNG would have
failed the same way, after the fit). Both are refused first, in the chosen language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cli_helpers import kequn_output

TRANSACTIONS = "customer_id,date,amount\n" + "".join(
    f"C{c},2025-{m:02d}-{1 + c % 27:02d},{10 + c}\n" for c in range(30) for m in (1, 3, 8)
)


def _fit(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, plot: Path) -> str:
    transactions = tmp_path / "tx.csv"
    transactions.write_text(TRANSACTIONS, encoding="utf-8")
    code, out, err = kequn_output(capsys, "--lang", lang, "clv", "fit", transactions,
                                  "--calibration-end", "2025-06-30", "--plot", plot)  # fmt: skip
    said = " ".join((out + err).replace("│", " ").split())
    assert code != 0, said
    assert "Traceback" not in said, said
    return said


@pytest.mark.parametrize(("lang", "words"), [("en", "is a folder where a file is needed"),
                                             ("zh", "是文件夹")])  # fmt: skip
def test_a_folder_for_the_plot_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    assert words in _fit(capsys, tmp_path, lang, tmp_path), lang


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is not None,
                    reason="matplotlib is installed here")  # fmt: skip
@pytest.mark.parametrize(("lang", "words"), [("en", "pip install matplotlib first"),
                                             ("zh", "绘图需要 matplotlib")])  # fmt: skip
def test_a_plot_without_matplotlib_says_how_to_get_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    said = _fit(capsys, tmp_path, lang, tmp_path / "fit.png")
    assert words in said, said
    assert "--plot" in said, said
