"""A taxonomy's mistakes told in the reader's language: pydantic's own kinds (a missing
field, an unknown one, a value of the wrong type) and the taxonomy's checks, which were
English whatever --lang said."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

runner = CliRunner()

CASES = {
    "empty.yaml": ("dimensions: []\n", "分群规则没有任何维度", "the taxonomy has no dimensions"),
    "typo.yaml": (
        (
            "dimensions:\n  - id: x\n    zh: 甲\n    en: X\n    type: exclusive\n"
            "    labels:\n      - id: a\n        zh: 甲\n        en: A\n        whn: 'spend > 1'\n"
        ),
        "dimensions.0.labels.0.whn: 不认识的字段",
        "dimensions.0.labels.0.whn: not a known field",
    ),
    "missing.yaml": ("version: 1\n", "dimensions: 缺少必填项", "dimensions: required, but missing"),
    "nolabels.yaml": (
        "dimensions:\n  - id: x\n    zh: 甲\n    en: X\n    type: exclusive\n    labels: []\n",
        "维度 x 没有任何标签",
        "dimension x: has no labels",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_taxonomy_mistakes_in_the_chosen_language(tmp_path: Path, name: str, lang: str) -> None:
    text, zh, en = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    i18n.set_lang(None)
    result = runner.invoke(app, ["--lang", lang, "taxonomy", "check", str(path)])
    i18n.set_lang(None)
    said = " ".join(result.output.split())
    assert result.exit_code != 0
    assert (zh if lang == "zh" else en) in said
    assert "Field required" not in said
    assert "Extra inputs" not in said
    if lang == "zh":
        assert en not in said
