"""Fixtures for the automation tests: a demo workspace with two runs made by the pipeline
(the automation hook installed), a webhook receiver and an SMTP server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from automation_helpers import EARLY, LATE, SECRET, SECRET_ENV, Mailbox, Receiver, free_port

from kequn import pipeline
from kequn.automation import install
from kequn.demo import demo_workspace
from kequn.store.workspace import Workspace


@pytest.fixture(scope="session")
def base_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 demo customers classified a quarter apart by pipeline.run, with the hook."""
    install()
    root = tmp_path_factory.mktemp("automation")
    ws = demo_workspace(root, 200)
    pipeline.run(ws, as_of=EARLY, with_models=False)
    pipeline.run(ws, as_of=LATE, with_models=False)
    return root / "ws"


@pytest.fixture
def aws(base_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A private copy of the base workspace."""
    monkeypatch.setenv(SECRET_ENV, SECRET)
    shutil.copytree(base_root, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    if found.hold:
        found.hold.set()
    found.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()
