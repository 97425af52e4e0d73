"""A segment's name (生命周期：沉睡, "Lifecycle: Dormant": export headers of a tags
dimension, worklists, pages) is the taxonomy's own names whole, however long: the names a
user types after a command (a dimension or label that is not there) are quoted back short
in messages (:func:`kequn.core.i18n.shown_name`), and a name the taxonomy gives must not be
cut with them."""

from __future__ import annotations

from pathlib import Path

from kequn.taxonomy.model import default_text, load_taxonomy

LONG = "Lifecycle of a customer with the shop, " * 8  # ~300 characters


def test_a_long_dimension_name_is_named_whole(tmp_path: Path) -> None:
    text = default_text().replace(
        "    zh: 生命周期\n    en: Lifecycle\n", f'    zh: 生命周期\n    en: "{LONG}"\n', 1
    )
    assert text != default_text()
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    named = load_taxonomy(path, parse_rules=False).segment_name("lifecycle", "prospect", "en")
    assert named == f"{LONG}: Prospect"
