"""Team digests after two demo runs: counts equal to what the two runs' label files say
(computed here independently with pyarrow), one message per team per run through the
outbox to the team's robot, ids but no personal data, links to the segment pages, each
language, and an erasure reaching the examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from automation_helpers import FAST, Receiver, RobotReceiver, runs, webhook_channel, write_journeys
from typer.testing import CliRunner

from kequn import privacy
from kequn.automation import db, install
from kequn.automation.deliver import deliver
from kequn.automation.digest import PREFIX, build_digests, show_digests
from kequn.cli import app
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace

TOKEN, SECRET = "digest-token-77", "SECdigest-secret"
BASE = "http://crm.test:8000"
SALES = [
    {"entered": "lifecycle.dormant", "among": "value.high"},
    {"entered": "traits.slipping", "among": ["order_size.bulk"]},
    {"left": "lifecycle.active"},
    {"entered": "lifecycle.dormant"},
    {"entered": "lifecycle.dormant", "among": "value.low"},
    {"entered": "lifecycle.dormant", "among": ["value.medium", "order_size.regular"]},
]
SERVICE = [
    {
        "entered": "lifecycle.churned",
        "en": "{count} customers are gone",
        "zh": "{count} 位客户已流失",
    }
]


@pytest.fixture
def robots(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RobotReceiver, RobotReceiver]]:
    monkeypatch.setenv("KEQUN_TEST_DIGEST_TOKEN", TOKEN)
    monkeypatch.setenv("KEQUN_TEST_DIGEST_SECRET", SECRET)
    ding = RobotReceiver().start()
    feishu = RobotReceiver(ok={"code": 0, "msg": "success"}).start()
    yield ding, feishu
    ding.stop()
    feishu.stop()


def _configure(ws: Workspace, ding: RobotReceiver, feishu: RobotReceiver, **sales: Any) -> None:
    secret = {"token_env": "KEQUN_TEST_DIGEST_TOKEN", "secret_env": "KEQUN_TEST_DIGEST_SECRET"}
    write_journeys(
        ws,
        {
            "delivery": FAST,
            "channels": {
                "sales_group": {"type": "dingtalk", "url": ding.url(), **secret},
                "service_group": {"type": "feishu", "url": feishu.url("/hook"), **secret},
            },
            "digests": {
                "base_url": BASE,
                "teams": {
                    "sales": {"channel": "sales_group", "language": "zh", "movements": SALES,
                              "examples": 3, **sales},
                    "service": {"channel": "service_group", "language": "en",
                                "movements": SERVICE},
                },
            },
        },
    )  # fmt: skip


def _labels(run: RunInfo) -> dict[str, dict[str, Any]]:
    table = run.rows().to_pylist()
    return {row["customer_id"]: row for row in table}


def _expected(early: RunInfo, late: RunInfo) -> dict[str, int]:
    """Each movement counted straight from the two runs' label files."""
    before, now = _labels(early), _labels(late)

    def was(cid: str, column: str) -> Any:
        return before.get(cid, {}).get(column)

    return {
        "entered lifecycle.dormant among value.high": sum(
            1
            for cid, row in now.items()
            if row["lifecycle"] == "dormant"
            and was(cid, "lifecycle") != "dormant"
            and row["value"] == "high"
        ),
        "entered traits.slipping among order_size.bulk": sum(
            1
            for cid, row in now.items()
            if row["traits_slipping"] is True
            and was(cid, "traits_slipping") is not True
            and row["order_size"] == "bulk"
        ),
        "left lifecycle.active": sum(
            1
            for cid, row in before.items()
            if row["lifecycle"] == "active" and now.get(cid, {}).get("lifecycle") != "active"
        ),
        "entered lifecycle.dormant": sum(
            1
            for cid, row in now.items()
            if row["lifecycle"] == "dormant" and was(cid, "lifecycle") != "dormant"
        ),
        "entered lifecycle.dormant among value.low": sum(
            1
            for cid, row in now.items()
            if row["lifecycle"] == "dormant"
            and was(cid, "lifecycle") != "dormant"
            and row["value"] == "low"
        ),
        "entered lifecycle.dormant among value.medium,order_size.regular": sum(
            1
            for cid, row in now.items()
            if row["lifecycle"] == "dormant"
            and was(cid, "lifecycle") != "dormant"
            and row["value"] == "medium"
            and row["order_size"] == "regular"
        ),
        "entered lifecycle.churned": sum(
            1
            for cid, row in now.items()
            if row["lifecycle"] == "churned" and was(cid, "lifecycle") != "churned"
        ),
    }


