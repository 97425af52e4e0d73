"""Dashboard sessions: a random id in the cookie (not the token), kept hashed and 0600 in
the workspace, expiring, revoked on sign-out; ``kequn user list|remove|rotate``."""

from __future__ import annotations

import json
import stat
from typing import Any

import httpx
from typer.testing import CliRunner

from kequn.cli import app as cli
from kequn.store.access import add_user, create_session, list_users

runner = CliRunner()


def _sign_in(server: Any, token: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=60)
    r = client.post("/login", data={"token": token}, headers={"Origin": server.url})
    assert r.status_code == 303, r.text
    return client


def test_the_cookie_is_a_server_side_session_not_the_token(server: Any) -> None:
    token = server.tokens["analyst"]
    with httpx.Client(base_url=server.url, timeout=60) as client:
        r = client.post("/login", data={"token": token}, headers={"Origin": server.url})
    cookie = r.headers["set-cookie"]
    name, value = cookie.split(";", 1)[0].split("=", 1)
    assert token not in cookie
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    max_age = int(cookie.lower().split("max-age=", 1)[1].split(";", 1)[0])
    assert 0 < max_age <= 86400
    stored = (server.ws.root / "sessions.json").read_text(encoding="utf-8")
    assert value not in stored  # kept hashed
    for secret in ("sessions.json", "users.json"):
        mode = stat.S_IMODE((server.ws.root / secret).stat().st_mode)
        assert mode == 0o600, (secret, oct(mode))
    # the raw token as a cookie signs nobody in
    for cookie_name in (name, "kequn_token"):
        with httpx.Client(base_url=server.url, cookies={cookie_name: token}) as raw:
            assert raw.get("/api/me").status_code == 401


def test_the_cookie_is_secure_when_served_over_https(server: Any) -> None:
    """Over HTTPS the session cookie is marked Secure (never sent back over plain HTTP);
    over plain HTTP (loopback) it cannot be, or the browser would drop it."""
    from fastapi.testclient import TestClient

    from kequn.web.app import create_app
    from kequn.web.settings import ServerSettings

    token = server.tokens["analyst"]
    with httpx.Client(base_url=server.url, timeout=60) as plain:
        r = plain.post("/login", data={"token": token}, headers={"Origin": server.url})
    assert "secure" not in r.headers["set-cookie"].lower()
    app = create_app(ServerSettings(workspace=server.ws.root))
    with TestClient(app, base_url="https://kequn.example") as tls:
        origin = {"Origin": "https://kequn.example"}
        r = tls.post("/login", data={"token": token}, headers=origin, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "; secure" in r.headers["set-cookie"].lower()


def test_sign_out_revokes_the_session(server: Any) -> None:
    client = _sign_in(server, server.tokens["viewer"])
    assert client.get("/api/me").json()["role"] == "viewer"
    kept = dict(client.cookies)
    assert client.get("/logout").status_code == 303
    client.close()
    with httpx.Client(base_url=server.url, cookies=kept) as stolen:
        assert stolen.get("/api/me").status_code == 401
        assert stolen.get("/", follow_redirects=False).status_code == 303


def test_an_expired_session_signs_nobody_in(server: Any) -> None:
    user = next(u for u in list_users(server.ws) if u.name == "viewer-user")
    expired = create_session(server.ws, user, -1)
    with httpx.Client(base_url=server.url, cookies={"kequn_session": expired}) as client:
        assert client.get("/api/me").status_code == 401


def test_user_rotate_remove_and_list(server: Any) -> None:
    ws = server.ws
    old = add_user(ws, "temp-rotate", "analyst")
    gone = add_user(ws, "temp-remove", "viewer")
    rotated_session = _sign_in(server, old)
    removed_session = _sign_in(server, gone)

    listed = runner.invoke(cli, ["user", "list", "--workspace", str(ws.root), "--json"])
    assert listed.exit_code == 0, listed.output
    users = {u["name"]: u for u in json.loads(listed.output)}
    assert users["temp-rotate"]["sessions"] == 1
    assert old not in listed.output

    result = runner.invoke(cli, ["user", "rotate", "temp-rotate", "--workspace", str(ws.root)])
    assert result.exit_code == 0, result.output
    new = result.output.strip().splitlines()[-1].strip()
    assert new.startswith("kq_")
    assert new != old
    result = runner.invoke(cli, ["user", "remove", "temp-remove", "--workspace", str(ws.root)])
    assert result.exit_code == 0, result.output
    missing = runner.invoke(cli, ["user", "remove", "nobody", "--workspace", str(ws.root)])
    assert missing.exit_code == 1

    with httpx.Client(base_url=server.url) as client:
        assert client.get("/api/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401
        assert client.get("/api/me", headers={"Authorization": f"Bearer {gone}"}).status_code == 401
        me = client.get("/api/me", headers={"Authorization": f"Bearer {new}"})
        assert me.json()["name"] == "temp-rotate"
    assert rotated_session.get("/api/me").status_code == 401
    assert removed_session.get("/api/me").status_code == 401
    rotated_session.close()
    removed_session.close()
    assert "temp-remove" not in {u.name for u in list_users(ws)}
