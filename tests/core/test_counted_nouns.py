"""An English noun after a count takes its number (kequn.core.i18n._Counted): the import
summary said "orders: read 1 rows", the notes "1 rows are refunds of orders", a purge
"older than 1 days". A template gives the two forms in its field's spec
(``{rows:row|rows}``); Chinese has no plural and its templates give none."""

from __future__ import annotations

import string

import pytest

import kequn.automation.schedule.text
import kequn.automation.text
import kequn.web.text
import kequn.web.web_variants  # noqa: F401 - their templates join MESSAGES when imported
from kequn.core.i18n import MESSAGES, t


def test_one_row_is_a_row() -> None:
    said = {
        n: t("import.summary", "en", table="orders", rows=n, accepted=n, rejected=0)
        for n in (0, 1, 2, "1", "1,234")
    }
    assert "read 0 rows," in said[0]
    assert "read 1 row," in said[1]
    assert "read 2 rows," in said[2]
    assert "read 1 row," in said["1"]  # a count given as text, as the summary gives it
    assert "read 1,234 rows," in said["1,234"]
    assert "读取 1 行" in t("import.summary", "zh", table="订单", rows=1)


def test_the_words_agree_with_the_count() -> None:
    one = t("import.refund_rows", "en", refunds="1")
    assert one.startswith("Note: 1 row is a refund of an order (")
    assert "its money was added to the order's refunded amount" in one
    assert "the row is not stored as an order of its own." in one
    two = t("import.refund_rows", "en", refunds="2")
    assert two.startswith("Note: 2 rows are refunds of orders (")
    assert "their own." in two
    assert t("import.skipped_more", "en", count=1).startswith("1 more row that is not data was")
    assert t("privacy.purged", "en", count=1, days=1) == (
        "Removed 1 quarantined row older than 1 day."
    )
    assert t("import.unknown_status", "en", word="神秘", count=1).startswith(
        "Unknown order status “神秘”: 1 row quarantined."
    )
    # the braces a template writes as text stay text
    assert "statuses: {神秘: paid}" in t("import.unknown_status", "en", word="神秘", count=1)


def _counted(template: str) -> bool:
    return any(spec and "|" in spec for _, _, spec, _ in string.Formatter().parse(template))


@pytest.mark.parametrize("key", sorted(k for k, (_zh, en) in MESSAGES.items() if _counted(en)))
def test_every_counted_template_reads_for_one_and_two(key: str) -> None:
    zh, en = MESSAGES[key]
    fields = {f for _, f, _, _ in string.Formatter().parse(en) if f}
    for n in (1, 2):
        said = t(key, "en", **dict.fromkeys(fields, n))
        assert "|" not in said, said
    # no plural in Chinese: a spec of two forms there would be a mistake
    assert not _counted(zh)


def test_a_bar_in_a_template_s_text_stays() -> None:
    said = t("automation.template_field_unknown", "en", where="w.yaml", field="x")
    assert "customer.x | default('…')" in said
