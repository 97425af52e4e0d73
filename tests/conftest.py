from __future__ import annotations

from pathlib import Path

import pytest

from kequn.core import i18n
from kequn.store.workspace import Workspace


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEQUN_LANG", "en")
    i18n.set_lang(None)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")
