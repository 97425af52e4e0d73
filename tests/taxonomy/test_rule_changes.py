"""Which dimensions label differently by definition between two taxonomies
(kequn.taxonomy.changes): what holds the journeys on movements a rule change made."""

from __future__ import annotations

from kequn.taxonomy.changes import changed_dimensions, settings_changed
from kequn.taxonomy.model import Taxonomy, default_text, parse_taxonomy

DEFAULT = default_text()


def _edited(old: str, new: str) -> Taxonomy:
    assert DEFAULT.count(old) == 1, old
    return parse_taxonomy(DEFAULT.replace(old, new))


def test_the_same_rules_change_nothing() -> None:
    assert changed_dimensions(parse_taxonomy(DEFAULT), parse_taxonomy(DEFAULT)) == set()


def test_names_reasons_and_strategies_move_no_label() -> None:
    renamed = _edited("        zh: 沉睡客户\n", "        zh: 睡着的客户\n")
    assert changed_dimensions(parse_taxonomy(DEFAULT), renamed) == set()


def test_a_rewritten_rule_changes_its_dimension_and_those_reading_it() -> None:
    after = _edited(
        "when: days_since_last_order > 2 * purchase_cycle_days",
        "when: days_since_last_order > 3 * purchase_cycle_days",
    )
    changed = changed_dimensions(parse_taxonomy(DEFAULT), after)
    assert "lifecycle" in changed
    # value and geography read neither the rule nor lifecycle
    assert not {"value", "geography", "age_group"} & changed
    readers = {
        dim.id
        for dim in after.dimensions
        if any("lifecycle" in rule.names for key, rule in after.rules().items() if key[0] == dim.id)
    }
    assert readers <= changed


def test_a_threshold_changes_the_dimensions_whose_rules_read_it() -> None:
    before = parse_taxonomy(DEFAULT)
    after = _edited("high_value_spend: {derive: quantile, of: spend, top: 0.2,",
                    "high_value_spend: {derive: quantile, of: spend, top: 0.1,")  # fmt: skip
    changed = changed_dimensions(before, after)
    users = {
        key[0]
        for key, rule in before.rules().items()
        if key[0] != "threshold" and "high_value_spend" in rule.names
    }
    assert users
    assert users <= changed
    assert "geography" not in changed
    assert "lifecycle" not in changed


def test_labels_reordered_or_a_label_added_change_the_dimension() -> None:
    before = parse_taxonomy(DEFAULT)
    gender = before.dimension("gender_group")
    assert gender is not None
    assert len(gender.labels) >= 2
    first, second = gender.labels[0], gender.labels[1]
    swapped = before.model_copy(deep=True)
    dim = swapped.dimension("gender_group")
    assert dim is not None
    dim.labels[0], dim.labels[1] = second, first
    swapped.source_text = "edited"
    assert "gender_group" in changed_dimensions(before, swapped)
    assert "geography" not in changed_dimensions(before, swapped)


def test_a_changed_setting_changes_the_dimensions_reading_it() -> None:
    taxonomy = parse_taxonomy(DEFAULT)
    before = {"home_city": "上海", "home_country": "CN", "recent_days": 30}
    assert settings_changed(taxonomy, before, dict(before)) == set()
    # a derived threshold changes every run: not a setting
    assert settings_changed(taxonomy, before, {**before, "recent_days": 45}) == set()
    moved = settings_changed(taxonomy, before, {**before, "home_city": "杭州"})
    assert "geography" in moved
    assert not {"lifecycle", "value", "rfm"} & moved
    readers = {
        dim.id
        for dim in taxonomy.dimensions
        for label in dim.labels
        if "geography" in taxonomy.rules()[(dim.id, label.id)].names
    }
    assert readers <= moved  # and every dimension whose rules read the geography labels
    assert "geography" in settings_changed(taxonomy, before, {**before, "home_country": None})
    # a run that recorded no such value (older runs): not taken for a change
    assert settings_changed(taxonomy, {}, {"home_city": "杭州"}) == set()
