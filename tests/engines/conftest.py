from __future__ import annotations

import pytest

from kequn.demo import generate_demo
from kequn.store.importer import import_file
from kequn.store.workspace import Workspace


@pytest.fixture(scope="session")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A small demo workspace shared by the engine tests (read-only for them)."""
    root = tmp_path_factory.mktemp("demo")
    ws = Workspace.init(root / "ws")
    files = generate_demo(root / "data", 1500, seed=11)
    for table, path in (
        ("customers", files.customers),
        ("orders", files.orders),
        ("events", files.events),
    ):
        import_file(ws, table, path, create_customers=False)
    return ws
