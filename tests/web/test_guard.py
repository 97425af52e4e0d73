"""What outsiders and other sites get from a real server on loopback, before any route runs:
token checked before a body is read, body and upload limits, sign-in lock-out, no
caching of wrong tokens, the CSRF origin check and the browser-safety headers."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kequn.store.access import add_user, read_audit
from kequn.store.workspace import Workspace


def _raw(server: Any, head: str, body: bytes = b"", wait: float = 10.0) -> tuple[int, bytes]:
    """Send ``head`` (and ``body``) over a plain socket; the status and body answered.

    The server must answer within ``wait`` seconds of the headers: a server that reads the
    whole announced body first never answers a request whose body is not sent."""
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=wait) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data) < _expected(data):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError as exc:
            raise AssertionError(f"no answer within {wait}s: {data[:200]!r}") from exc
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def _expected(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0]
    found = re.search(rb"content-length: *(\d+)", head, re.I)
    return len(head) + 4 + (int(found.group(1)) if found else 0)


def _head(server: Any, method: str, path: str, headers: dict[str, str]) -> str:
    host = urlsplit(server.url).netloc
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return "\r\n".join(lines) + "\r\n"


def test_an_outsiders_huge_json_body_is_refused_before_it_is_read(server: Any) -> None:
    head = _head(
        server,
        "POST",
        "/api/taxonomy/preview",
        {"Content-Type": "application/json", "Content-Length": str(500_000_000)},
    )
    started = time.monotonic()
    status, body = _raw(server, head)  # headers only: the 500 MB never follow
    assert status == 401
    assert json.loads(body)["error"]["code"] == "unauthorized"
    assert time.monotonic() - started < 5


def test_an_upload_with_a_garbage_token_is_refused_before_it_is_read(server: Any) -> None:
    head = _head(
        server,
        "POST",
        "/api/imports/orders",
        {
            "Authorization": "Bearer kq_garbage",
            "Content-Type": "multipart/form-data; boundary=xyz",
            "Content-Length": str(200_000_000),
        },
    )
    status, body = _raw(server, head, b"--xyz\r\n")
    assert status == 401
    assert json.loads(body)["error"]["code"] == "unauthorized"


def test_a_signed_in_users_body_is_limited_by_its_length(server: Any) -> None:
    head = _head(
        server,
        "POST",
        "/api/taxonomy/preview",
        {
            "Authorization": f"Bearer {server.tokens['viewer']}",
            "Content-Type": "application/json",
            "Content-Length": str(5_000_000),  # default max_body_mb: 1
        },
    )
    status, body = _raw(server, head)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "too_large"


def test_a_streamed_body_is_counted_as_it_arrives(server: Any) -> None:
    rule = "orders > 1 or " * 150_000 + "orders > 1"  # ~2 MB, no Content-Length

    def chunks() -> Any:
        data = json.dumps({"rule": rule}).encode()
        for i in range(0, len(data), 64 * 1024):
            yield data[i : i + 64 * 1024]

    with server.client("viewer") as client:
        response = client.post(
            "/api/taxonomy/preview", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_limit_of_a_million_mb_is_said_whole(tmp_path: Path, serve: Any) -> None:
    ws = Workspace.init(tmp_path / "ws")
    ws.settings.max_body_mb = 2_000_000
    ws.save_settings()
    token = add_user(ws, "owner", "admin")
    with serve(ws, {"admin": token}) as srv:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Content-Length": str(3 * 10**12),  # announced only: never sent
        }
        status, body = _raw(srv, _head(srv, "POST", "/api/taxonomy/preview", headers))
    assert status == 413
    message = json.loads(body)["error"]["message"]
    assert "2,000,000 MB" in message, message


def test_the_upload_limit_comes_from_kequn_toml(tmp_path: Path, serve: Any) -> None:
    ws = Workspace.init(tmp_path / "ws")
    ws.settings.max_upload_mb = 0.05
    ws.save_settings()
    assert "max_upload_mb = 0.05" in (ws.root / "kequn.toml").read_text(encoding="utf-8")
    token = add_user(ws, "owner", "admin")
    rows = "".join(f"O{i},C{i},2026-01-01,10\n" for i in range(4000))  # ~100 KB
    with serve(ws, {"admin": token}) as srv, srv.client("admin") as client:
        big = client.post(
            "/api/imports/orders",
            files={"file": ("o.csv", "订单编号,客户编号,下单时间,实付金额\n" + rows)},
        )
        small = client.post(
            "/api/imports/orders?wait=true",
            files={"file": ("o.csv", "订单编号,客户编号,下单时间,实付金额\nO1,C1,2026-01-01,10\n")},
        )
    assert big.status_code == 413, big.text
    assert big.json()["error"]["code"] == "too_large"
    assert small.status_code == 200, small.text  # waited for, and done
    assert not list((ws.tmp_dir / "uploads").iterdir())


def test_wrong_tokens_are_not_remembered(server: Any, serve: Any) -> None:
    with serve(server.ws, server.tokens, max_failed_logins=10_000) as srv:
        with srv.client() as client:
            for i in range(300):
                wrong = f"kq_wrong_{i}_" + "x" * 200
                r = client.get("/api/me", headers={"Authorization": f"Bearer {wrong}"})
                assert r.status_code == 401
        users = srv.app.state.users
        assert len(users._cache) <= len(server.tokens) + 10  # what users.json holds


def test_failed_sign_ins_lock_the_client_out(server: Any, serve: Any) -> None:
    before = len(read_audit(server.ws, limit=100_000))
    settings = {"max_failed_logins": 5, "lockout_seconds": 60}
    with (
        serve(server.ws, server.tokens, **settings) as srv,
        httpx.Client(base_url=srv.url, timeout=30) as client,
    ):
        origin = {"Origin": srv.url}
        for _ in range(5):
            r = client.post("/login", data={"token": "kq_guess"}, headers=origin)
            assert r.status_code == 303
            assert "error=1" in r.headers["location"]
        locked = client.post("/login", data={"token": "kq_guess"}, headers=origin)
        api = client.get("/api/me", headers={"Authorization": "Bearer kq_guess"})
        health = client.get("/api/health")
        # a valid token still passes: one script's bad token must not lock out everyone
        # behind the same address (tokens are random: there is nothing to guess)
        admin = client.get("/api/me", headers={"Authorization": f"Bearer {server.tokens['admin']}"})
        signed = client.post("/login", data={"token": server.tokens["admin"]}, headers=origin)
    assert locked.status_code == 429
    assert "login-locked" in locked.text  # the form again, saying why, not a JSON page
    assert int(locked.headers["retry-after"]) > 0
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "too_many_attempts"
    assert health.status_code == 200
    assert admin.status_code == 200
    assert signed.status_code == 303
    new = read_audit(server.ws, limit=100_000)[: len(read_audit(server.ws, limit=100_000)) - before]
    failed = [e for e in new if e["action"] == "login.failed"]
    assert len(failed) == 7  # five, then the form's and the API's while locked out
    assert "kq_guess" not in json.dumps(new)  # no secrets in the audit
    with httpx.Client(base_url=server.url, timeout=60) as client:
        client.get("/api/customers/C-SECRET-ID", headers={"Authorization": "Bearer kq_x"})
    entry = read_audit(server.ws, limit=1)[0]
    assert (entry["action"], entry["details"]["path"]) == ("login.failed", "/api/customers")


@contextlib.contextmanager
def signed_in(server: Any, role: str) -> Iterator[httpx.Client]:
    """A client signed in through the login page (the session cookie, no bearer token)."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        r = client.post(
            "/login", data={"token": server.tokens[role]}, headers={"Origin": server.url}
        )
        assert r.status_code == 303
        assert client.cookies
        yield client


