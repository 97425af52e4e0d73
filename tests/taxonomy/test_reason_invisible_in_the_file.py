"""A taxonomy file whose reason holds an invisible character is refused when it is read.

The dashboard's save refuses it (tests/web/test_texts_with_invisible_characters); a file
edited by hand is read by ``kequn taxonomy check`` and by every run through the same
model, which let a U+202E (right-to-left override) in a reason through: the customer's
page showed the reason reversed. The message names the file, the label, the field and the
character, in the language asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n
from kequn.taxonomy.model import default_text

runner = CliRunner()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "标签 prospect 的 reason[0].en 含有不显示的字符 U+FEFF"),
        ("en", "label prospect: reason[0].en holds the invisible character U+FEFF"),
    ],
)
def test_taxonomy_check_refuses_an_invisible_character_in_a_reason(
    tmp_path: Path, lang: str, said: str
) -> None:
    text = default_text().replace('en: "no paid order yet', 'en: "no paid\\ufeff order yet', 1)
    assert text != default_text()
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    i18n.set_lang(None)
    result = runner.invoke(app, ["--lang", lang, "taxonomy", "check", str(path)])
    i18n.set_lang(None)
    words = " ".join(result.output.split())
    assert result.exit_code != 0, words
    assert "taxonomy.yaml" in words, words
    assert said in words, words


def test_a_run_made_before_the_check_is_still_read(tmp_path: Path) -> None:
    """A run's own copy of its taxonomy was checked when the run was made; one made
    before reasons were checked may hold a zero-width space pasted into a reason, and its
    pages still name its segments (a workspace's file with the same text is refused)."""
    from kequn.taxonomy.model import TaxonomyError, load_taxonomy

    text = default_text().replace('en: "no paid order yet', 'en: "no paid\\u200b order yet', 1)
    assert text != default_text()
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    stored = load_taxonomy(path, parse_rules=False)
    assert stored.segment_name("lifecycle", "prospect", "en")
    with pytest.raises(TaxonomyError, match="U\\+200B"):
        load_taxonomy(path)
    # and the other way round: refused first, then read as a run's copy
    assert load_taxonomy(path, parse_rules=False).dimension("lifecycle") is not None


def test_a_fallback_labels_reason_is_checked_too(tmp_path: Path) -> None:
    """A dimension's fallback (``unknown``) is a label whose reason people read as well."""
    from kequn.taxonomy.model import TaxonomyError, load_taxonomy

    text = default_text().replace('en: "no income given"', 'en: "no\\u202e income given"', 1)
    assert text != default_text()
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match="U\\+202E"):
        load_taxonomy(path)
