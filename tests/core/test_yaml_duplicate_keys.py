"""A key given twice in one mapping of a file people edit is refused, naming the line
and the key, in the chosen language: PyYAML kept the last without a word, so a label's
second ``when:`` silently replaced the first. Keys a merge (``<<: *base``) brings in may
still be overridden."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cli_helpers import kequn_output
from kequn.automation.journeys import JourneysError, parse_journeys
from kequn.core import yamlfile
from kequn.taxonomy.model import load_taxonomy


def test_a_key_given_twice_is_refused_where_it_is_given_again() -> None:
    text = "a: 1\nb:\n  c: 2\n  c: 3\n"
    with pytest.raises(yaml.YAMLError) as caught:
        yamlfile.safe_load(text)
    said = yamlfile.yaml_error(caught.value, "x.yaml", text, "zh")
    assert "第 4 行第 3 列" in said
    assert "'c'" in said
    assert "写了两次" in said
    said = yamlfile.yaml_error(caught.value, "x.yaml", text, "en")
    assert "line 4, column 3" in said
    assert "given twice" in said


def test_merged_keys_may_be_overridden_and_other_keys_load() -> None:
    assert yamlfile.safe_load("b: &b {x: 1, y: 2}\nd:\n  <<: *b\n  x: 5\n")["d"] == {
        "x": 5,
        "y": 2,
    }
    assert yamlfile.safe_load("- {1: a, '1': b}\n") == [{1: "a", "1": "b"}]


def test_every_shipped_yaml_file_has_no_key_twice() -> None:
    root = Path(yamlfile.__file__).parents[1]
    files = sorted(root.rglob("*.yaml"))
    assert len(files) > 10
    for path in files:
        yamlfile.safe_load(path.read_text(encoding="utf-8"))


def test_a_journeys_file_with_a_key_twice_is_refused() -> None:
    text = (
        "channels:\n  hook:\n    type: webhook\n    url: https://a.example/x\n"
        "    url: https://b.example/y\njourneys: []\n"
    )
    with pytest.raises(JourneysError, match="given twice"):
        parse_journeys(text, load_taxonomy(), where="journeys.yaml")


def test_a_taxonomy_with_a_when_twice_stops_the_run_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = kequn_output(capsys, "init", "-w", tmp_path / "shop")
    assert code == 0, err
    path = tmp_path / "shop" / "taxonomy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("when:"))
    lines.insert(at + 1, lines[at])  # the same key again, right below
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = kequn_output(capsys, "--lang", "zh", "run", "-w", tmp_path / "shop")
    assert code == 1
    assert "Traceback" not in out + err
    assert f"第 {at + 2} 行" in err
    assert "when" in err
