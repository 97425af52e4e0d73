"""Customer data in a group robot's message, on robots on loopback: a name carrying a
mention of the whole group (飞书 ``<at user_id="all">``, 企业微信 ``<@userid>``), a
markdown link or image, or a line starting a heading reaches the group as text, while the
template's own markdown stays markdown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from automation_helpers import FAST, RobotReceiver, runs, write_journeys

from kequn.automation.deliver import deliver
from kequn.automation.digest import render
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

NAME = '<at user_id="all"></at><@zhangsan>[领取补偿](http://evil.example/x)\n# 紧急 ![](http://t.example/p.gif) `x` **y**'


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotReceiver]:
    monkeypatch.setenv("KEQUN_TEST_ROBOT_TOKEN", "tok-1")
    found = RobotReceiver(ok={"errcode": 0, "errmsg": "ok", "code": 0}).start()
    yield found
    found.stop()


def _alerts(ws: Workspace, robot: RobotReceiver, channel: dict[str, Any]) -> int:
    write_journeys(
        ws,
        {
            "delivery": FAST,
            "channels": {"bot": {"url": robot.url(), "token_env": "KEQUN_TEST_ROBOT_TOKEN",
                                 **channel}},
            "journeys": [
                {
                    "id": "vip",
                    "trigger": {"rule": "orders >= 3"},
                    "channel": "bot",
                    "purpose": "sales",
                    "frequency_cap": None,
                    "language": "zh",
                    "templates": {
                        "zh": {"subject": "大客户 {{ customer.name }}",
                               "body": "**客户** {{ customer.name }} [查看](http://crm.test/c)"},
                    },
                }
            ],
        },
    )  # fmt: skip
    with ws.write() as con:
        con.execute("UPDATE customers SET name = ?", [NAME])
    return int(process_run(runs(ws)[1])["messages"])


@pytest.mark.parametrize(
    ("channel", "text"),
    [
        ({"type": "feishu", "msg_type": "text"}, lambda b: b["content"]["text"]),
        ({"type": "feishu", "msg_type": "interactive"}, lambda b: str(b["card"])),
        ({"type": "feishu", "msg_type": "post"}, lambda b: str(b["content"])),
        ({"type": "wecom"}, lambda b: b["markdown"]["content"]),
        ({"type": "dingtalk"}, lambda b: b["markdown"]["title"] + b["markdown"]["text"]),
    ],
)
def test_a_name_cannot_mention_link_or_format_in_the_group(
    aws: Workspace, robot: RobotReceiver, channel: dict[str, Any], text: Any
) -> None:
    queued = _alerts(aws, robot, channel)
    assert queued > 0
    assert deliver(aws)["sent"] == queued
    assert len(robot.requests) == queued
    for request in robot.requests:
        sent = text(request["body"])
        assert "<at" not in sent  # no one mentioned
        assert "<@" not in sent
        assert "](http://evil.example" not in sent  # no link made of the name
        assert "![" not in sent  # no image fetched from anywhere
        assert "\n# 紧急" not in sent  # no heading started by the name
        assert '＜at user_id="all"＞' in sent  # the name is shown, as text
        assert "［领取补偿］(http://evil.example/x)" in sent
        if channel.get("msg_type") == "post":  # the template's own link is still one
            links = [e for line in request["body"]["content"]["post"]["zh_cn"]["content"]
                     for e in line if e["tag"] == "a"]  # fmt: skip
            assert [e["href"] for e in links] == ["http://crm.test/c"]
        elif channel.get("msg_type") != "text":
            assert "[查看](http://crm.test/c)" in sent


def test_a_digest_shows_an_id_with_backquotes_as_text() -> None:
    payload = {
        "team": "sales", "as_of": "2026-09-30", "run_id": "r1", "previous_run_id": "r0",
        "movements": [{"change": "entered", "count": 2, "among": [], "link": None,
                       "names": {"zh": "沉睡", "en": "Dormant"},
                       "examples": ["c1", "x` [点我](http://evil.example) `y"]}],
    }  # fmt: skip
    for lang in ("zh", "en"):
        _, body = render(payload, lang)
        assert "`c1`" in body
        assert "[点我](http://evil.example)" not in body
        assert "`x｀ ［点我］(http://evil.example) ｀y`" in body
