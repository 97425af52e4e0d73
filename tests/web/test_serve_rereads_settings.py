"""``kequn serve`` read kequn.toml once, as it started: a ``[run] as_of``, home city or
currency edited while it served was ignored by every run started from the dashboard or
the API until the server was restarted, where the next ``kequn`` command took it. Now
each request reads the file again when it changed; a file spoiled meanwhile leaves
the pages reading on, and a run or an import is refused in JSON naming it, as a
command refuses it, until it is mended."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from kequn.engines.as_of import local_today
from kequn.store.access import add_user
from kequn.store.workspace import Workspace, WorkspaceError


def _edit(path: Path, section: str, key: str, value: Any) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.setdefault(section, {})[key] = value
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def test_an_edit_while_serving_applies_to_the_next_run(dated_shop: Workspace, serve: Any) -> None:
    config = dated_shop.root / "kequn.toml"
    tokens = {"admin": add_user(dated_shop, "boss", "admin")}
    later = (local_today(dated_shop.settings.timezone) + dt.timedelta(days=40)).isoformat()
    with serve(dated_shop, tokens) as srv, srv.client("admin") as client:
        assert client.get("/api/runs").status_code == 200
        _edit(config, "run", "as_of", later)  # the server started without it
        r = client.post("/api/runs", json={"models": False}, params={"wait": "true"})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "as_of_after_today"
        assert later in r.json()["error"]["message"]

        config.write_text("[run\nas_of = ", encoding="utf-8")  # spoiled mid-edit
        assert client.get("/api/runs").status_code == 200  # reading goes on
        for lang in ("en", "zh"):  # acting on it does not: refused as a command would
            r = client.post("/api/runs", json={"models": False}, params={"lang": lang})
            assert r.status_code == 409, r.text
            message = r.json()["error"]["message"]
            assert "kequn.toml" in message, message
            assert ("不是有效的 TOML" in message) == (lang == "zh"), message
            assert "Traceback" not in r.text
        assert client.get("/api/runs").json() == []

        _edit_fresh(config, dated_shop)
        r = client.post("/api/runs", json={"models": False}, params={"wait": "true"})
        assert r.status_code in (200, 202), r.text
        assert [run["as_of"] for run in client.get("/api/runs").json()] == ["2025-12-01"]


def _edit_fresh(config: Path, ws: Workspace) -> None:
    """kequn.toml mended: the settings the workspace was made with, as_of a fixed date."""
    data = ws.settings.to_toml()
    data.setdefault("run", {})["as_of"] = "2025-12-01"
    config.write_text(tomli_w.dumps(data), encoding="utf-8")


def test_reread_settings_only_when_the_file_changed(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert ws.reread_settings() is False
    ws.settings.home_city = "杭州"  # in memory only: not undone by an unchanged file
    assert ws.reread_settings() is False
    assert ws.settings.home_city == "杭州"
    ws.save_settings()  # its own write is not news
    assert ws.reread_settings() is False
    _edit(ws.root / "kequn.toml", "business", "timezone", "Europe/Berlin")
    assert ws.reread_settings() is True
    assert ws.settings.timezone == "Europe/Berlin"
    assert ws.settings.home_city == "杭州"
    _edit(ws.root / "kequn.toml", "business", "timezone", "Mars/Olympus")
    with pytest.raises(WorkspaceError, match=r"kequn\.toml"):
        ws.reread_settings()
    assert ws.settings.timezone == "Europe/Berlin"  # kept until the file is mended
    with pytest.raises(WorkspaceError):
        ws.reread_settings()  # and said again when asked again
    assert ws.reread_settings(strict=False) is False  # a reader goes on with what it had
    assert ws.settings.timezone == "Europe/Berlin"
