"""A journeys.yaml that is valid YAML but no mapping (a list, a bare word) is told in
the chosen language, naming the file: it was the one problem of the file said in English
alone under ``--lang zh``."""

from __future__ import annotations

import pytest

from kequn.automation.journeys import JourneysError, parse_journeys
from kequn.core import i18n
from kequn.taxonomy.model import load_taxonomy


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", "应为含 channels（渠道）与 journeys（旅程）的映射"), ("en", "expected a mapping")],
)
@pytest.mark.parametrize("text", ["- a\n- b\n", "journeys\n"])
def test_not_a_mapping_is_said_in_the_language(lang: str, words: str, text: str) -> None:
    i18n.set_lang(lang)
    try:
        with pytest.raises(JourneysError) as caught:
            parse_journeys(text, load_taxonomy(), where="shop/journeys.yaml")
    finally:
        i18n.set_lang(None)
    said = str(caught.value)
    assert said.startswith("shop/journeys.yaml")
    assert words in said
