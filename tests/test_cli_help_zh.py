"""``--help`` in 中文: every help text of the command tree has its Chinese, and it is what
``--lang zh``, ``KEQUN_LANG=zh`` and a zh_CN locale print; English help is untouched."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cli_helpers import command_tree
from kequn.cli import app, main
from kequn.cli._help import KequnCommand, KequnGroup, key
from kequn.cli.help_zh import HELP_ZH, RICH_ZH
from kequn.core import i18n

runner = CliRunner()
WIDE = {"COLUMNS": "200"}  # one line a text, so phrases are found whole
SECTION = re.compile(r"\\?\[[a-zA-Z_.]+\]")  # "\[run]" (escaped) or "[run]" (Rich markup)


def _texts(command: Any) -> list[str]:
    """A command's help and its parameters' (with --help and typer's completion options)."""
    params = command.get_params(typer.Context(command))
    texts = [command.help, command.short_help, *(getattr(p, "help", None) for p in params)]
    return [text for text in texts if text]


def help_of(*args: str, env: dict[str, str | None] | None = None) -> str:
    result = runner.invoke(app, list(args), env={**WIDE, **(env or {})})
    assert result.exit_code in (0, 2), result.output  # 2: a group's help for no command
    return result.output


def test_every_help_text_has_its_chinese() -> None:
    """A new option, command or changed English text without its Chinese fails here, and
    the Chinese of a text no longer used is to be removed."""
    missing, used = [], set()
    for path, command in command_tree():
        # a command made by typer.Typer, not KequnTyper, would print English help
        assert isinstance(command, KequnCommand | KequnGroup), path
        for text in _texts(command):
            used.add(key(text))
            if key(text) not in HELP_ZH:
                missing.append((" ".join(path), key(text)))
    assert not missing, "add to kequn/cli/help_zh.py:\n" + "\n".join(map(str, missing))
    assert not set(HELP_ZH) - used, "no longer used: " + repr(set(HELP_ZH) - used)
    assert len(used) > 150


def test_the_chinese_names_the_kequn_toml_sections_as_the_english_does() -> None:
    """A section is escaped ("\\[run]") in Chinese as in English, or Rich eats it."""
    for english, chinese in HELP_ZH.items():
        assert sorted(SECTION.findall(chinese)) == sorted(SECTION.findall(english)), english
        assert not re.search(r"(?<!\\)\[[a-z]", chinese), chinese


def test_the_words_typer_prints_are_typers() -> None:
    """The panel titles and "[default: …]" put in Chinese are still typer's names."""
    from typer import rich_utils

    for name in RICH_ZH:
        assert isinstance(getattr(rich_utils, name, None), str), name
    assert callable(rich_utils.highlighter)


def test_lang_zh_prints_a_commands_help_in_chinese() -> None:
    out = help_of("--lang", "zh", "import", "--help")
    for zh in (
        "用法：root import [选项]",  # (CliRunner calls kequn "root")
        "有问题的行连同原因放入隔离区",  # the docstring
        "customers（客户）、orders（订单）或 events（互动）",  # an argument
        "存放数据库地址的环境变量",  # an option
        "输出机器可读的 JSON。",  # a shared option
        "显示此帮助并退出。",  # click's --help
        "参数",
        "选项",
        "[必填]",
    ):
        assert zh in out, zh
    for en in ("Usage:", "Validate a file", "Environment variable", "Show this message", "Options"):
        assert en not in out, en


def test_lang_zh_before_help_prints_kequns_help_in_chinese() -> None:
    out = help_of("--lang", "zh", "--help")
    assert "像优秀的 CRM 团队一样为客户分群" in out
    assert "命令" in out
    assert "查看并校验工作区的分群规则。" in out  # a group's line
    assert "在每个维度上为每位客户分类" in out  # a command's line
    assert "Commands" not in out
    assert "Classify every customer" not in out


def test_kequn_lang_from_the_environment_and_the_locale() -> None:
    out = help_of("init", "--help", env={"KEQUN_LANG": "zh"})
    assert "创建工作区" in out
    assert "[默认：上海]" in out
    assert "[default:" not in out
    locale = {"KEQUN_LANG": None, "LC_ALL": None, "LANG": "zh_CN.UTF-8"}
    assert "像优秀的 CRM 团队一样" in help_of(env=locale)  # no command: kequn's help
    assert "校验分群规则文件" in help_of("taxonomy", env=locale)  # a group without its command
    assert "按水位列增量拉取" in help_of("sync", "--help", env=locale)
    assert "\\[sources.NAME]" not in help_of("sync", "--help", env=locale)
    assert "[sources.NAME]" in help_of("sync", "--help", env=locale)


def test_lang_en_wins_over_the_environment() -> None:
    out = help_of("--lang", "en", "run", "--help", env={"KEQUN_LANG": "zh"})
    assert "Classify every customer" in out
    assert "分类" not in out


def test_english_help_stays_english_before_and_after_chinese() -> None:
    """What is put in Chinese for one help is put back: the English help printed after
    a Chinese one is the English printed before it."""
    for path, _command in command_tree():
        before = help_of(*path, "--help")
        assert "Usage:" in before
        assert "Show this message and exit." in before
        assert not re.search("用法|选项|显示此帮助", before), path
        help_of("--lang", "zh", *path, "--help")
        i18n.set_lang(None)  # --lang is process-wide (conftest resets it between tests)
        assert help_of(*path, "--help") == before, path


def test_chinese_help_wraps_rather_than_being_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich breaks lines at spaces, and a Chinese sentence has none: in an 80-column
    terminal the options' help was cut with "…". It is folded, all of it shown."""
    result = runner.invoke(app, ["--lang", "zh", "import", "--help"], env={"COLUMNS": "80"})
    flat = re.sub(r"[\s│]", "", result.output)
    for english in (
        "File (mode 0600) whose first line is the database URL",
        "Keep a platform export's ids as given instead of making it its platform's source",
        "Derive customers from an order export's buyer columns (default: when the workspace has no customers yet)",
    ):
        assert re.sub(r"\s", "", HELP_ZH[english]) in flat, english


def test_the_kequn_command_prints_chinese_help_with_lang_anywhere(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's main (``kequn.cli:main``, which the program calls), ``--lang`` after
    ``--help`` as people type it."""
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exit_:
        main(["import", "--help", "--lang", "zh"])
    assert exit_.value.code in (0, None)
    out = capsys.readouterr().out
    assert "用法：kequn import" in out
    assert "存放数据库地址的环境变量" in out


@pytest.mark.parametrize("args", [["run", "--help"], ["--help"], ["features", "--help"]])
def test_a_flag_is_shown_without_a_value(args: list[str]) -> None:
    """``--refit`` takes no value: help shows no ``<bool>`` beside a flag (typer's default
    made it read as ``--refit <bool>``), while an option with a value keeps its type."""
    for lang in ("en", "zh"):
        text = help_of(*args, env={"KEQUN_LANG": lang})
        assert "<bool>" not in text
        flags = [line for line in text.splitlines() if "--json" in line or "--help" in line]
        assert flags
        assert all("<" not in line for line in flags)
    assert "<path>" in help_of("run", "--help")  # --workspace keeps its type


def test_each_command_s_line_in_a_group_s_help_is_its_whole_first_paragraph() -> None:
    """Typer's Rich help kept a docstring's line breaks in the table of commands: "List
    the names rules may use, with their meaning: the catalogue's, and the" ended the
    ``features`` line at 80 columns and at 200, and "thresholds of …" started the next."""
    for path, command in command_tree():
        subs = getattr(command, "commands", None)
        if not subs:
            continue
        shown = help_of("--lang", "en", *path, "--help")
        for name, sub in subs.items():
            if sub.hidden or not sub.help:
                continue
            summary = key(sub.help.split("\n\n", 1)[0]).replace("\\[", "[")  # Rich's escape
            lines = shown.splitlines()
            at = next(i for i, ln in enumerate(lines) if ln.startswith(f"│ {name} "))
            row = [lines[at]]  # with the lines its text wraps onto (its name column blank)
            row += itertools.takewhile(lambda ln: re.match(r"│ {3}", ln), lines[at + 1 :])
            said = " ".join(" ".join(row).replace("│", " ").split())
            assert summary in said, (path, name, row)
            if len(summary) < 150:  # fits the 200 columns: one line, not cut at its "\n"
                assert len(row) == 1, (path, name, row)
    chinese = help_of("--lang", "zh", "--help")
    assert "列出规则中可以使用的名称及其含义" in chinese  # the Chinese line, not the English
