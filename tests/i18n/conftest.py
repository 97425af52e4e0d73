from __future__ import annotations

from datetime import date

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="session")
def two_run_shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A demo shop of 800 customers run twice (2026-06-30, then 2026-09-30), read by the
    tests of what a person sees in 中文 and English (pages, commands, exports)."""
    ws = demo_workspace(tmp_path_factory.mktemp("i18n"), 800, seed=5)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"))
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"))
    return ws
