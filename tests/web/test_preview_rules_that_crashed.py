"""Rules the checker let through but no engine could compute: previewed over HTTP they
were 500s ("internal error"), saved in the taxonomy they failed the next run. A null
computed with (``lower(null)``, ``spend + null``, ``not null``) made the compiler call a
method Ibis's untyped null does not have; ``round(spend, orders)`` or a decimals count
beyond an INTEGER reached DuckDB's binder. Each is now the request's fault, said where
and why in the reader's language; ``coalesce``/``greatest`` of a null still work."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")

REFUSED = [
    "lower(null) = 'x'",
    "abs(null) > 1",
    "contains(null, 'x')",
    "upper(null) is null",
    "spend + null > 1",
    "coalesce(null, null) + 1 > 1",
    "-null > 1",
    "not null",
    "round(spend, orders) > 1",
    "round(spend, 999999999999) > 1",
    "round(spend, 1.5) > 1",
    "round(spend, 1, 2) > 1",
    "abs(spend, 1) > 1",
]


@pytest.mark.parametrize("rule", REFUSED)
def test_a_rule_no_engine_can_compute_is_refused_in_the_readers_language(
    server: Any, rule: str
) -> None:
    for role in ("viewer", "analyst"):
        with server.client(role) as client:
            for lang in ("zh", "en"):
                answer = client.post(
                    "/api/taxonomy/preview", json={"rule": rule}, params={"lang": lang}
                )
                assert answer.status_code == 200, (rule, answer.status_code, answer.text[:200])
                found = answer.json()
                assert found["ok"] is False, (rule, found)
                first = found["error"].split("\n")[0]
                assert bool(HAN.search(first)) == (lang == "zh"), (rule, first)
                assert "Binder" not in first, first
                assert "NullScalar" not in first, first
                assert "provided arguments" not in first, first


def test_the_taxonomy_is_not_saved_with_such_a_rule(server: Any) -> None:
    with server.client("analyst") as client:
        before = client.get("/api/taxonomy").json()
        text = before["text"].replace("when:", "when: round(spend, orders) > 1 or", 1)
        assert text != before["text"]
        refused = client.put("/api/taxonomy", json={"text": text}, params={"lang": "zh"})
        assert refused.status_code == 400, refused.text[:300]
        assert "round()" in refused.json()["error"]["message"]
        assert client.get("/api/taxonomy").json()["version"] == before["version"]


@pytest.mark.parametrize(
    "rule",
    [
        "coalesce(null, 1) + 1 > 1",
        "greatest(null, spend) > 1",
        "round(spend, -2) > 100",
        "round(spend, 15) > 1",
        "round(spend) > 1",
        "null is null",
    ],
)
def test_rules_with_a_null_or_round_that_can_be_computed_still_preview(
    server: Any, rule: str
) -> None:
    with server.client("viewer") as client:
        found = client.post("/api/taxonomy/preview", json={"rule": rule}).json()
    assert found["ok"] is True, (rule, found)
    assert 0 <= found["matched"] <= found["total"]
