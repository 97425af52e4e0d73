"""The cyclic collector is held while an import or a run works, and on again after
(kequn.core.gcpause): nested, across threads, and left off when the process had it off."""

from __future__ import annotations

import csv
import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kequn import pipeline
from kequn.core.gcpause import paused
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    # as it was, whatever a test left: a collector left off for the rest of a session
    # kept every Py4J proxy in a cycle, and the Spark driver's heap filled until it hung
    if was:
        gc.enable()
    else:
        gc.disable()


def test_nested_pauses_enable_after_the_outer_one() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_the_process_disabled_stays_disabled() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_two_threads_enable_only_when_both_end() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused():
            first_in.set()
            assert second_done.wait(30)
            seen.append(gc.isenabled())  # the second ended: still held by this one

    worker = threading.Thread(target=first)
    worker.start()
    assert first_in.wait(30)
    with paused():
        pass
    second_done.set()
    worker.join(30)
    assert seen == [False]
    assert gc.isenabled()


def test_import_and_run_hold_the_collector(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["order_id", "customer_id", "ordered_at", "amount"])
        writer.writerows([["O1", "C1", "2026-11-01", "10"], ["O2", "C2", "2026-11-02", "20"]])
    during: list[tuple[str, bool]] = []
    import_file(
        ws,
        "orders",
        path,
        create_customers=True,
        progress=lambda stage, _n: during.append((stage, gc.isenabled())),
    )
    assert during
    assert not any(enabled for _, enabled in during)
    assert gc.isenabled()

    def hook(_run: object, _who: str) -> None:
        during.append(("hook", gc.isenabled()))

    pipeline.after_publish(hook)
    try:
        pipeline.run(ws, with_models=False)
    finally:
        pipeline._HOOKS.remove(hook)
    assert during[-1] == ("hook", False)
    assert gc.isenabled()
