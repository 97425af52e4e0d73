"""``/api/history?before=&after=`` (a form or a client sending every field, some left
empty) is asked as if neither side were given, as an empty ``run=`` is everywhere: the
empty text was taken as a prefix every run shares (409, "2 runs have ids starting with
"). A side that cannot be a run's id at all (a path, a NUL, a page of text) is a 422
naming the parameter, not a search for a run."""

from __future__ import annotations

from typing import Any

import pytest


def test_empty_sides_are_the_default_pair(server: Any) -> None:
    with server.client("viewer") as client:
        default = client.get("/api/history").json()  # (other tests may add runs)
        pair = (default["before"]["run_id"], default["after"]["run_id"])
        for params in ({"before": "", "after": ""}, {"before": ""}, {"after": ""}):
            found = client.get("/api/history", params=params)
            assert found.status_code == 200, (params, found.text)
            body = found.json()
            assert (body["before"]["run_id"], body["after"]["run_id"]) == pair
            assert body["moves"] == default["moves"]
        # one side named, the other sent empty: that side alone
        one = client.get("/api/history", params={"before": "", "after": pair[1]})
        assert one.status_code == 200, one.text
        assert one.json()["before"]["run_id"] == pair[0]


@pytest.mark.parametrize(("lang", "words"), [("en", "is not a run id"), ("zh", "不是运行编号")])
@pytest.mark.parametrize(
    ("side", "value"),
    [("before", "../x"), ("after", "a\x00b"), ("before", "2026 09"), ("after", "9" * 300)],
)
def test_a_side_no_run_id_can_be_is_a_422_naming_it(
    server: Any, side: str, value: str, lang: str, words: str
) -> None:
    with server.client("viewer") as client:
        found = client.get("/api/history", params={side: value, "lang": lang})
    assert found.status_code == 422, found.text
    error = found.json()["error"]
    assert error["code"] == "invalid_run"
    assert f"{side}=" in error["message"]
    assert words in error["message"]


def test_other_values_sent_empty_are_their_defaults(server: Any) -> None:
    """``dimension=`` was "  is not an exclusive dimension" (404) and a members page's
    ``sort=`` a 400 listing the columns, where ``run=``, ``q=`` and ``city=`` sent empty
    are not given."""
    with server.client("viewer") as client:
        moved = client.get("/api/history", params={"dimension": "", "before": ""})
        assert moved.status_code == 200, moved.text
        assert moved.json()["dimension"] == "lifecycle"
        url = "/api/segments/lifecycle/active/members"
        members = client.get(url, params={"sort": "", "q": "", "city": "", "run": ""})
        assert members.status_code == 200, members.text
        assert members.json()["sort"] == "spend"
        assert members.json()["rows"] == client.get(url).json()["rows"]
