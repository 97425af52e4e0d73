from __future__ import annotations

import pytest

from kequn.demo import demo_workspace
from kequn.store.workspace import Workspace


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A small demo workspace shared by the engine tests (read-only for them)."""
    return demo_workspace(tmp_path_factory.mktemp("demo"), 1500, seed=11)
