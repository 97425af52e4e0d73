"""The server counts the requests it answers, so a lookup build in its background waits
for a quiet moment instead of sharing the cores with the first pages of a run
(kequn.snapshots.columns.request_started; test_lookup_background.py for the wait itself)."""

from __future__ import annotations

from typing import Any

from kequn.snapshots import columns


def test_each_request_answered_is_noted_and_counted_out(server: Any) -> None:
    for path, status in (("/api/runs", 200), ("/api/customers/no-such-customer", 404)):
        before = columns._last_request
        with server.client("admin") as client:
            assert client.get(path).status_code == status
        # counted out before the answer's last part was sent, answered or not
        assert columns._requests == 0
        assert columns._last_request > before
        assert 0 < columns.busy_for() <= columns.QUIET_SECONDS
