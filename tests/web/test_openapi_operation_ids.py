"""The OpenAPI description a running server publishes is one a client generator or a
schema-driven tester accepts: every operation's ``operationId`` is unique, as OpenAPI
3 requires ("The id MUST be unique among all operations described in the API").
``/api/health``, one route for GET and HEAD, described both as the same operation (and
the server warned of it at every start)."""

from __future__ import annotations

from collections import Counter
from typing import Any


def test_every_operation_has_an_id_of_its_own(server: Any) -> None:
    with server.client() as client:
        described = client.get("/openapi.json")
        head = client.head("/api/health")
    assert described.status_code == 200
    ids = Counter(
        operation["operationId"]
        for item in described.json()["paths"].values()
        for operation in item.values()
    )
    assert len(ids) > 30
    assert [name for name, n in ids.items() if n > 1] == []
    # monitors' HEAD still answers, with nothing to read
    assert head.status_code == 200
    assert head.content == b""
