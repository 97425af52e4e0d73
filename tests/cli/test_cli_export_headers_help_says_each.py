"""``kequn export --help`` said of ``--headers`` only "zh / en ... in that language": a
stranger did not learn that zh is Chinese and en English, nor what each gives. It now
says what each value does, in the help's two languages."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_words


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", ("ids (the default, machine-readable", "zh: column names", "in Chinese",
                "en: the same in English")),
        ("zh", ("ids（默认，供其他工具读取", "zh：列名", "都用中文", "en：同样的内容用英文")),
    ],
)  # fmt: skip
def test_the_help_says_what_each_value_does(
    capsys: pytest.CaptureFixture[str], lang: str, said: tuple[str, ...]
) -> None:
    code, out = kequn_words(capsys, "--lang", lang, "export", "--help")
    assert code == 0, out
    joined = out.replace(" ", "") if lang == "zh" else out
    for words in said:
        assert (words.replace(" ", "") if lang == "zh" else words) in joined, (words, out)
