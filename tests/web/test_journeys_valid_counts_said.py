"""The journeys editor's "valid" line takes each count's number.

Checking a journeys.yaml of one channel said "Valid: 2 journeys, 1 channels.": the
page filled the counts into a sentence made without them. The check's answer now carries
the sentence, said by the server in the request's language with each noun in its number
(and the page shows it)."""

from __future__ import annotations

from typing import Any

import pytest

ONE_CHANNEL = """channels:
  audience: {type: file, folder: drops/test}
journeys:
- id: care
  trigger: {entered: lifecycle.churned}
  channel: audience
  purpose: service
  templates: {en: {subject: Hi, body: Hello}}
- id: again
  trigger: {entered: lifecycle.dormant}
  channel: audience
  purpose: service
  templates: {en: {subject: Hi, body: Hello}}
"""


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "Valid: 2 journeys, 1 channel."), ("zh", "有效：2 个旅程，1 个渠道。")],
)
def test_the_valid_line_says_one_channel(server: Any, lang: str, said: str) -> None:
    with server.client("admin") as client:
        answer = client.post(
            "/api/journeys/validate", json={"text": ONE_CHANNEL}, params={"lang": lang}
        )
    assert answer.status_code == 200, answer.text
    checked = answer.json()
    assert checked["ok"] is True, checked
    assert checked.get("message") == said, checked
