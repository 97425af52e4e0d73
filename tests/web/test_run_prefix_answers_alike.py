"""A run prefix several runs share is answered alike by every route that takes a run.

``/api/history?before=2026`` answered 409 (the workspace error "2 runs have ids starting
with 2026"), ``/api/segments?run=2026`` and the others 404 (as for no such run). The
runs exist; the request did not say which: every route answers 409 ``ambiguous_run``
with a message in the request's language listing the matching runs (and ``runs`` in the
JSON), as the privacy routes answer a phone several customers share. A prefix no run has
stays a 404 ``unknown_run`` everywhere.
"""

from __future__ import annotations

from typing import Any

import pytest

ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/runs/{run}", None),
    ("GET", "/api/segments?run={run}", None),
    ("GET", "/api/segments/lifecycle/dormant/members?run={run}", None),
    ("GET", "/api/segments/lifecycle/dormant/export?run={run}", None),
    ("GET", "/api/clusters?run={run}", None),
    ("GET", "/api/rfm?run={run}", None),
    ("GET", "/api/worklists/marketing?run={run}", None),
    ("GET", "/api/customers/C00000001?run={run}", None),
    ("POST", "/api/taxonomy/preview?run={run}", {"rule": "orders >= 1"}),
    ("GET", "/api/history?before={run}", None),
    ("GET", "/api/history?after={run}", None),
]


def _ask(server: Any, method: str, url: str, body: Any, lang: str) -> Any:
    path, _, query = url.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    with server.client("admin") as client:
        return client.request(method, path, json=body, params={**params, "lang": lang})


@pytest.mark.parametrize(("method", "url", "body"), ROUTES)
def test_a_prefix_several_runs_share_is_a_409_listing_them(
    server: Any, method: str, url: str, body: Any
) -> None:
    with server.client("admin") as client:
        runs = [r["run_id"] for r in client.get("/api/runs").json()]
    assert len(runs) >= 2
    prefix = runs[0][:2]
    assert all(r.startswith(prefix) for r in runs)
    for lang, words in (("zh", "次运行的编号以"), ("en", "runs have ids starting with")):
        answer = _ask(server, method, url.format(run=prefix), body, lang)
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "ambiguous_run", error
        assert words in error["message"], error
        assert sorted(error["runs"]) == sorted(runs), error
        for run_id in runs:
            assert run_id in error["message"], error


@pytest.mark.parametrize(("method", "url", "body"), ROUTES)
def test_a_prefix_no_run_has_is_a_404(server: Any, method: str, url: str, body: Any) -> None:
    answer = _ask(server, method, url.format(run="1999"), body, "en")
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "unknown_run", answer.text
    assert "1999" in answer.json()["error"]["message"], answer.text