def test_state_changes_with_the_cookie_must_come_from_this_server(server: Any) -> None:
    body = {"text": "version: 1"}
    with signed_in(server, "admin") as client:
        evil = client.post(
            "/api/taxonomy/validate", json=body, headers={"Origin": "http://evil.example"}
        )
        other_port = client.post(
            "/api/runs", json={}, headers={"Origin": "http://127.0.0.1:1"}
        )  # same site, another origin
        referer = client.post(
            "/api/taxonomy/validate", json=body, headers={"Referer": "http://evil.example/x"}
        )
        neither = client.post("/api/taxonomy/validate", json=body)
        own = client.post("/api/taxonomy/validate", json=body, headers={"Origin": server.url})
        read = client.get("/api/me", headers={"Origin": "http://evil.example"})
    for refused in (evil, other_port, referer, neither):
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "cross_site"
    assert own.status_code == 200
    assert read.status_code == 200  # reads change nothing (and CORS keeps their answers)
    with server.client("viewer") as client:  # a bearer token is no browser's ambient credential
        bearer = client.post(
            "/api/taxonomy/validate", json=body, headers={"Origin": "http://evil.example"}
        )
    assert bearer.status_code == 200


def test_every_response_carries_the_browser_safety_headers(server: Any) -> None:
    with server.client("admin") as client:
        answers = [client.get(p) for p in ("/login", "/", "/api/health", "/api/me", "/nope")]
    for r in answers:
        csp = r.headers["content-security-policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert script.split()[1:] == ["'self'"], csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_templates_hold_no_inline_script() -> None:
    from importlib import resources

    folder = resources.files("kequn.web").joinpath("templates")
    for template in folder.iterdir():
        html = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), template.name  # no onclick= etc.
        assert "javascript:" not in html


def test_a_page_keeps_its_query_through_sign_in_and_the_language_switch(server: Any) -> None:
    """Opened without a session, a page's query (its page, its language) survives the
    sign-in; the language switch keeps the rest of the query."""
    page = "/runs?page=2&lang=zh"
    with httpx.Client(base_url=server.url, timeout=60) as client:
        r = client.get(page)
        assert r.status_code == 303
        target = r.headers["location"]
        assert target == "/login?next=/runs%3Fpage%3D2%26lang%3Dzh"
        nxt = httpx.URL(target).params["next"]
        assert nxt == page
        r = client.post(
            "/login",
            data={"token": server.tokens["viewer"], "next": nxt},
            headers={"Origin": server.url},
        )
        assert r.status_code == 303
        assert r.headers["location"] == page
        html = client.get("/runs?page=2&lang=zh").text
    assert 'href="?page=2&amp;lang=en"' in html
