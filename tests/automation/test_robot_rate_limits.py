"""A robot's rate limit is waited out, not counted as a failed attempt, and bounded.

A 429 (or 钉钉's 130101 "send too fast" in a 200 reply) used up one of the message's
``max_attempts``, like a refused message, and the rest of the batch for that robot spent
one each without being sent: a busy minute could dead-letter alerts never refused. Now
the answer's back-off (``Retry-After``, 飞书's ``x-ogw-ratelimit-reset``) is waited out,
bounded by the channel's ``rate_limit_max_wait_seconds``, and the message sent again up
to ``rate_limit_retries`` times, none of it an attempt; a robot that always limits still
ends in the dead letters after ``max_attempts``. Real parts: a robot on loopback; the
waits are recorded (the ``sleep`` given to ``send_robot``) or zero through the setting.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterator
from typing import Any

import pytest
from automation_helpers import FAST, RobotReceiver, runs, write_journeys

from kequn.automation import db
from kequn.automation.deliver import THROTTLED, deliver
from kequn.automation.journeys import DingtalkChannel, FeishuChannel, WecomChannel
from kequn.automation.plan import process_run
from kequn.automation.reasons import error_text
from kequn.automation.robots import RateLimitedError, asked_wait, send_robot
from kequn.store.workspace import Workspace

TOKEN = "tok-rate-9f2"
GONE_BY = dt.timedelta(seconds=1)
LIMITED = {"errcode": 45009, "errmsg": "api freq out of limit"}


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotReceiver]:
    monkeypatch.setenv("KEQUN_TEST_ROBOT_TOKEN", TOKEN)
    found = RobotReceiver().start()
    yield found
    found.stop()


def _channel(robot: RobotReceiver, **extra: Any) -> dict[str, Any]:
    return {"type": "wecom", "url": robot.url(), "token_env": "KEQUN_TEST_ROBOT_TOKEN", **extra}


def test_429_twice_then_200_waits_what_the_answer_asks_bounded(robot: RobotReceiver) -> None:
    channel = WecomChannel.model_validate(_channel(robot, rate_limit_max_wait_seconds=20))
    robot.replies = [
        (429, LIMITED, {"Retry-After": "7"}),
        (429, LIMITED, {"Retry-After": "3600"}),  # more than the channel waits
    ]
    waits: list[float] = []
    send_robot(channel, "s", "b", "en", "m-1", sleep=waits.append)
    assert len(robot.requests) == 3
    assert waits == [7.0, 20.0]
    # the same message each time, under the same idempotency key
    assert len({repr(r["body"]) for r in robot.requests}) == 1


def test_a_platform_code_in_a_200_is_a_rate_limit_and_the_retries_are_bounded(
    robot: RobotReceiver,
) -> None:
    channel = DingtalkChannel.model_validate(
        {**_channel(robot, rate_limit_retries=2, rate_limit_max_wait_seconds=5), "type": "dingtalk"}
    )
    # 钉钉: "send too fast, exceed 20 times per minute", no Retry-After: the bound is waited
    robot.replies = [{"errcode": 130101, "errmsg": "send too fast"}] * 10
    waits: list[float] = []
    with pytest.raises(RateLimitedError, match="130101"):
        send_robot(channel, "s", "b", "en", "m-2", sleep=waits.append)
    assert len(robot.requests) == 3  # one, and two more: never more
    assert waits == [5.0, 5.0]


def test_feishu_reset_header_and_other_failures_are_not_retried(robot: RobotReceiver) -> None:
    channel = FeishuChannel.model_validate({**_channel(robot), "type": "feishu"})
    robot.replies = [(429, {"code": 11232, "msg": "frequency limited"},
                      {"x-ogw-ratelimit-reset": "2"})]  # fmt: skip
    waits: list[float] = []
    send_robot(channel, "s", "b", "en", "m-3", sleep=waits.append)
    assert waits == [2.0]
    assert len(robot.requests) == 2
    robot.replies = [(500, {"code": 1, "msg": "oops"})]
    with pytest.raises(Exception, match="HTTP 500"):
        send_robot(channel, "s", "b", "en", "m-4", sleep=waits.append)
    assert waits == [2.0]  # not waited out: the outbox's backoff and attempts decide
    assert len(robot.requests) == 3


def test_retry_after_as_an_http_date() -> None:
    now = dt.datetime(2026, 12, 4, 10, 0, 0, tzinfo=dt.UTC)
    later = email.utils.format_datetime(now + dt.timedelta(seconds=42), usegmt=True)
    assert asked_wait({"Retry-After": later}, now) == 42.0
    assert asked_wait({"Retry-After": "soon"}, now) is None
    assert asked_wait({}, now) is None


def _plan(ws: Workspace, robot: RobotReceiver, rule: str = "orders >= 3", **delivery: Any) -> int:
    write_journeys(
        ws,
        {"delivery": {**FAST, **delivery},
         "channels": {"bot": _channel(robot, rate_limit_retries=3,
                                      rate_limit_max_wait_seconds=0)},
         "journeys": [{"id": "vip", "trigger": {"rule": rule}, "channel": "bot",
                       "purpose": "sales", "frequency_cap": None,
                       "templates": {"zh": {"subject": "提醒", "body": "{{ customer.customer_id }}"},
                                     "en": {"subject": "Alert",
                                            "body": "{{ customer.customer_id }}"}}}]},
    )  # fmt: skip
    return int(process_run(runs(ws)[1])["messages"])


def _outbox(ws: Workspace) -> list[tuple[str, int, str | None]]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT status, attempts, last_error FROM outbox ORDER BY next_attempt_at, message_id"
        ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def test_deliver_waits_out_429s_without_spending_attempts(
    aws: Workspace, robot: RobotReceiver
) -> None:
    queued = _plan(aws, robot)
    robot.replies = [(429, LIMITED, {"Retry-After": "30"})] * 2  # waited as 0: the setting
    totals = deliver(aws)
    assert totals == {"sent": queued, "failed": 0, "batches": totals["batches"]}
    assert len(robot.requests) == queued + 2
    assert {(s, a) for s, a, _ in _outbox(aws)} == {("sent", 1)}


@pytest.mark.slow
def test_a_robot_that_always_limits_ends_dead_and_the_untried_spend_nothing(
    aws: Workspace, robot: RobotReceiver
) -> None:
    queued = _plan(aws, robot, rule="orders >= 30", max_attempts=2, batch=3)
    assert 3 <= queued <= 12
    robot.replies = [(429, LIMITED)] * 1000
    first = deliver(aws)
    assert first["sent"] == 0
    assert len(robot.requests) == 4  # one message, sent four times; the rest untried
    rows = _outbox(aws)
    assert {s for s, _, _ in rows} == {"pending"}
    assert sorted(a for _, a, _ in rows) == [0] * (queued - 1) + [1]  # one attempt spent
    # the rest of its batch was not sent, and the rest of the pass left the robot alone
    untried = [r for r in rows if (r[2] or "").startswith(THROTTLED)]
    assert len(untried) == 3 - 1
    assert error_text(untried[0][2], "zh").startswith("本轮未发送：机器人限流中：")
    # every message gets its bounded turns, then the dead letters: no endless loop
    for _ in range(queued * 2 + 2):
        if {s for s, _, _ in _outbox(aws)} == {"dead"}:
            break
        with db.connect(aws) as con:  # the backoff is over (no waiting in a test)
            con.execute("UPDATE outbox SET next_attempt_at = ?", [db.utcnow() - GONE_BY])
        deliver(aws)
    assert {(s, a) for s, a, _ in _outbox(aws)} == {("dead", 2)}
    assert len(robot.requests) == queued * 2 * 4
