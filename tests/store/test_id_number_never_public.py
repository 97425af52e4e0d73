"""A resident ID number column (身份证号, 证件号码 …) cannot be declared public under
``[privacy]``: ``public_attributes`` would show every customer's ID number to every
viewer of the dashboard, and it is sensitive personal data (PIPL art. 28) whatever the
workspace's owner meant. The setting is refused in words naming the column, as any
unusable setting is; other attributes stay declarable."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.snapshots.read import privacy_settings
from kequn.store.workspace import Workspace


@pytest.mark.parametrize("key", ["身份证号", "证件号码", "ID Card No", "身份证号码"])
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "may not name an ID number column"),
        ("zh", "不能包含身份证号等证件号码列"),
    ],
)
def test_an_id_number_column_is_never_public(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, lang: str, said: str
) -> None:
    root = tmp_path / "ws"
    Workspace.init(root)
    toml = root / "kequn.toml"
    line = f'\n[privacy]\npublic_attributes = ["会员等级", "{key}"]\n'
    toml.write_text(toml.read_text(encoding="utf-8") + line, encoding="utf-8")
    code, out = kequn_words(capsys, "--lang", lang, "segments", "-w", root)
    assert code == 1
    assert said in out
    assert key in out
    assert "Traceback" not in out


def test_other_attributes_stay_declarable(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.init(root)
    toml = root / "kequn.toml"
    line = '\n[privacy]\npublic_attributes = ["会员等级", "身份证类型"]\n'
    toml.write_text(toml.read_text(encoding="utf-8") + line, encoding="utf-8")
    assert privacy_settings(Workspace.open(root)).public_attributes == {"会员等级", "身份证类型"}
