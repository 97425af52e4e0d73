"""Debian's Chromium driven by Playwright against the real server (see ../conftest.py).

Every page is watched: console errors and uncaught exceptions fail the test, and any
request to a host other than 127.0.0.1 is blocked and fails the test too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("KEQUN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Watch:
    console_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; scripts/test.sh installs it")
    with playwright_api.sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Any, server: Any, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(60_000)

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1",) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    yield pg
    context.close()
    assert watch.console_errors == []
    assert watch.outside == []


@pytest.fixture
def login(page: Any, server: Any) -> Any:
    """Sign in through the login page as a user of the given role."""

    def sign_in(role: str = "admin") -> None:
        page.goto(server.url + "/login")
        page.fill("#token", server.tokens[role])
        page.click("#login-submit")
        page.wait_for_url(server.url + "/")

    return sign_in


@dataclass
class SignedIn:
    """A page of its own browser context, signed in, and what its console reported."""

    context: Any
    page: Any
    errors: list[str]


@pytest.fixture
def signed_in(browser: Any) -> Iterator[Any]:
    """``signed_in(server, width=, height=, locale=, role=)``: a new context's page signed
    in to ``server`` (any of the servers here) as ``role``, its console errors and uncaught
    exceptions collected in ``errors``; the contexts are closed after the test."""
    opened: list[Any] = []

    def open_signed_in(
        srv: Any,
        *,
        width: int = 1440,
        height: int = 900,
        locale: str = "en-US",
        role: str = "admin",
    ) -> SignedIn:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        opened.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(srv.url + "/login")
        page.fill("#token", srv.tokens[role])
        page.click("#login-submit")
        page.wait_for_url(srv.url + "/")
        return SignedIn(context, page, errors)

    yield open_signed_in
    for context in opened:
        context.close()


@pytest.fixture(scope="module")
def rules_server(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    """A server of the module's own over a demo workspace with one run, and an analyst
    ("editor") who may save rules: the taxonomy page's tests change its file."""
    ws = demo_workspace(tmp_path_factory.mktemp("rules"), 200, seed=7)
    run_taxonomy(ws, with_models=False)
    with serve(ws, {"analyst": add_user(ws, "editor", "analyst")}) as srv:
        yield srv


def _labels(text: str) -> dict[tuple[str, str], dict[str, Any]]:
    data = yaml.safe_load(text)
    return {(d["id"], lab["id"]): lab for d in data["dimensions"] for lab in d.get("labels", [])}


@pytest.fixture
def taxonomy_labels() -> Any:
    """``taxonomy_labels(text)``: a taxonomy file's labels by (dimension, label)."""
    return _labels
