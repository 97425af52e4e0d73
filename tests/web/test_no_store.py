"""Answers that may carry personal data (a customer's profile, a page of members, an
export, the dashboard's pages) tell browsers and proxies not to keep a copy
(``Cache-Control: no-store``): a shared computer's cache or a proxy must not hold a
customer's phone after the analyst signs out. The dashboard's static files may be kept."""

from __future__ import annotations

from typing import Any


def _a_customer(client: Any) -> str:
    rows = client.get("/api/segments/lifecycle/active/members?limit=1").json()["rows"]
    return str(rows[0]["customer_id"])


def test_personal_answers_are_not_kept_by_caches(server: Any) -> None:
    with server.client("analyst") as client:
        customer = _a_customer(client)
        paths = [
            "/api/segments/lifecycle/active/members?limit=5",
            f"/api/customers/{customer}",
            "/api/segments/lifecycle/active/export",
            f"/customers/{customer}",
            "/segments/lifecycle/active",
            "/",
            "/api/customers/nobody-at-all",  # an error, too
        ]
        for path in paths:
            response = client.get(path)
            assert "no-store" in response.headers.get("cache-control", ""), path


def test_an_admin_s_erasure_export_is_not_kept_by_caches(server: Any) -> None:
    with server.client("admin") as client:
        response = client.get(f"/api/privacy/export/{_a_customer(client)}")
    assert response.status_code == 200
    assert "no-store" in response.headers.get("cache-control", "")


def test_the_dashboard_s_static_files_may_be_cached(server: Any) -> None:
    with server.client() as client:
        response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
