"""Group robots on loopback: 钉钉 and 飞书 signatures recomputed here exactly as the
platforms document them, 企业微信 markdown and its size limit, and the robots' replies
driving the outbox: rate limits retried, other errors dead-lettered, keys never shown."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from automation_helpers import FAST, RobotReceiver, runs, wait_for, write_journeys

from kequn.automation import db
from kequn.automation.channels import SendError
from kequn.automation.deliver import deliver
from kequn.automation.journeys import DingtalkChannel, FeishuChannel, WecomChannel
from kequn.automation.plan import process_run
from kequn.automation.robots import (
    LIMITS,
    PermanentSendError,
    RateLimitedError,
    redact,
    send_robot,
)
from kequn.core.i18n import t
from kequn.store.workspace import Workspace

TOKEN, SECRET = "tok-6f1e-abc", "SECc0ffee+/=secret"


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotReceiver]:
    monkeypatch.setenv("KEQUN_TEST_ROBOT_TOKEN", TOKEN)
    monkeypatch.setenv("KEQUN_TEST_ROBOT_SECRET", SECRET)
    found = RobotReceiver().start()
    yield found
    found.stop()


def _robot(kind: str, url: str, **extra: Any) -> dict[str, Any]:
    found = {"type": kind, "url": url, "token_env": "KEQUN_TEST_ROBOT_TOKEN", **extra}
    if kind != "wecom":
        found["secret_env"] = "KEQUN_TEST_ROBOT_SECRET"
    return found


def test_dingtalk_signature_and_markdown_as_documented(robot: RobotReceiver) -> None:
    channel = DingtalkChannel.model_validate(_robot("dingtalk", robot.url()))
    before = int(time.time() * 1000)
    send_robot(channel, "VIP 客户预警", "- **3** 位大宗客户出现流失预警", "zh", "m-1")
    (req,) = robot.requests
    assert req["path"] == "/robot/send"
    query = req["query"]
    assert query["access_token"] == TOKEN
    stamp = int(query["timestamp"])
    assert before <= stamp <= int(time.time() * 1000)  # milliseconds, now
    # 钉钉: timestamp + "\n" + secret, HmacSHA256 keyed by the secret, Base64, urlEncode
    string_to_sign = f"{stamp}\n{SECRET}".encode()
    digest = hmac.new(SECRET.encode(), string_to_sign, digestmod=hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    assert query["sign"] == expected
    assert f"sign={urllib.parse.quote_plus(expected)}" in req["raw_query"]  # URL-encoded
    body = req["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "VIP 客户预警"
    assert "**3** 位大宗客户" in body["markdown"]["text"]


def test_feishu_signature_in_the_body_as_documented(robot: RobotReceiver) -> None:
    robot.ok = {"code": 0, "msg": "success", "data": {}}
    url = robot.url("/open-apis/bot/v2/hook")
    channel = FeishuChannel.model_validate(_robot("feishu", url))
    before = int(time.time())
    send_robot(channel, "Digest", "- 12 left [open](http://crm.test/segments/a/b)", "en", "m-2")
    (req,) = robot.requests
    assert req["path"] == f"/open-apis/bot/v2/hook/{TOKEN}"
    body = req["body"]
    stamp = int(body["timestamp"])
    assert before <= stamp <= int(time.time())  # seconds
    # 飞书: timestamp + "\n" + secret is the HMAC-SHA256 key, the message is empty, Base64
    key = f"{stamp}\n{SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", digestmod=hashlib.sha256).digest()).decode()
    assert body["sign"] == expected
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["en_us"]
    assert post["title"] == "Digest"
    line = post["content"][0]
    assert {"tag": "a", "text": "open", "href": "http://crm.test/segments/a/b"} in line


def test_wecom_markdown_cut_to_its_limit_with_a_note(robot: RobotReceiver) -> None:
    channel = WecomChannel.model_validate(_robot("wecom", robot.url("/cgi-bin/webhook/send")))
    body = "\n".join(f"- 客户 `C{i:08d}` 进入「沉睡客户」" for i in range(400))
    send_robot(channel, "销售提醒", body, "zh", "m-3")
    (req,) = robot.requests
    assert req["query"] == {"key": TOKEN}
    sent = req["body"]
    assert sent["msgtype"] == "markdown"
    content = sent["markdown"]["content"]
    assert content.startswith("**销售提醒**\n- 客户 `C00000000`")
    assert len(content.encode("utf-8")) <= LIMITS[("wecom", "markdown")] < len(body.encode())
    assert content.endswith(t("robots.truncated", "zh"))
    kept = content.split("\n")[1:-1]
    assert all(line.endswith("进入「沉睡客户」") for line in kept)  # whole lines only


def test_replies_decide_retry_or_dead_letter_and_hide_the_key(robot: RobotReceiver) -> None:
    # no rate limit waited out here (test_robot_rate_limits.py does that)
    channel = DingtalkChannel.model_validate(_robot("dingtalk", robot.url(), rate_limit_retries=0))
    robot.replies = [{"errcode": 410100, "errmsg": "send too fast, exceed 20 times per minute"}]
    with pytest.raises(RateLimitedError, match="exceed 20 times"):
        send_robot(channel, "s", "b", "en", "m")
    robot.replies = [{"errcode": 310000, "errmsg": f"sign not match, token {TOKEN}"}]
    with pytest.raises(PermanentSendError) as caught:
        send_robot(channel, "s", "b", "en", "m")
    assert "310000" in str(caught.value)
    assert "sign not match" in str(caught.value)
    assert TOKEN not in str(caught.value)
    robot.replies = [(429, {"code": 9499, "msg": "Too Many Request"})]
    with pytest.raises(RateLimitedError):
        send_robot(channel, "s", "b", "en", "m")
    robot.stop()  # nobody listening: a network error, retried, and the URL's key not in it
    with pytest.raises(SendError) as down:
        send_robot(channel, "s", "b", "en", "m")
    assert TOKEN not in str(down.value)
    assert SECRET not in str(down.value)


def test_redact_removes_keys_tokens_and_signatures() -> None:
    text = (
        "POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123 failed; "
        "https://oapi.dingtalk.com/robot/send?access_token=zzz&timestamp=1&sign=a%2Bb "
        "https://open.feishu.cn/open-apis/bot/v2/hook/hook-id-9 "
        "secret s+e/c"
    )
    out = redact(text, "s+e/c")
    for secret in ("abc-123", "zzz", "a%2Bb", "hook-id-9", "s+e/c"):
        assert secret not in out


def _alerts(aws: Workspace, robot: RobotReceiver, kind: str = "dingtalk", **extra: Any) -> int:
    """A sales journey alerting the sales group's robot, planned for the later run."""
    write_journeys(
        aws,
        {
            "delivery": FAST,
            "channels": {"sales_bot": _robot(kind, robot.url(), **extra)},
            "journeys": [
                {
                    "id": "vip_slipping",
                    "trigger": {"rule": "orders >= 3"},
                    "channel": "sales_bot",
                    "purpose": "sales",
                    "frequency_cap": None,
                    "templates": {
                        "zh": {"subject": "大客户提醒", "body": "客户 {{ customer.customer_id }}"},
                        "en": {"subject": "Key account", "body": "{{ customer.customer_id }}"},
                    },
                }
            ],
        },
    )
    _, late = runs(aws)
    return int(process_run(late)["messages"])


