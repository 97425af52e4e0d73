"""Realistic demo data, seeded, at any size, and the demo workspace built from it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kequn.demo.exports import PlatformExport
from kequn.demo.generator import DemoFiles, generate_demo
from kequn.demo.journeys import simulate_journeys

if TYPE_CHECKING:
    from kequn.ingest.importer import ImportReport
    from kequn.snapshots.runs import RunInfo
    from kequn.store.workspace import Workspace

__all__ = [
    "DemoFiles",
    "PlatformExport",
    "demo_workspace",
    "generate_demo",
    "import_demo",
    "import_exports",
    "is_demo_workspace",
    "mark_demo_workspace",
    "run_quarter_apart",
    "simulate_journeys",
]

#: the file ``kequn demo`` leaves in the workspaces it makes: only such a workspace is
#: replaced by the next ``kequn demo`` into the same folder (any other, a shop's own,
#: was deleted with all its data, users and runs, when named with -w)
DEMO_MARK = ".kequn-demo"


def mark_demo_workspace(ws: Workspace) -> None:
    """Record that ``ws`` was made by ``kequn demo`` (so a later demo may replace it)."""
    (ws.root / DEMO_MARK).write_text(
        "made by `kequn demo`: the next `kequn demo` into this folder replaces it\n",
        encoding="utf-8",
    )


def is_demo_workspace(root: Path) -> bool:
    return (Path(root) / DEMO_MARK).is_file()


#: orders per platform the demo writes as 淘宝/天猫, 京东, 拼多多 and Shopify exports
PLATFORM_ORDERS = 1000


def import_demo(
    ws: Workspace,
    customers: int,
    *,
    seed: int = 7,
    data_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    before_import: Callable[[str, Path], None] | None = None,
    platform_orders: int = PLATFORM_ORDERS,
) -> list[tuple[str, ImportReport]]:
    """Generate demo data and import it into ``ws`` through the same validating import as
    a user's files: customers, the orders some buyers placed on 淘宝/天猫, 京东, 拼多多 and
    Shopify as those platforms export them (``platform_orders`` per platform), the other
    orders, then the interactions; each order is in one file only. The generated files are
    removed afterwards unless ``data_dir`` is given."""
    from kequn.ingest.importer import import_file

    folder = data_dir or ws.tmp_dir / "demo-data"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        files = generate_demo(
            folder,
            customers,
            seed=seed,
            progress=progress,
            platform_orders=platform_orders,
            currency=ws.settings.currency,
            id_key=ws.secret_key(),  # buyers known by phone or e-mail get keyed ids
        )
        # the exports right after the customers, while each import's copy of the data is small
        steps = [("customers", files.customers)]
        steps += [("orders", export.path) for export in files.exports]
        steps += [("orders", files.orders), ("events", files.events)]
        reports = []
        for table, path in steps:
            if before_import:
                before_import(table, path)
            reports.append((table, import_file(ws, table, path, create_customers=False)))
        return reports
    finally:
        if data_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def import_exports(
    ws: Workspace,
    paths: list[Path],
    *,
    before_import: Callable[[str, Path], None] | None = None,
) -> list[tuple[str, ImportReport]]:
    """Import a shop's own order exports into ``ws``, each read with its platform's
    profile (detected from the headers) and its buyers made customers."""
    from kequn.ingest.importer import import_file

    reports = []
    for path in paths:
        if before_import:
            before_import("orders", Path(path))
        reports.append(("orders", import_file(ws, "orders", Path(path), create_customers=True)))
    return reports


def run_quarter_apart(
    ws: Workspace, progress: Callable[[dt.date, str], None] | None = None
) -> RunInfo:
    """Classify at the latest date in the data and a quarter (91 days) before it, so the
    demo has movement between runs to show; returns the later run."""
    from kequn import pipeline

    with pipeline.make_engine(ws) as engine:
        latest = pipeline.latest_date(engine) or dt.date.today()
    info = None
    for as_of in (latest - dt.timedelta(days=91), latest):

        def step(name: str, as_of: dt.date = as_of) -> None:
            if progress:
                progress(as_of, name)

        info = pipeline.run(ws, as_of=as_of, progress=step)
    assert info is not None
    return info


def demo_workspace(
    root: Path, customers: int, *, seed: int = 7, platform_orders: int = 0
) -> Workspace:
    """A new workspace at ``root / "ws"`` holding freshly generated demo data (by default
    without platform exports, so every customer keeps its generated id ``C…``)."""
    from kequn.store.workspace import Workspace

    ws = Workspace.init(Path(root) / "ws")
    import_demo(
        ws, customers, seed=seed, data_dir=Path(root) / "data", platform_orders=platform_orders
    )
    return ws
