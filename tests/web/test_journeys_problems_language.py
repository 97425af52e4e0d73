"""The journeys editor's problems (a trigger naming no label of the taxonomy, a template
that does not parse, a journey without templates, a rule with an unknown name) are said
in the reader's language: the checks worded them in English only, so a 中文 editor read
English under 第 N 行."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")

JOURNEY = """channels:
  audience:
    type: file
    folder: drops/test
journeys:
- id: care
  trigger:
    entered: {trigger}
  channel: {channel}
  purpose: marketing
  audience: {audience}
  templates: {templates}
  start: {start}
  stop: {stop}
"""
GOOD = {
    "channel": "audience",
    "start": "2026-01-01",
    "stop": "2026-12-31",
    "trigger": "lifecycle.churned",
    "audience": "spend >= 0",
    "templates": "{en: {subject: Hi, body: Hello}}",
}


@pytest.mark.parametrize(
    "change",
    [
        {"trigger": "lifecycle.sleepy"},
        {"trigger": "nowhere.sleepy"},
        {"templates": "{}"},
        {"templates": "{en: {subject: '{{ x', body: Hello}}"},
        {"channel": "nowhere"},
        {"stop": "2026-01-01", "start": "2026-02-01"},
    ],
)
def test_journey_problems_are_said_in_the_reader_s_language(
    server: Any, change: dict[str, str]
) -> None:
    text = JOURNEY.format(**{**GOOD, **change})
    with server.client("analyst") as client:
        zh = client.post(
            "/api/journeys/validate", json={"text": text}, params={"lang": "zh"}
        ).json()
        en = client.post(
            "/api/journeys/validate", json={"text": text}, params={"lang": "en"}
        ).json()
    assert zh["problems"], zh
    for problem in zh["problems"]:
        assert HAN.search(problem["message"]), problem
        assert problem["line"] is not None, problem
    for problem in en["problems"]:
        assert not HAN.search(problem["message"]), problem
    assert [p["line"] for p in zh["problems"]] == [p["line"] for p in en["problems"]]


def test_a_valid_journey_has_no_problems(server: Any) -> None:
    with server.client("analyst") as client:
        found = client.post("/api/journeys/validate", json={"text": JOURNEY.format(**GOOD)}).json()
    assert found["ok"] is True, found