def _statuses(ws: Workspace) -> dict[str, tuple[str, int, str | None]]:
    with db.connect(ws) as con:
        rows = con.execute("SELECT message_id, status, attempts, last_error FROM outbox").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_rate_limited_robot_holds_the_batch_then_everything_arrives(
    aws: Workspace, robot: RobotReceiver
) -> None:
    # one wait, of nothing, before the limit counts (test_robot_rate_limits.py: the waits)
    queued = _alerts(aws, robot, rate_limit_retries=1, rate_limit_max_wait_seconds=0)
    assert queued > FAST["batch"]  # more than one batch
    robot.replies = [{"errcode": 410100, "errmsg": "send too fast"}] * 2
    totals = deliver(aws)
    # the first batch met the limit: its first message sent twice, the other nine unsent,
    # and the robot left alone for the rest of the pass
    assert totals == {"sent": 0, "failed": FAST["batch"], "batches": 1}
    assert len(robot.requests) == 2
    held = [v for v in _statuses(aws).values() if v[2] is not None]
    assert len(held) == FAST["batch"]
    assert all("rate limited (410100) send too fast" in (v[2] or "") for v in held)
    # only the message the robot refused spent an attempt; the nine were never sent
    assert sorted(v[1] for v in held) == [0] * (FAST["batch"] - 1) + [1]
    wait_for(
        lambda: deliver(aws)["sent"] and not any(v[0] != "sent" for v in _statuses(aws).values())
    )  # the next pass, after the (short) backoff
    assert len(robot.requests) == queued + 2
    states = _statuses(aws)
    assert {s for s, _, _ in states.values()} == {"sent"}
    assert sum(1 for _, attempts, _ in states.values() if attempts == 2) == 1
    ids = [r["body"]["markdown"]["text"].split()[-1] for r in robot.requests[2:]]
    assert len(set(ids)) == queued  # each customer's alert exactly once


