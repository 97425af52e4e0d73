"""What a newcomer saw trying the README's commands in both languages: ``kequn clv fit``
said "（单位：week）" in Chinese, and a date that is none ("2026-02-30", "tomorrow") was
"Invalid value" of no option, though ``kequn events`` takes two dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words

CDNOW = Path(__file__).parent.parent / "data" / "cdnow" / "cdnow_sample_transactions.csv"


@pytest.mark.parametrize(
    ("lang", "unit", "other"), [("zh", "（单位：周）", "week"), ("en", "(unit: week)", "周")]
)
def test_clv_fit_names_its_time_unit_in_the_language(
    capsys: pytest.CaptureFixture[str], lang: str, unit: str, other: str
) -> None:
    code, said = kequn_words(
        capsys, "--lang", lang, "clv", "fit", CDNOW, "--calibration-end", "1997-09-30"
    )
    assert code == 0, said
    first = said.split("）" if lang == "zh" else ")", 1)[0]
    assert unit.rstrip("）)") in first, said
    assert other not in first


@pytest.mark.parametrize(
    ("lang", "args", "option"),
    [
        ("en", ("run", "--as-of", "2026-02-30"), "Invalid value for --as-of"),
        ("zh", ("run", "--as-of", "tomorrow"), "--as-of 的值无效"),
        ("en", ("events", "--since", "2026-13-01"), "Invalid value for --since"),
        ("zh", ("events", "--until", "yesterday"), "--until 的值无效"),
    ],
)
def test_a_date_that_is_none_names_its_option(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    lang: str,
    args: tuple[str, ...],
    option: str,
) -> None:
    ws = tmp_path / "shop"
    assert kequn_words(capsys, "init", "-w", ws)[0] == 0
    code, said = kequn_words(capsys, "--lang", lang, *args, "-w", ws)
    assert code == 2, said
    assert option in said
    assert args[-1] in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", ["计算特征、模型与标签", "保存结果", "准备看板"]),
        (
            "en",
            [
                "computing features, models and labels",
                "saving the results",
                "preparing the dashboard",
            ],
        ),
    ],
)
def test_a_run_s_steps_are_said_in_the_language(lang: str, said: list[str]) -> None:
    """The spinner of ``kequn run`` and ``kequn demo`` showed the pipeline's step names
    (features, publish, lookups) in English in both languages."""
    from kequn.cli.analysis import step_words
    from kequn.core import i18n

    i18n.set_lang(lang)
    try:
        assert [step_words(s) for s in ("features", "publish", "lookups")] == said
        assert step_words("a_new_step") == "a_new_step"
    finally:
        i18n.set_lang(None)


@pytest.mark.parametrize(("lang", "said"), [("zh", "晚于今天"), ("en", "is after today")])
def test_a_run_dated_after_today_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, said: str
) -> None:
    """A mistyped year (2027 for 2026) classified everyone as lapsed without a word."""
    import datetime as dt

    ws = tmp_path / "shop"
    assert kequn_words(capsys, "init", "-w", ws)[0] == 0
    later = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    code, words = kequn_words(
        capsys, "--lang", lang, "run", "--as-of", later, "--no-models", "-w", ws
    )
    assert code == 0, words
    assert said in words
    assert later in words
    today = dt.date.today().isoformat()
    code, words = kequn_words(
        capsys, "--lang", lang, "run", "--as-of", today, "--no-models", "-w", ws
    )
    assert code == 0, words
    assert said not in words


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "written as .csv or .xlsx"), ("zh", "须以 .csv 或 .xlsx 结尾")]
)
def test_an_export_named_neither_csv_nor_xlsx_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, said: str
) -> None:
    """``-o 沉睡.xls`` (or out.pdf) was written as CSV under that name."""
    ws = tmp_path / "shop"
    assert kequn_words(capsys, "init", "-w", ws)[0] == 0
    assert kequn_words(capsys, "run", "--no-models", "-w", ws)[0] == 0
    for name in ("沉睡.xls", "out.pdf"):
        target = tmp_path / name
        code, words = kequn_words(
            capsys, "--lang", lang, "export", "lifecycle=dormant", "-o", target, "-w", ws
        )
        assert code == 2, words
        assert said in words
        assert name in words
        assert not target.exists()
    code, words = kequn_words(
        capsys, "export", "lifecycle=dormant", "-o", tmp_path / "沉睡.xlsx", "-w", ws
    )
    assert code == 0, words
    assert (tmp_path / "沉睡.xlsx").exists()
