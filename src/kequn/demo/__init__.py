"""Realistic demo data, seeded, at any size."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kequn.demo.generator import DemoFiles, generate_demo

if TYPE_CHECKING:
    from kequn.store.workspace import Workspace

__all__ = ["DemoFiles", "demo_workspace", "generate_demo"]


def demo_workspace(root: Path, customers: int, *, seed: int = 7) -> Workspace:
    """A new workspace at ``root / "ws"`` holding freshly generated demo data.

    The data goes through the same validating import as a user's files.
    """
    from kequn.store.importer import import_file
    from kequn.store.workspace import Workspace

    ws = Workspace.init(Path(root) / "ws")
    files = generate_demo(Path(root) / "data", customers, seed=seed)
    for table, path in (
        ("customers", files.customers),
        ("orders", files.orders),
        ("events", files.events),
    ):
        import_file(ws, table, path, create_customers=False)
    return ws
