"""The identity review API and the customer records API against a real server: who may
see and decide, masked names, decisions that last, JSON errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from identity_site import Site, build, serving

from kequn import identity
from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import read_audit


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving(build(tmp_path_factory.mktemp("identity-api"))) as running:
        yield running


def _person(site: Site, record: str) -> str:
    with site.ws.read() as con:
        row = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = ?", [record]
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_review_lists_pairs_with_evidence_for_analysts_only(site: Site) -> None:
    with site.client("analyst") as client:
        pairs = client.get("/api/identity/review", params={"limit": 500, "lang": "en"}).json()
        in_zh = client.get("/api/identity/review", params={"limit": 500, "lang": "zh"}).json()
    assert pairs, "the synthetic sources leave uncertain pairs"
    assert pairs == identity.review(site.ws, limit=500)  # the CLI's own list
    assert all(p["evidence"] and 0 <= p["probability"] <= 1 for p in pairs)
    # the same pairs, the evidence in Chinese for a Chinese reader
    assert [(p["a"], p["b"]) for p in in_zh] == [(p["a"], p["b"]) for p in pairs]
    assert all(
        p["evidence"] and not re.search(r"\b(same|different|missing)\b", p["evidence"])
        for p in in_zh
    ), in_zh[:3]
    assert any("姓名" in p["evidence"] for p in in_zh)
    for role, status in (("viewer", 403), (None, 401)):
        with site.client(role) as client:
            answer = client.get("/api/identity/review")
        assert answer.status_code == status
        assert answer.json()["error"]["message"]


def test_confirm_and_reject_persist_like_the_cli(site: Site) -> None:
    with site.client("admin") as client:
        pairs = client.get("/api/identity/review").json()
        apart = next(p for p in pairs if p["person_a"] != p["person_b"])
        body = {"a": apart["a"], "b": apart["b"], "decision": "confirm"}
        answer = client.post("/api/identity/decisions", json=body, params={"lang": "zh"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["message"].startswith("已确认")
        assert _person(site, apart["a"]) == _person(site, apart["b"])
        # decided pairs leave the review
        left = {(p["a"], p["b"]) for p in client.get("/api/identity/review").json()}
        assert (apart["a"], apart["b"]) not in left
        # a rejection holds through a new resolution (what a later import triggers)
        body["decision"] = "reject"
        assert client.post("/api/identity/decisions", json=body).status_code == 200
    identity.run(site.ws)
    assert _person(site, apart["a"]) != _person(site, apart["b"])
    with site.ws.read() as con:
        decided = con.execute(
            "SELECT decision, who FROM identity_decisions WHERE a = ? AND b = ?",
            [min(apart["a"], apart["b"]), max(apart["a"], apart["b"])],
        ).fetchall()
    assert decided == [("reject", "admin-user")]
    actions = [e["action"] for e in read_audit(site.ws)]
    assert "identity.confirm" in actions
    assert "identity.reject" in actions


def test_bad_decisions_are_json_errors(site: Site) -> None:
    with site.client("analyst") as client:
        unknown = client.post(
            "/api/identity/decisions",
            json={"a": "jd:nosuch", "b": "tmall:0000001", "decision": "confirm"},
        )
        assert unknown.status_code == 404
        assert "jd:nosuch" in unknown.json()["error"]["message"]
        same = client.post(
            "/api/identity/decisions",
            json={"a": "jd:0000001", "b": "jd:0000001", "decision": "reject"},
        )
        assert same.status_code == 400
        odd = client.post(
            "/api/identity/decisions",
            json={"a": "jd:0000001", "b": "jd:0000002", "decision": "merge"},
        )
        assert odd.status_code == 422
        assert odd.json()["error"]["code"] == "invalid_request"
    with site.client("viewer") as client:
        body = {"a": "jd:0000001", "b": "jd:0000002", "decision": "confirm"}
        assert client.post("/api/identity/decisions", json=body).status_code == 403


def test_a_persons_records_and_segments_of_one_source(site: Site) -> None:
    person = _person(site, "tmall:0000001")
    # a viewer asks by the token it is shown for the person, and sees its records' ids
    # as tokens, their ids in the source and their files' names masked
    token = id_cipher(site.ws).seal(person)
    for role, asked, record in (
        ("viewer", token, ("tmall", "***", "***.csv")),
        ("admin", person, ("tmall", "0000001", "tmall.csv")),
    ):
        with site.client(role) as client:
            found = client.get(f"/api/customers/{asked}/records").json()
        assert found["person_id"] == asked
        assert "tmall" in found["sources"]
        assert record in {(r["source"], r["source_id"], r["file"]) for r in found["records"]}
        if role == "viewer":
            assert all(r["record_id"].startswith("c-") for r in found["records"])
        assert all(set(r) == {"record_id", "source", "source_id", "file", "sheet", "row", "import_id",
                              "city"}
                   for r in found["records"])  # fmt: skip
    with site.client("viewer") as client:
        missing = client.get("/api/customers/nosuch/records")
        assert missing.status_code == 404
        everyone = client.get("/api/segments", params={"dimension": "lifecycle"}).json()
        tmall = client.get("/api/segments", params={"dimension": "lifecycle", "source": "tmall"})
        assert tmall.status_code == 200
        nosuch = client.get("/api/segments", params={"source": "nosuch"})
    total = sum(lab["count"] for lab in everyone["dimensions"][0]["labels"])
    counted = sum(lab["count"] for lab in tmall.json()["dimensions"][0]["labels"])
    assert 0 < counted == tmall.json()["source"]["customers"] < total
    assert nosuch.status_code == 404
    assert nosuch.json()["error"]["code"] == "unknown_source"


def test_names_are_masked_for_a_reader_without_the_personal_permission(
    site: Site, tmp_path: Path
) -> None:
    """Only admins and analysts reach the review; were a role without ``personal`` to be
    let in, it would see names masked (the rule of kequn.web.personal)."""
    from kequn.store.access import User
    from kequn.web.routes import identity as route

    class Asking:
        app = type("App", (), {"state": type("State", (), {"ws": site.ws})()})()

    viewer = User("v", "viewer", "x", "")
    pairs = route._pairs(Asking(), viewer, 500)  # type: ignore[arg-type]
    names = [p["name_a"] for p in pairs or [] if p["name_a"]]
    assert names
    assert all("*" in n for n in names)