def _key(m: dict[str, Any]) -> str:
    among = " among " + ",".join(f"{a['dimension']}.{a['label']}" for a in m["among"])
    return f"{m['change']} {m['dimension']}.{m['label']}" + (among if m["among"] else "")


def _digest_rows(ws: Workspace) -> list[tuple[Any, ...]]:
    with db.connect(ws) as con:
        return con.execute(
            "SELECT journey_id, run_id, customer_id, channel, lang, payload FROM outbox "
            "WHERE starts_with(journey_id, ?) ORDER BY journey_id",
            [PREFIX],
        ).fetchall()


def test_digest_counts_match_the_two_runs_and_reach_each_teams_robot(
    aws: Workspace, robots: tuple[RobotReceiver, RobotReceiver]
) -> None:
    ding, feishu = robots
    early, late = runs(aws)
    _configure(aws, ding, feishu)
    summary = build_digests(late)
    assert summary["error"] is None
    expected = _expected(early, late)
    # the demo has movement to report, crossed with value and order size too
    assert (
        expected["entered lifecycle.dormant"]
        > expected["entered lifecycle.dormant among value.low"]
        > 0
    )
    assert expected["entered lifecycle.dormant among value.medium,order_size.regular"] > 0
    assert expected["left lifecycle.active"] > 0
    assert expected["entered lifecycle.churned"] > 0
    rows = _digest_rows(aws)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("digest:sales", late.run_id, "", "sales_group", "zh"),
        ("digest:service", late.run_id, "", "service_group", "en"),
    ][: len(rows)]
    got: dict[str, int] = {}
    for row in rows:
        for m in json.loads(row[5])["movements"]:
            got[_key(m)] = m["count"]
            assert len(m["examples"]) == min(m["count"], 3 if row[0] == "digest:sales" else 5)
            assert m["link"] == f"{BASE}/segments/{m['dimension']}/{m['label']}"
    # a movement is listed exactly when it happened at least min_count (1) times
    assert got == {k: v for k, v in expected.items() if v >= 1}

    assert build_digests(late)["teams"].keys() == summary["teams"].keys()
    assert len(_digest_rows(aws)) == len(rows)  # once per team and run

    totals = deliver(aws)
    assert totals == {"sent": len(rows), "failed": 0, "batches": 1}
    assert len(ding.requests) == 1
    text = ding.requests[0]["body"]["markdown"]["text"]
    dormant_low = expected["entered lifecycle.dormant among value.low"]
    assert f"**{dormant_low:,}** 位「低价值」客户进入「沉睡客户」" in text
    assert "高价值" not in text  # no high-value customer became dormant: left out
    assert f"[查看客群]({BASE}/segments/lifecycle/active)" in text
    assert f"**{expected['left lifecycle.active']:,}** 位客户离开" in text
    with aws.read() as con:
        people = con.execute("SELECT name, email, phone FROM customers").fetchall()
    personal = {v for row in people for v in row if v and len(str(v)) > 3}
    assert not [p for p in personal if str(p) in text]  # ids only, never names or contacts
    (req,) = feishu.requests
    assert req["path"] == f"/hook/{TOKEN}"
    post = req["body"]["content"]["post"]["en_us"]
    assert post["title"].startswith("Segment movements · Service")
    flat = json.dumps(post["content"], ensure_ascii=False)
    assert f"{expected['entered lifecycle.churned']:,} customers are gone" in flat
    assert "**" not in flat  # a post is plain text with link elements
    assert deliver(aws)["sent"] == 0  # nothing sent twice


def test_min_count_leaves_quiet_teams_without_a_message(
    aws: Workspace, robots: tuple[RobotReceiver, RobotReceiver]
) -> None:
    ding, feishu = robots
    _, late = runs(aws)
    _configure(aws, ding, feishu, min_count=10**6)
    summary = build_digests(late)
    assert "sales" not in summary["teams"]
    assert all(r[0] != "digest:sales" for r in _digest_rows(aws))


