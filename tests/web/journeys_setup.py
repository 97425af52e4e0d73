"""A workspace of its own for the journeys pages' tests: a copy of the web tests' demo
workspace (two runs), a journeys.yaml with a marketing e-mail journey and a service
webhook journey, and the first run's journeys planned and delivered, so there are
assignments (for the uplift), sent e-mails (with unsubscribe links) and dead letters."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Any

import yaml

from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace

#: the comment must survive switching a journey on and off from the dashboard
COMMENT = "# journeys of the web tests: keep this comment\n"
AUDIENCE = "spend >= 300"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def runs(ws: Workspace) -> tuple[RunInfo, RunInfo]:
    """(earlier, later) by as-of date."""
    found = sorted(list_runs(ws), key=lambda r: r.as_of)
    return found[0], found[-1]


def copy_workspace(source: Workspace, into: Path) -> Workspace:
    """A copy of ``source`` without its automation folder and with only its first two runs
    (the demo's): other tests of the session add runs to the shared workspace (a backfill
    at 2026-08-31), which would change the latest run and the run each is compared with."""
    shutil.copytree(source.root, into / "ws", ignore=shutil.ignore_patterns("automation"))
    ws = Workspace.open(into / "ws")
    for extra in sorted(list_runs(ws), key=lambda r: r.created_at)[2:]:
        shutil.rmtree(Path(extra.path))
    os.utime(ws.runs_dir)  # the listing is cached by the folder's modification time
    return Workspace.open(into / "ws")


def journeys(smtp_port: int, server_url: str) -> dict[str, Any]:
    templates = {
        "zh": {"subject": "{{ customer.name }}，好久不见", "body": "您好 {{ customer.name }}"},
        "en": {"subject": "We miss you, {{ customer.name }}", "body": "Hello {{ customer.name }}"},
    }
    return {
        "delivery": {"max_attempts": 1, "backoff_seconds": 0.01, "backoff_max_seconds": 0.05},
        "channels": {
            "mail": {
                "type": "email",
                "host": "127.0.0.1",
                "port": smtp_port,
                "security": "none",
                "sender": "Shop <crm@example.com>",
                "unsubscribe_url": server_url + "/unsubscribe/{token}",
            },
            # nothing listens there: every message to it is dead-lettered
            "crm": {"type": "webhook", "url": f"http://127.0.0.1:{free_port()}/hook"},
        },
        "journeys": [
            {
                "id": "winback",
                "zh": "老客召回",
                "en": "Win back",
                "trigger": {"rule": "orders >= 1"},
                "audience": AUDIENCE,
                "channel": "mail",
                "templates": templates,
                "holdout": 0.2,
                "conversion_days": 30,
            },
            {
                "id": "care",
                "zh": "服务回访",
                "en": "Service call",
                "trigger": {"rule": "orders >= 3"},
                "channel": "crm",
                "purpose": "service",
                "templates": templates,
            },
        ],
    }


def journeys_text(smtp_port: int, server_url: str) -> str:
    return COMMENT + yaml.safe_dump(
        journeys(smtp_port, server_url), allow_unicode=True, sort_keys=False
    )


def prepare(ws: Workspace, smtp_port: int, server_url: str) -> None:
    """Write journeys.yaml, plan the first run's journeys and deliver their messages."""
    (ws.root / "journeys.yaml").write_text(journeys_text(smtp_port, server_url), encoding="utf-8")
    early, _ = runs(ws)
    process_run(early)
    deliver(ws)
