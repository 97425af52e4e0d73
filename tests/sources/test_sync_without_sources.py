"""`kequn sync NAME` in a workspace with no sources says there are none and how to add
one, in the reader's language, instead of "no source NAME (there are: -)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.store.workspace import Workspace


def test_a_named_sync_with_no_sources_says_how_to_add_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace.init(tmp_path / "shop")
    code, said = kequn_words(capsys, "--lang", "en", "sync", "nope", "-w", ws.root)
    assert code != 0
    assert "has no sources yet" in said
    assert "[sources.NAME]" in said
    assert "there are: -" not in said
    code, said = kequn_words(capsys, "--lang", "zh", "sync", "nope", "-w", ws.root)
    assert code != 0
    assert "还没有数据源" in said
