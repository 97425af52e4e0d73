"""``kequn --lang zh run --help`` showed typer's words beside the options in English:
``<int range>``, ``<str>``, ``<path>``, ``[1<=x<=36500]`` and ``[OPTIONS]`` in the usage
line. They are Chinese in the Chinese help, and the English help keeps typer's."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_output


def _help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", "200")  # one line an option
    code, out, err = kequn_output(capsys, *args, "--help")
    assert code == 0, out + err
    return out


def _row(text: str, option: str) -> str:
    return next(line for line in text.splitlines() if f" {option} " in line)


def test_chinese_help_names_the_types_and_bounds_in_chinese_english_typers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    worklist = _help(capsys, monkeypatch, "--lang", "zh", "worklist")
    assert "用法：kequn worklist [选项]" in worklist
    assert "<整数> [1 至 1000000000]" in _row(worklist, "--limit")
    assert "<文本>" in _row(worklist, "--team")
    assert "<路径>" in _row(worklist, "--workspace")
    for english in ("<int range>", "<str>", "<path>", "<=x<=", "[OPTIONS]"):
        assert english not in worklist, english
    purge = _help(capsys, monkeypatch, "--lang", "zh", "privacy", "purge")
    assert "<整数> [0 至 36500]" in _row(purge, "--days")
    fit = _help(capsys, monkeypatch, "--lang", "zh", "clv", "fit")
    assert "<文件>" in _row(fit, "transactions")
    assert "用法：kequn runs [选项] 命令 [参数]..." in _help(
        capsys, monkeypatch, "--lang", "zh", "runs"
    )


def test_a_usage_error_s_usage_line_is_chinese_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = kequn_output(capsys, "--lang", "zh", "worklist", "--limit", "x")
    assert code == 2
    assert "用法：kequn worklist [选项]" in err, err