def test_digest_show_in_each_language_and_erasure_reaches_the_examples(
    aws: Workspace, robots: tuple[RobotReceiver, RobotReceiver]
) -> None:
    ding, feishu = robots
    _, late = runs(aws)
    _configure(aws, ding, feishu)
    runner = CliRunner()
    built = runner.invoke(app, ["journeys", "process", "-w", str(aws.root), "--json"])
    assert built.exit_code == 0, built.output
    assert set(json.loads(built.output)["digests"]["teams"]) == {"sales", "service"}
    again = runner.invoke(app, ["--lang", "en", "digest", "build", "-w", str(aws.root)])
    assert again.exit_code == 0, again.output
    assert "2 team digests queued" in again.output
    assert len(_digest_rows(aws)) == 2  # still one per team
    zh = show_digests(aws, late.run_id, "zh", "sales")
    en = show_digests(aws, late.run_id, "en", "sales")
    assert len(zh) == len(en) == 1
    assert zh[0]["subject"].startswith("客群变动 · 销售")
    assert en[0]["subject"].startswith("Segment movements · Sales")
    assert "位客户进入「沉睡客户」" in zh[0]["text"]
    assert "customers entered “Dormant”" in en[0]["text"]
    assert "open the segment" in en[0]["text"]
    assert "沉睡" not in en[0]["text"]

    out = runner.invoke(
        app, ["--lang", "en", "digest", "show", "--workspace", str(aws.root), "--run", late.run_id]
    )
    assert out.exit_code == 0, out.output
    assert "Segment movements · Sales" in out.output
    assert "pending" in out.output
    args = ["--lang", "zh", "digest", "show", "-w", str(aws.root), "--run", late.run_id]
    told = runner.invoke(app, args).output
    assert "发送状态：待发送" in told  # the status in Chinese too
    assert "pending" not in told
    shown = runner.invoke(app, ["--lang", "zh", "digest", "show", "-w", str(aws.root), "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["digests"][0]["subject"].startswith("客群变动")

    install()  # the automation erasers
    example = zh[0]["movements"][0]["examples"][0]
    privacy.erase_person(aws, example)
    after = show_digests(aws, late.run_id, "zh", "sales")[0]
    assert example not in after["text"]
    assert all(example not in m["examples"] for m in after["movements"])
    assert after["movements"][0]["count"] == zh[0]["movements"][0]["count"]  # an aggregate
    raw = (aws.root / db.FOLDER / db.DB_NAME).read_bytes()
    assert example.encode() not in raw


def test_a_digest_can_go_to_a_signed_webhook_and_bad_config_is_named(
    aws: Workspace, receiver: Receiver
) -> None:
    from kequn.automation.journeys import JourneysError, load_journeys
    from kequn.pipeline import workspace_taxonomy

    receiver.start()
    _, late = runs(aws)
    digests = {"teams": {"service": {"channel": "crm", "movements": SERVICE, "language": "en"}}}
    write_journeys(
        aws, {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)}, "digests": digests}
    )
    build_digests(late)
    assert deliver(aws)["sent"] == 1
    (request,) = receiver.requests
    assert request["ok"]  # signed like every webhook
    body = request["body"]
    assert body["kind"] == "digest"
    assert body["team"] == "service"
    assert body["run_id"] == late.run_id
    assert body["subject"].startswith("Segment movements · Service")
    assert body["movements"][0]["count"] > 0
    assert "link" in body["movements"][0]

    bad = {"teams": {"sales": {"channel": "crm", "movements": [{"entered": "lifecycle.sleepy"}]}}}
    write_journeys(aws, {"channels": {"crm": webhook_channel(receiver)}, "digests": bad})
    with pytest.raises(JourneysError, match=r"digests\.teams\.sales\.movements\[0\]\.entered"):
        load_journeys(aws, workspace_taxonomy(aws))
    mail = {"type": "email", "host": "127.0.0.1", "sender": "a@b.c"}
    wrong = {"teams": {"sales": {"channel": "mail", "movements": SERVICE}}}
    write_journeys(aws, {"channels": {"mail": mail}, "digests": wrong})
    with pytest.raises(JourneysError, match="a digest goes to a group robot"):
        load_journeys(aws, workspace_taxonomy(aws))


def test_no_second_digest_for_the_same_date_and_none_for_a_backfill(
    aws: Workspace, robots: tuple[RobotReceiver, RobotReceiver]
) -> None:
    import datetime as dt

    from kequn import pipeline
    from kequn.snapshots.runs import list_runs

    ding, feishu = robots
    _, late = runs(aws)
    _configure(aws, ding, feishu)
    build_digests(late)
    first = _digest_rows(aws)
    assert first
    pipeline.run(aws, as_of=late.as_of_date, with_models=False)  # the same date again
    backfill = late.as_of_date - dt.timedelta(days=20)
    pipeline.run(aws, as_of=backfill, with_models=False)
    for run in list_runs(aws):
        build_digests(run)
    assert _digest_rows(aws) == first