def test_a_refused_message_is_dead_at_once_with_the_robots_reason(
    aws: Workspace, robot: RobotReceiver
) -> None:
    queued = _alerts(aws, robot, kind="wecom")
    robot.replies = [{"errcode": 93000, "errmsg": f"invalid webhook url key={TOKEN}"}]
    totals = deliver(aws)
    assert totals["sent"] == queued - 1
    dead = [v for v in _statuses(aws).values() if v[0] == "dead"]
    assert len(dead) == 1
    _, attempts, reason = dead[0]
    assert attempts == 1
    assert reason is not None
    assert "93000" in reason
    assert "invalid webhook url" in reason
    assert TOKEN not in reason
    raw = (aws.root / db.FOLDER / db.DB_NAME).read_bytes()
    assert TOKEN.encode() not in raw  # the key is read when sending, never stored


@pytest.mark.parametrize(
    ("kind", "style", "limit"),
    [
        ("wecom", {"msgtype": "text"}, LIMITS[("wecom", "text")]),
        ("dingtalk", {"msgtype": "text"}, LIMITS[("dingtalk", "text")]),
        ("feishu", {"msg_type": "text"}, 20 * 1024),
        ("feishu", {"msg_type": "interactive"}, 20 * 1024),
        ("feishu", {"msg_type": "post"}, 20 * 1024),
    ],
)
def test_every_message_type_fits_the_platform(
    robot: RobotReceiver, kind: str, style: dict[str, str], limit: int
) -> None:
    robot.ok = {"code": 0, "msg": "success"} if kind == "feishu" else robot.ok
    channel = {"wecom": WecomChannel, "dingtalk": DingtalkChannel, "feishu": FeishuChannel}[kind]
    found = channel.model_validate(_robot(kind, robot.url(), **style))  # type: ignore[attr-defined]
    body = "\n".join(f"- **{i}** 位客户 [查看](http://crm.test/segments/x/{i})" for i in range(900))
    send_robot(found, "标题", body, "zh", "m")
    (req,) = robot.requests
    sent = req["body"]
    if kind == "feishu":
        assert req["size"] <= limit  # the whole request body
        assert sent["msg_type"] == style["msg_type"]
    else:
        assert sent["msgtype"] == "text"
        content = sent["text"]["content"]
        assert len(content.encode("utf-8")) <= limit
        assert "**" not in content  # plain text: no markdown marks
        assert "查看: http://crm.test/segments/x/0" in content  # links spelled out
    flat = str(sent)
    assert "http://crm.test/segments/x/0" in flat
    assert "http://crm.test/segments/x/899" not in flat  # cut, with the note
    assert "已截断" in flat
    if style.get("msg_type") == "interactive":
        assert sent["card"]["header"]["title"]["content"] == "标题"
        assert sent["card"]["elements"][0]["tag"] == "markdown"


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        ({"type": "wecom", "token_env": "X", "secret_env": "Y"}, "wecom robots have no signing"),
        ({"type": "dingtalk", "secret_env": "Y"}, "needs token_env or token_file"),
        ({"type": "feishu", "token_env": "X", "msg_type": "card"}, "msg_type"),
        ({"type": "dingtalk", "token_env": "X", "url": "ftp://x"}, "url"),
    ],
)
def test_robot_channels_are_checked_with_the_place_named(
    aws: Workspace, channel: dict[str, Any], message: str
) -> None:
    from kequn.automation.journeys import JourneysError, load_journeys
    from kequn.pipeline import workspace_taxonomy

    write_journeys(aws, {"channels": {"bot": channel}})
    with pytest.raises(JourneysError, match=message) as caught:
        load_journeys(aws, workspace_taxonomy(aws))
    assert "channels.bot" in str(caught.value)
    assert "journeys.yaml" in str(caught.value)


def test_a_url_urllib_refuses_is_recorded_not_stranded(
    aws: Workspace, robot: RobotReceiver
) -> None:
    """A robot URL with a space makes urllib raise http.client.InvalidURL (not an OSError):
    the message is recorded as failed and retried, with the token cut out, instead of the
    batch's messages staying in 'sending' to be sent again after the lease."""
    queued = _alerts(aws, robot, kind="dingtalk")
    channels = {"sales_bot": {**_robot("dingtalk", robot.url()), "url": robot.url() + "/a b"}}
    text = (aws.root / "journeys.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["channels"] = channels
    (aws.root / "journeys.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    totals = deliver(aws)
    assert totals["sent"] == 0
    states = _statuses(aws)
    assert len(states) == queued
    assert {s for s, _, _ in states.values()} == {"pending"}  # retried later, none stranded
    # (the channel fails every time: after a few, the rest wait for the next pass untried)
    assert all(attempts <= 1 for _, attempts, _ in states.values())
    assert all(reason for _, attempts, reason in states.values() if attempts)
    assert any(attempts for _, attempts, _ in states.values())
    assert not any(TOKEN in (reason or "") for _, _, reason in states.values())
