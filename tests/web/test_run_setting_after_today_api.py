"""``POST /api/runs`` without a date takes kequn.toml's ``[run] as_of``: a date after
today made a run classifying customers as if nobody bought until then. It is refused
before a job starts, 422 in JSON naming kequn.toml and the key, in the request's
language, whatever ``allow_before_data`` says; a date given in the request is not."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import tomli_w

from kequn.engines.as_of import local_today
from kequn.store.access import add_user
from kequn.store.workspace import Workspace


def test_kequn_toml_as_of_after_today_is_a_422(dated_shop: Workspace, serve: Any) -> None:
    today = local_today(dated_shop.settings.timezone)
    later = (today + dt.timedelta(days=40)).isoformat()
    path = dated_shop.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["run"]["as_of"] = later
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    ws = Workspace.open(dated_shop.root)
    tokens = {"admin": add_user(ws, "boss", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang, words in (("en", f"kequn.toml's [run] as_of = {later} is after today"),
                            ("zh", f"kequn.toml 中 [run] 的 as_of = {later} 晚于今天")):  # fmt: skip
            for body in (None, {"models": False}, {"allow_before_data": True}):
                r = client.post("/api/runs", json=body, params={"lang": lang, "wait": "true"})
                assert r.status_code == 422, r.text
                error = r.json()["error"]
                assert error["code"] == "as_of_after_today"
                assert words in error["message"], error
                assert today.isoformat() in error["message"], error
        assert client.get("/api/runs").json() == []  # no run was made
        dated = client.post(
            "/api/runs", json={"models": False, "as_of": "2025-12-01"}, params={"wait": "true"}
        )
        assert dated.status_code in (200, 202), dated.text
        assert [run["as_of"] for run in client.get("/api/runs").json()] == ["2025-12-01"]
