"""A kequn.toml that does not parse is placed in the reader's language: tomllib's
"(at line 1, column 5)" was all a reader of 中文 had, and a file that is no text said
Python's "'utf-8' codec can't decode byte 0xff in position 12"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words


@pytest.mark.parametrize(
    ("lang", "where", "not_text"),
    [
        ("zh", "第 3 行第 5 列：值无法识别", "第 2 行既不是 UTF-8 也不是 GBK 编码的文本"),
        (
            "en",
            "line 3, column 5: the value is not understood",
            "line 2 is neither UTF-8 nor GBK text",
        ),
    ],
)
def test_a_broken_kequn_toml_is_placed_in_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, where: str, not_text: str
) -> None:
    root = tmp_path / "shop"
    assert kequn_words(capsys, "init", "-w", root)[0] == 0
    toml = root / "kequn.toml"
    toml.write_text('[run]\nengine = "duckdb"\nx = = 1\n', encoding="utf-8")
    code, said = kequn_words(capsys, "--lang", lang, "status", "-w", root)
    assert code == 1, said
    assert where in said
    assert "(at line" not in said
    assert "Invalid value" not in said  # tomllib's English, told in kequn's words
    toml.write_bytes(b'[run]\nhome_city = "\xff\xfe"\n')
    code, said = kequn_words(capsys, "--lang", lang, "status", "-w", root)
    assert code == 1, said
    assert not_text in said
    assert "codec" not in said
