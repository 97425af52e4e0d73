"""A tag's column is named ``dimension_label`` beside the features in a run's rows. A tag
named like a feature (dimension ``max``, label ``quantity``: ``max_quantity``) passed the
check, then the run stopped with an Ibis traceback: the labels file keeps no column the
features file has, so the tag's column was dropped and counting it failed (before the
features had a file of their own, the tag silently replaced the feature). The check
says so, as for a dimension id named like a feature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.taxonomy.model import TaxonomyError, parse_taxonomy

DEFAULT = (Path(__file__).parents[2] / "src/kequn/taxonomy/default.yaml").read_text("utf-8")


def _with_tags(dimension: str, label: str) -> str:
    extra = f"""
  - id: {dimension}
    zh: 大单
    en: Big
    type: tags
    labels:
      - id: {label}
        zh: 大量
        en: Big quantity
        reason: {{zh: "大量", en: "big quantity"}}
        when: orders >= 1
"""
    text = DEFAULT.replace("\n  - id: traits\n", extra + "\n  - id: traits\n", 1)
    assert text != DEFAULT
    return text


def test_a_tag_named_like_a_feature_is_refused(tmp_path: Path) -> None:
    text = _with_tags("max", "quantity")
    with pytest.raises(TaxonomyError, match=re.escape("['max_quantity']")):
        parse_taxonomy(text)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["taxonomy", "check", str(path)])
    assert result.exit_code == 1
    assert "max_quantity" in result.output


def test_a_tag_of_its_own_name_is_kept() -> None:
    taxonomy = parse_taxonomy(_with_tags("big", "quantity"))
    assert "big" in [d.id for d in taxonomy.dimensions]
