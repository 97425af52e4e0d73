"""Usage errors (an unknown option or command, a missing argument, a value of the wrong
kind) are said in 中文 when the language is zh: typer's copy of click words them in
English only, with "Error", "Usage:" and "Try ... for help." around them."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.cli.help_zh import USAGE_ERRORS_ZH, VALUE_ERRORS_ZH
from kequn.store.workspace import Workspace

ENGLISH_FRAME = ("Error", "Usage:", "for help")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("usage") / "shop"
    Workspace.init(root)
    return root


CASES = [
    (["run", "--bogus"], "没有这个选项：--bogus", "No such option: --bogus"),
    (["runn"], "没有这个命令：'runn'。你是不是想用 'run', 'runs'？", "No such command 'runn'."),
    (["show"], "缺少参数 'customer_id'。", "Missing argument 'customer_id'."),
    (["run", "--as-of"], "选项 '--as-of' 需要一个值。", "Option '--as-of' requires an argument."),
    (
        ["segments", "--json=3"],
        "选项 '--json' 不接受值。",
        "Option '--json' does not take a value.",
    ),
    (["show", "a", "b", "c"], "多余的参数：b c", "Got unexpected extra argument(s) (b c)"),
    (
        ["worklist", "--limit", "many"],
        "'--limit' 的值无效：应为整数",
        "Invalid value for '--limit'",
    ),
    (
        ["import", "orders", "/no/such/file.csv"],
        "'file' 的值无效：'/no/such/file.csv' 不存在。",
        "Invalid value for 'file'",
    ),
    (
        ["run", "--as-of", "2024-13-01"],
        "--as-of 的值无效：日期应为 YYYY-MM-DD",
        "Invalid value for --as-of: a date is",
    ),
]


@pytest.mark.parametrize(("args", "chinese", "english"), CASES)
def test_usage_errors_in_chinese_and_english(
    shop: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    chinese: str,
    english: str,
) -> None:
    args = [args[0], "-w", str(shop), *args[1:]]
    code, said = kequn_words(capsys, "--lang", "zh", *args)
    assert code == 2, said
    assert chinese in said
    assert "错误" in said
    for word in ENGLISH_FRAME:
        assert word not in said
    # the next command in the same process, in English, is told in English again
    code, said = kequn_words(capsys, "--lang", "en", *args)
    assert code == 2
    assert english.split(":", maxsplit=1)[0] in said
    assert "Error" in said
    assert "错误" not in said


def test_every_pattern_fills_its_chinese_from_its_own_groups() -> None:
    for pattern, chinese in (*USAGE_ERRORS_ZH, *VALUE_ERRORS_ZH):
        groups = set(re.compile(pattern).groupindex)
        wanted = {name for _, name, _, _ in string.Formatter().parse(chinese) if name}
        assert wanted <= groups, pattern
