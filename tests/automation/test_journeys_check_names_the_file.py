"""``kequn journeys check FILE`` with a FILE that is not there, or a folder, said "The
workspace has no journeys.yaml", of a file it never read. It now names the path and why,
as ``kequn taxonomy check`` does, in the chosen language; without FILE, a workspace with
no journeys.yaml is still told so."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words


@pytest.fixture
def shop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "shop"
    assert kequn_words(capsys, "init", root)[0] == 0
    return root


@pytest.mark.parametrize(
    ("lang", "name", "words"),
    [
        ("en", "nowhere.yaml", "nowhere.yaml: no such file or folder"),
        ("zh", "nowhere.yaml", "nowhere.yaml：文件或文件夹不存在"),
        ("en", "folder", "folder: it is a folder where a file is needed"),
    ],
)
def test_a_file_named_is_told_by_its_path(
    shop: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    name: str,
    words: str,
) -> None:
    (tmp_path / "folder").mkdir()
    code, said = kequn_words(
        capsys, "--lang", lang, "journeys", "check", tmp_path / name, "-w", shop
    )
    assert code == 1, said
    assert words in said
    assert "journeys.yaml" not in said.replace(str(tmp_path), "")
    assert "Traceback" not in said


def test_no_file_named_says_the_workspace_has_none(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "journeys", "check", "-w", shop)
    assert code == 1, said
    assert "The workspace has no journeys.yaml" in said
