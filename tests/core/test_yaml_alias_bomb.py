"""A file people edit whose aliases stand for a huge document ("billion laughs": nine
lines of ``&b [*a, *a, …]``, each nine times the one before) is refused as it is read,
naming the file, in the chosen language: a mapping file of seven such lines held
``kequn import`` for 20 s and printed 39 MB of its values, one of nine held it for good.
A file with aliases of ordinary size, a merge among them, still loads."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from cli_helpers import kequn_output
from kequn.core import yamlfile


def laughs(levels: int, under: str = "statuses") -> str:
    lines = [f"{under}:", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in itertools.pairwise("abcdefghijk"[:levels]):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_document_of_laughs_is_refused_as_it_is_read() -> None:
    text = laughs(9) + "columns: {customer_id: *i}\n"
    with pytest.raises(yaml.YAMLError) as caught:
        yamlfile.safe_load(text)
    assert "aliases" in yamlfile.yaml_error(caught.value, "map.yaml", text, "en")
    assert "别名" in yamlfile.yaml_error(caught.value, "map.yaml", text, "zh")


def test_an_alias_of_itself_is_refused() -> None:
    with pytest.raises(yaml.YAMLError, match="aliases"):
        yamlfile.safe_load("a: &a [1, *a]\n")


def test_ordinary_aliases_and_deep_nesting_still_load() -> None:
    assert yamlfile.safe_load(laughs(3) + "d: *c\n")["d"][0][0] == ["lol"] * 9
    merged = yamlfile.safe_load("b: &b {x: 1, y: 2}\nd:\n  <<: *b\n  x: 5\n")
    assert merged["d"] == {"x": 5, "y": 2}
    deep = yamlfile.safe_load("a: " + "[" * 500 + "]" * 500 + "\n")
    assert isinstance(deep["a"], list)


def test_an_import_with_a_mapping_of_laughs_stops_at_once_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", "-w", shop)[0] == 0
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,customer_id,order_date,amount\nO1,C1,2024-03-01,10\n")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(laughs(7) + "columns: {customer_id: *g}\n", encoding="utf-8")
    for lang, words in (("en", "aliases"), ("zh", "别名")):
        code, out, err = kequn_output(
            capsys, "--lang", lang, "import", "orders", orders, "--mapping", mapping, "-w", shop
        )
        assert code != 0
        assert "map.yaml" in out + err
        assert words in out + err
        assert len(out + err) < 2_000  # the message, not the values the aliases stand for
