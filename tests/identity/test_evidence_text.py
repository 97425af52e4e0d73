"""A link's evidence reads in the reader's language: every comparison level and every
deterministic rule the resolver can write has its 中文, so none is shown in English."""

from __future__ import annotations

import inspect
import re

from kequn.identity import prepare
from kequn.identity.evidence import FIELDS_ZH, LEVELS_ZH, evidence_local
from kequn.identity.model import COMPARISONS, evidence_text


def _rules() -> set[str]:
    """The deterministic rules prepare.py writes (``SELECT customer_id, 'rule'``)."""
    source = inspect.getsource(prepare)
    return set(re.findall(r"SELECT customer_id, '([^']+)'", source))


def test_every_level_and_rule_has_its_chinese() -> None:
    rules = _rules()
    assert {"unionid", "phone+name", "email+name"} <= rules  # the parse found them
    for output, levels in COMPARISONS:
        assert output in FIELDS_ZH, output
        for label, _sql in levels:
            assert label in LEVELS_ZH, (output, label)
    assert rules <= set(LEVELS_ZH)


def test_evidence_is_put_in_the_readers_language() -> None:
    n_levels = {output: len(levels) for output, levels in COMPARISONS}
    # gamma = n - 2 is the first non-null level of each comparison (splink numbers them down)
    text = evidence_text({f"gamma_{o}": n - 2 for o, n in n_levels.items()})
    zh = evidence_local(text, "zh")
    assert evidence_local(text, "en") == text
    assert "姓名：汉字相同" in zh
    assert not re.search(r"[a-z]{3,}", zh.replace("unionid", "")), zh
    assert evidence_local("deterministic: phone (own)", "zh") == "确定性规则：本人专用手机号相同"
    # a part it does not know is shown as stored, not dropped
    assert evidence_local("name: new level", "zh") == "姓名：new level"
    assert evidence_local(None, "zh") == ""
