"""``POST /api/runs`` with an as-of date before any of the workspace's data started a
run that classified nobody and became the dashboard's newest. It is refused before a job
starts, 422 in JSON naming the earliest date, as ``kequn run`` refuses it, unless the
request says ``allow_before_data``."""

from __future__ import annotations

from typing import Any


def test_a_run_before_the_data_is_a_422(server: Any) -> None:
    with server.client("admin") as client:
        before = client.get("/api/runs").json()
        with server.ws.read() as con:
            found = con.execute(
                "SELECT least((SELECT min(created_at) FROM customers)::DATE,"
                " (SELECT min(ordered_at) FROM orders)::DATE,"
                " (SELECT min(occurred_at) FROM events)::DATE)"
            ).fetchone()
        assert found is not None
        earliest = found[0].isoformat()
        for lang, words in (("en", "earliest data"), ("zh", "最早的数据")):
            r = client.post("/api/runs", json={"as_of": "1990-01-01"}, params={"lang": lang})
            assert r.status_code == 422, r.text
            error = r.json()["error"]
            assert error["code"] == "as_of_before_data"
            assert words in error["message"]
            assert earliest in error["message"]
            assert "allow_before_data" in error["message"]
            assert "--" not in error["message"]  # no command-line option on the web
        assert client.get("/api/runs").json() == before  # no run was made


def test_kequn_toml_as_of_before_the_data_is_a_422(shop_as_of_1990: Any, serve: Any) -> None:
    """A run asked for without a date takes kequn.toml's ``[run] as_of``: set before the
    data, it is refused the same way, naming kequn.toml and the key, unless the request
    says ``allow_before_data``."""
    from kequn.store.access import add_user

    tokens = {"admin": add_user(shop_as_of_1990, "boss", "admin")}
    with serve(shop_as_of_1990, tokens) as srv, srv.client("admin") as client:
        for lang, words in (("en", "kequn.toml's [run] as_of = 1990-01-01 is before"),
                            ("zh", "kequn.toml 中 [run] 的 as_of = 1990-01-01 早于")):  # fmt: skip
            for body in (None, {"models": False}, {"as_of": "latest"}):
                r = client.post("/api/runs", json=body, params={"lang": lang, "wait": "true"})
                assert r.status_code == 422, r.text
                error = r.json()["error"]
                assert error["code"] == "as_of_before_data"
                assert words in error["message"], error
                assert "2025-03-01" in error["message"], error
        assert client.get("/api/runs").json() == []  # no run was made
        allowed = client.post(
            "/api/runs", json={"models": False, "allow_before_data": True}, params={"wait": "true"}
        )
        assert allowed.status_code in (200, 202), allowed.text
        assert [run["as_of"] for run in client.get("/api/runs").json()] == ["1990-01-01"]
