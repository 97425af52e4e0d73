"""tomllib's problems, told in kequn's words in both languages: a reader of 中文 got
"第 3 行第 5 列：TOML 解析器报告：Invalid value", half of it English. The broken files are
the mistakes people make in kequn.toml; each problem is tomllib's own (CPython
Lib/tomllib/_parser.py)."""

from __future__ import annotations

import re
import tomllib

import pytest

from kequn.core.yamlfile import toml_problem

HAN = re.compile(r"[\u4e00-\u9fff]")

BROKEN = [  # (kequn.toml text, tomllib's English, what the English reader is told)
    ("home_city = 杭州\n", "Invalid value", "text needs quotes"),
    ('[run]\nengine = "duckdb" # ok\nx = = 1\n', "Invalid value", "line 3, column 5"),
    ('taxonomy = "D:\\data\\taxonomy.yaml"\n', "Unescaped '\\'", "single quotes"),
    ("[run]\nas_of = 2026-12-01\n[run]\n", "Cannot declare", "the table run is declared twice"),
    ("[run\nengine = 'duckdb'\n", "Expected ']'", "has no closing ]"),
    ('home_city = "杭州\n', "Illegal character '\\n'", "a string has no closing quote"),
    ('x = """abc\n', "Unterminated string", "a string has no closing quote"),
    ("engine 'duckdb'\n", "Expected '='", "a key is not followed by ="),
    ("memory_limit = 4 GB\n", "Expected newline", "something follows the value"),
    ("x = {a = 1\n", "Unclosed inline table", "no closing }"),
    ("x = [1, 2\n", "Unclosed array", "an array has no closing ]"),
    ("= 1\n", "Invalid statement", "neither key = value nor a [table] header"),
    ("x = {a = 1, a = 2}\n", "Duplicate inline table key", "the key a appears twice"),
    ("x = '''abc\n", "Expected \"'''\"", "no closing '''"),
    ("x = {,}\n", "Invalid initial character", "a key starts with a character"),
    ('x = "\\uD800"\n', "not a Unicode scalar value", "not a valid Unicode character"),
    ('x = "\\u12"\n', "Invalid hex value", "hexadecimal"),
    ("x = 1\n[x]\n", "Cannot overwrite a value", "already has a value"),
    ("x = {b = 1}\nx.c = 2\n", "Cannot mutate immutable namespace", "x already has a value"),
    ('x = "a\x7fb"\n', "Illegal character", "is not allowed here"),
]


@pytest.mark.parametrize(("text", "english", "told"), BROKEN)
def test_each_problem_is_told_in_kequn_s_words(text: str, english: str, told: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    assert english in str(caught.value)  # the problem is tomllib's, as listed
    zh, en = toml_problem(caught.value, "zh"), toml_problem(caught.value, "en")
    assert told in en
    assert english not in en
    assert english not in zh
    assert HAN.search(zh)
    assert "TOML" not in zh  # not "the TOML parser says"
    for said in (zh, en):
        assert "(at line" not in said
        assert "end of document" not in said
        assert "('" not in said  # a key as written (run), not tomllib's tuple ('run',)


def test_a_problem_tomllib_words_differently_keeps_its_english_after_kequn_s() -> None:
    unknown = tomllib.TOMLDecodeError("Some new problem (at line 2, column 1)")
    assert toml_problem(unknown, "zh") == "第 2 行第 1 列：TOML 解析器报告：Some new problem"
    assert toml_problem(unknown, "en") == "line 2, column 1: the TOML parser says: Some new problem"
