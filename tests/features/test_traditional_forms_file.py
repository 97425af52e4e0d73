"""The packaged reference tables' traditional forms come from a file made ahead
(refdata/traditional.yaml), so a run does not load OpenCC's dictionaries (50-70 ms) for
words that never change; the file must be what the converter makes today."""

from __future__ import annotations

import subprocess
import sys

import yaml

from kequn.core.traditional import traditional_forms
from kequn.features import reftables


def test_the_forms_file_is_current() -> None:
    expected = {w: list(traditional_forms(w)) for w in reftables.packaged_words()}
    kept = yaml.safe_load(reftables._refdata(reftables.FORMS_FILE))
    assert kept == expected, "make it again: python -m kequn.features.reftables"
    assert kept["线上"] == ["線上"]
    assert "簡訊" in kept["短信"]
    assert kept["公司"] == []


def test_the_packaged_tables_load_without_opencc() -> None:
    code = (
        "import sys\n"
        "from kequn.features.reftables import NAMES, load_reference\n"
        "tables = [load_reference(n) for n in NAMES]\n"
        "assert '門店' in tables[0]['groups']['offline']['exact']\n"
        "print('opencc' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_an_edited_table_gets_forms_for_its_own_words_too() -> None:
    table = reftables.with_traditional({"groups": {"offline": {"exact": ["旗舰门市部"]}}})
    assert table["groups"]["offline"]["exact"] == ["旗舰门市部", "旗艦門市部"]
