"""What is wrong with a reason's template is said in the language asked for: the
messages of a misspelt name, a template that does not parse, an unknown format, a number
format on a text and ``:label`` on a feature were English whatever the language."""

from __future__ import annotations

import pytest

from kequn.core import i18n
from kequn.taxonomy.model import TaxonomyError, default_text, parse_taxonomy

REASON = 'en: "no paid order yet'


def _refused(template: str, lang: str) -> str:
    text = default_text().replace(REASON, f'en: "{template} no paid order yet', 1)
    assert text != default_text()
    i18n.set_lang(lang)
    try:
        with pytest.raises(TaxonomyError) as raised:
            parse_taxonomy(text, "edited.yaml")
    finally:
        i18n.set_lang(None)
    return str(raised.value)


@pytest.mark.parametrize(
    ("template", "zh", "en"),
    [
        ("{spnd:money}", "未知的名称 '{spnd}'", "unknown name '{spnd}'"),
        ("{spnd:money}", "是否想写 'spend'", "did you mean 'spend'?"),
        ("{spend", "不是有效的模板", "not a valid template"),
        ("{spend:euro}", "未知的格式 '{spend:euro}'", "unknown format '{spend:euro}'"),
        ("{city:money}", "city 是文字，不是数字", "city is a string, not a number"),
        ("{spend:label}", "spend 不是维度", "spend is not a dimension"),
    ],
)
def test_a_reason_template_problem_is_said_in_the_language(template: str, zh: str, en: str) -> None:
    said_zh, said_en = _refused(template, "zh"), _refused(template, "en")
    assert zh in said_zh, said_zh
    assert "（en）" in said_zh, said_zh
    assert en in said_en, said_en
    assert "(en)" in said_en, said_en
    assert "unknown" not in said_zh, said_zh
    assert "not a" not in said_zh, said_zh
