"""``kequn privacy export ID -o FILE`` wrote over an existing FILE without a word, in
place, as ``kequn export`` did: it refuses it now (exit 2, naming it and ``--force``, in
the chosen language), and with ``--force`` replaces it whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import kequn_output, kequn_words

OLD = "someone's own file\n"


@pytest.fixture
def shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "shop"
    assert kequn_output(capsys, "init", root)[0] == 0
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC001,Ana\n", encoding="utf-8")
    assert kequn_output(capsys, "import", "customers", customers, "-w", root)[0] == 0
    return root


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "already exists: add --force to replace it"),
        ("zh", "已存在：加 --force 覆盖它"),
    ],
)
def test_an_existing_file_is_kept(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    out_file = tmp_path / "c001.json"
    out_file.write_text(OLD, encoding="utf-8")
    code, said = kequn_words(
        capsys, "--lang", lang, "privacy", "export", "C001", "-o", out_file, "-w", shop
    )
    assert code == 2, said
    assert words.replace(" ", "") in said.replace(" ", "")
    assert out_file.read_text(encoding="utf-8") == OLD


def test_force_replaces_it(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "c001.json"
    out_file.write_text(OLD, encoding="utf-8")
    code, out, err = kequn_output(
        capsys, "privacy", "export", "C001", "-o", out_file, "--force", "-w", shop
    )
    assert code == 0, out + err
    assert json.loads(out_file.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["c001.json", "customers.csv", "shop"]
    )
