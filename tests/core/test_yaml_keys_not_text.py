"""A key YAML reads as no text (``5:``, or ``yes:`` / ``on:``, which YAML 1.1 reads as
true) was told in pydantic's English whatever the language: "5: Keys should be
strings"."""

from __future__ import annotations

import re

import pytest

from kequn.core.i18n import speaking
from kequn.taxonomy.model import TaxonomyError, parse_taxonomy

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("text", ["5: b\ndimensions: []\n", "dimensions: []\nyes: 1\n"])
@pytest.mark.parametrize(("lang", "words"), [("zh", "键应为文本"), ("en", "keys should be text")])
def test_a_key_that_is_no_text_is_told_in_the_reader_s_words(
    text: str, lang: str, words: str
) -> None:
    with speaking(lang), pytest.raises(TaxonomyError) as raised:
        parse_taxonomy(text)
    message = str(raised.value)
    assert words in message, message
    assert "Keys should be strings" not in message
    assert bool(HAN.search(message)) == (lang == "zh"), message
