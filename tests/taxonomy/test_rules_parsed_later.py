"""A run's own copy of its taxonomy is read without parsing its rules until one is
needed (load_taxonomy(parse_rules=False)); everything else is checked at once, a rule
that cannot be used is still refused naming the file, and a taxonomy loaded or parsed
in full (a user's edit) is never handed out with its rules unchecked."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from kequn.taxonomy.model import TaxonomyError, load_taxonomy, parse_taxonomy

DEFAULT = resources.files("kequn.taxonomy").joinpath("default.yaml").read_text(encoding="utf-8")


def _broken_rule(text: str) -> str:
    """The default taxonomy with one label's rule naming a feature that does not exist."""
    broken = text.replace("when: ", "when: no_such_feature > 1 and ", 1)
    assert broken != text
    return broken


def test_rules_are_parsed_when_first_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(DEFAULT + "\n# a run's copy\n", encoding="utf-8")
    later = load_taxonomy(path, parse_rules=False)
    assert later._rules is None
    assert later._reason_rules is None
    assert [d.id for d in later.dimensions] == [d.id for d in load_taxonomy(None).dimensions]
    whole = parse_taxonomy(DEFAULT)
    assert set(later.rules()) == set(whole.rules())
    for key, rule in whole.rules().items():
        assert later.rules()[key].text == rule.text
    assert set(later.reason_rules()) == set(whole.reason_rules())
    # a full load of the same file now finds it parsed and checked
    assert load_taxonomy(path) is later


def test_a_broken_rule_is_refused_when_asked_for_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "runs" / "taxonomy.yaml"
    path.parent.mkdir()
    text = _broken_rule(DEFAULT)
    path.write_text(text, encoding="utf-8")
    later = load_taxonomy(path, parse_rules=False)  # names and labels only: fine
    assert later.dimensions
    with pytest.raises(TaxonomyError, match="no_such_feature") as caught:
        later.rules()
    assert str(caught.value).startswith(str(path) + ": ")
    # loaded in full, the same (cached) file is refused, as it always was
    with pytest.raises(TaxonomyError, match="no_such_feature") as again:
        load_taxonomy(path)
    assert str(again.value).startswith(str(path) + ": ")
    # and the same text as a user's edit, under its own name
    with pytest.raises(TaxonomyError, match="no_such_feature") as edited:
        parse_taxonomy(text, "edited.yaml")
    assert str(edited.value).startswith("edited.yaml: ")


def test_everything_but_the_rules_is_checked_at_once(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    first = DEFAULT.index("  - id: ")
    second = DEFAULT.index("  - id: ", first + 1)
    dimension = DEFAULT[first:second]
    path.write_text(DEFAULT[:second] + dimension + DEFAULT[second:], encoding="utf-8")
    with pytest.raises(TaxonomyError, match=str(path)):
        load_taxonomy(path, parse_rules=False)  # a dimension twice
