"""``/api/status`` tells administrators of an erasure cut short (``locks/erasing-<ref>``),
as every command and the overview page do: an administrator working through the API
never knew the person was still held in runs and files. Analysts and viewers, who cannot
finish it, are not told (nor is the reference theirs to see)."""

from __future__ import annotations

from typing import Any

import pytest

from kequn.store.access import erasure_finished, erasure_started

REFERENCE = "p-5e1d0b"


@pytest.mark.parametrize(
    ("lang", "words"), [("zh", "有一次删除（审计参考号"), ("en", "An erasure")]
)
def test_status_tells_administrators_of_an_unfinished_erasure(
    server: Any, lang: str, words: str
) -> None:
    erasure_started(server.ws, REFERENCE)
    try:
        with server.client("admin") as client:
            admin = client.get("/api/status", params={"lang": lang})
        others = {}
        for role in ("analyst", "viewer"):
            with server.client(role) as client:
                others[role] = client.get("/api/status", params={"lang": lang})
    finally:
        erasure_finished(server.ws, REFERENCE)
    assert admin.status_code == 200, admin.text
    (told,) = admin.json()["unfinished_erasures"]
    assert told["reference"] == REFERENCE
    assert told["began"]
    assert words in told["message"]
    assert REFERENCE in told["message"]
    for role, answer in others.items():
        assert answer.status_code == 200, (role, answer.text)
        assert "unfinished_erasures" not in answer.json(), role
        assert REFERENCE not in answer.text, role
    with server.client("admin") as client:
        after = client.get("/api/status").json()
    assert after["unfinished_erasures"] == []
