"""A file name the file system takes (at most 255 bytes on ext4, XFS, btrfs, APFS: NAME_MAX,
https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/limits.h.html) was refused as
"too long" by ``kequn export -o`` and ``kequn privacy export -o`` when it was over 240
bytes: the temporary file written beside it (``.NAME.XXXXXXXX.part``) was 15 bytes longer
than the name, so a name of 80 Chinese characters (240 bytes and ``.csv``) could not be
written though ``touch`` makes it. The temporary file's name now keeps only the start of
the name asked for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 30, seed=3)
    run_taxonomy(ws)
    return ws


def _longest_name(folder: Path, suffix: str) -> str:
    """A name of the most bytes ``folder``'s file system takes, in Chinese, ending ``suffix``."""
    most = os.pathconf(folder, "PC_NAME_MAX")
    return "客" * ((most - len(suffix)) // 3) + suffix


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("force", [False, True])
def test_an_export_named_near_the_limit_is_written(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, force: bool
) -> None:
    out = tmp_path / _longest_name(tmp_path, suffix)
    out.touch()  # the file system takes the name
    out.unlink()
    extra = ["--force"] if force else []
    code, said = kequn_words(
        capsys, "--lang", "en", "export", "lifecycle=churned", "-o", out, "-w", shop.root, *extra
    )
    assert code == 0, said
    assert "too long" not in said
    assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no .part left beside it


def test_a_privacy_export_named_near_the_limit_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, folder = tmp_path / "shop", tmp_path / "out"
    folder.mkdir()
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC001,Ana\n", encoding="utf-8")
    assert kequn_words(capsys, "init", root)[0] == 0
    assert kequn_words(capsys, "import", "customers", customers, "-w", root)[0] == 0
    out = folder / _longest_name(folder, ".json")
    code, said = kequn_words(capsys, "privacy", "export", "C001", "-o", out, "-w", root)
    assert code == 0, said
    assert "Ana" in out.read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == [out.name]
