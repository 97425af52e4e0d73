"""``kequn status --lang`` (the value forgotten) said "--lang takes zh or en, not status":
moved to the front, --lang took the command's name as its value. It says the option
needs a value, in the environment's language."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_words


@pytest.mark.parametrize(("lang", "words"), [("en", "Option '--lang' requires an argument"),
                                             ("zh", "选项 '--lang' 需要一个值")])  # fmt: skip
@pytest.mark.parametrize("args", [("status", "--lang"), ("show", "C001", "--lang")])
def test_a_lang_with_no_value_says_it_needs_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    words: str,
    args: tuple[str, ...],
) -> None:
    monkeypatch.setenv("KEQUN_LANG", lang)
    code, said = kequn_words(capsys, *args)
    assert code == 2, said
    assert words in said, said
    assert args[0] not in said.split("--lang", 1)[1], said
