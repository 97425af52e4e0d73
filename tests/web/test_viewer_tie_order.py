"""A viewer sees customer ids as tokens, but pages of a segment were ordered by the sort
and then by the real id: the prospects (all of spend 0) came out in id order, as did a
sort by ``customer_id``, so with ids numbered in sequence the k-th token was the k-th
id. Ties now follow a hash of the id keyed with the workspace's secret, the same on
every page, stored or queried, for every role; a viewer may not sort by id."""

from __future__ import annotations

from typing import Any

from kequn.privacy.shown_ids import id_cipher
from kequn.snapshots import lookup, read, reports
from kequn.snapshots.runs import current_run


def _tied_segment(server: Any) -> tuple[str, str]:
    """A segment of the current run whose members all tie on spend (at least 20)."""
    run = current_run(server.ws)
    for label, count in run.counts["lifecycle"].items():
        if count >= 20:
            page = read.members(run, "lifecycle", label, limit=count)
            if len({row["spend"] for row in page["rows"]}) == 1:
                return "lifecycle", label
    raise AssertionError("the demo has no segment of ties")


def test_a_viewer_cannot_read_the_ids_order_from_a_page(server: Any) -> None:
    dimension, label = _tied_segment(server)
    cipher = id_cipher(server.ws)
    path = f"/api/segments/{dimension}/{label}/members"
    with server.client("viewer") as viewer, server.client("admin") as admin:
        shown = viewer.get(path, params={"limit": 40}).json()["rows"]
        ids = [cipher.open(row["customer_id"]) for row in shown]
        assert None not in ids
        assert ids != sorted(ids)  # 40 ties in id order by chance: 1 in 40!
        # the same order for every role, page after page
        seen = admin.get(path, params={"limit": 40}).json()["rows"]
        assert [row["customer_id"] for row in seen] == ids
        halves = [
            admin.get(path, params={"limit": 20, "offset": o}).json()["rows"] for o in (0, 20)
        ]
        assert [row["customer_id"] for half in halves for row in half] == ids
        refused = viewer.get(path, params={"sort": "customer_id"})
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["code"] == "bad_sort"
        assert admin.get(path, params={"sort": "customer_id"}).status_code == 200


def test_stored_first_pages_keep_the_same_order(server: Any) -> None:
    dimension, label = _tied_segment(server)
    run = current_run(server.ws)
    lookup.build_index(run)  # the stored first pages, as the server's background build
    assert read.stored_page(run, dimension, label, 0, 40)
    stored = [r["customer_id"] for r in read.members(run, dimension, label, limit=40)["rows"]]
    assert stored != sorted(stored)
    # searched (every demo id has a C), the page is queried, not stored: the same order
    assert all("C" in customer_id for customer_id in stored)
    queried = read.members(run, dimension, label, limit=40, search="C", search_names=False)
    assert [r["customer_id"] for r in queried["rows"]] == stored


def test_a_worklist_s_ties_are_not_in_the_ids_order(server: Any) -> None:
    run = current_run(server.ws)
    items = reports.worklist(run, "sales", limit=5000)
    groups: dict[tuple[Any, Any], list[str]] = {}
    for item in items:
        groups.setdefault((item["priority"], item["spend"]), []).append(item["customer_id"])
    tied = max(groups.values(), key=len)
    assert len(tied) >= 20
    assert tied != sorted(tied)
