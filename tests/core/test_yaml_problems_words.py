"""A YAML file a person edited that does not parse is told in their language: the file,
the line and column (from 1) and what is wrong in words, for the problems PyYAML and
libyaml report most; anything else in the parser's English after kequn's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cli_helpers import kequn, kequn_words
from kequn.core.yamlfile import SafeLoader, yaml_error, yaml_problem

#: broken text -> (line, column, words in 中文, words in English)
BROKEN = {
    "thresholds:\n  a: b: c\n": (2, 7, "含冒号的值请用引号括起来", "put such a value in quotes"),
    "a: 1\nb\nc: 2\n": (3, 1, "缺少冒号", "a ':' is missing"),
    "a:\n\t- 1\n": (2, 1, "请把 Tab 换成空格", "replace the tab with spaces"),
    "a: 1\n\tb: 2\n": (2, 1, "请把 Tab 换成空格", "replace the tab with spaces"),
    "a:\n  - 1\n b: 2\n": (3, 2, "缩进不一致", "indentation does not line up"),
    "a: *base\n": (1, 4, "引用 *base 没有对应的锚点", "the alias *base refers to no anchor"),
    'a: 1\nb: "abc\n': (2, 4, "引号一直到文件末尾都没有闭合", "never closed"),
    "a: [1, 2\nb: 3\n": (2, 2, "[ … ] 没有正确结束", "a [ … ] is not closed properly"),
    "a: @x\n": (1, 4, "字符 '@' 不能作为值的开头", "the character '@' cannot start a value"),
    "a: 1\n---\nb: 2\n": (2, 1, "第二个文档", "a second document"),
    "a: !!python/object:os.system x\n": (1, 4, "不支持的标签", "is not supported"),
}
_LOADERS = sorted({yaml.SafeLoader, SafeLoader}, key=lambda c: c.__name__)


def _error(text: str, loader: type) -> yaml.YAMLError:
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.load(text, Loader=loader)
    return caught.value


@pytest.mark.parametrize("loader", _LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text", list(BROKEN))
def test_common_problems_are_told_in_words(text: str, loader: type) -> None:
    line, column, zh, en = BROKEN[text]
    exc = _error(text, loader)
    assert yaml_problem(exc, text, "zh")[:2] == (line, column)
    said_zh = yaml_error(exc, "taxonomy.yaml", text, "zh")
    said_en = yaml_error(exc, "taxonomy.yaml", text, "en")
    assert said_zh.startswith(f"taxonomy.yaml 不是有效的 YAML（第 {line} 行第 {column} 列）：")
    assert said_en.startswith(f"taxonomy.yaml is not valid YAML (line {line}, column {column}): ")
    assert zh in said_zh
    assert en in said_en
    # kequn's words only: none of the parser's English in the Chinese
    assert not re.search(r"found|expected|not allowed|could not", said_zh)


def test_another_problem_keeps_the_parser_s_words_after_kequn_s() -> None:
    text = "%x\na: 1\n"
    exc = _error(text, yaml.SafeLoader)
    said = yaml_error(exc, "m.yaml", text, "zh")
    assert said.startswith("m.yaml 不是有效的 YAML（第 2 行第 1 列）：YAML 解析器报告：")
    assert "expected '<document start>'" in said


def test_a_control_character_is_placed_though_the_reader_gives_no_mark() -> None:
    text = "a: 1\nb: x\x01\n"
    exc = _error(text, SafeLoader)
    assert yaml_error(exc, "t.yaml", text, "en") == (
        "t.yaml is not valid YAML (line 2, column 5): there is a control character #x0001 "
        "here, which YAML does not allow (perhaps pasted in): delete it"
    )


def test_broken_files_are_told_by_the_commands_in_both_languages(capsys, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert kequn(capsys, "init", "-w", ws)[0] == 0
    taxonomy = ws / "taxonomy.yaml"
    good = taxonomy.read_text(encoding="utf-8")
    # a threshold written with a colon inside its value, on the file's last line
    taxonomy.write_text(good + "extra: note: here\n", encoding="utf-8")
    line = len(good.splitlines()) + 1
    code, said = kequn_words(capsys, "taxonomy", "check", "-w", ws, "--lang", "zh")
    assert code == 1
    assert f"taxonomy.yaml 不是有效的 YAML（第 {line} 行第 12 列）：这里不能再出现“键: 值”" in said
    assert "mapping values" not in said
    code, said = kequn_words(capsys, "taxonomy", "check", "-w", ws, "--lang", "en")
    assert code == 1
    assert f"taxonomy.yaml is not valid YAML (line {line}, column 12): a 'key: value'" in said
    taxonomy.write_text(good, encoding="utf-8")
    # journeys.yaml indented with a tab
    (ws / "journeys.yaml").write_text("journeys:\n\t- id: x\n", encoding="utf-8")
    code, said = kequn_words(capsys, "journeys", "check", "-w", ws, "--lang", "zh")
    assert code == 1
    assert "journeys.yaml 不是有效的 YAML（第 2 行第 1 列）：这里有制表符（Tab）" in said
    assert "cannot start any token" not in said
    code, said = kequn_words(capsys, "journeys", "check", "-w", ws, "--lang", "en")
    assert "journeys.yaml is not valid YAML (line 2, column 1): there is a tab here" in said
    # a mapping file with an alias to nothing
    mapping, orders = tmp_path / "map.yaml", tmp_path / "orders.csv"
    mapping.write_text("columns: {customer_id: 会员编号}\nstatuses: *mine\n", encoding="utf-8")
    orders.write_text("订单号,会员编号,下单时间,金额\nA1,C1,2024-01-05,10\n", encoding="utf-8")
    for lang, words in (
        ("zh", "map.yaml 不是有效的 YAML（第 2 行第 11 列）：引用 *mine 没有对应的锚点"),
        ("en", "map.yaml is not valid YAML (line 2, column 11): the alias *mine refers to no"),
    ):
        code, said = kequn_words(
            capsys, "import", "orders", orders, "-w", ws, "--mapping", mapping, "--lang", lang
        )
        assert code != 0
        assert words in said, said
