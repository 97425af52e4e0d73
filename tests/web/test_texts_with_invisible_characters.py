"""A text an editor writes for people to read holds no invisible character.

Names were refused with a U+202E (right-to-left override) or a zero-width space
(test_names_with_invisible_characters); a label's reason, which a person reads on the
customer's page and in the exports, and a journey's message or a digest's line, which go
to customers and teams, were saved as they came: ``"\\u202e"`` before a reason showed it
reversed. Saving or checking the taxonomy or the journeys on the dashboard refuses such a
text, naming the label or journey, the field and the character in 中文 and English, and
keeps what was saved; a tab and line breaks, a message's layout, are allowed."""

from __future__ import annotations

from typing import Any

import pytest

JOURNEYS = """channels:
  audience: {{type: file, folder: drops/test}}
  robot: {{type: webhook, url: "https://hooks.example.com/k"}}
digests:
  teams:
    sales:
      channel: robot
      movements:
        - {{entered: lifecycle.dormant, zh: "{line}", en: "{{count}} asleep"}}
journeys:
- id: care
  zh: 关怀
  en: Care
  trigger: {{entered: lifecycle.churned}}
  channel: audience
  purpose: service
  templates: {{en: {{subject: "Hi", body: "{body}"}}}}
"""

TEXTS = [("\\u202e户客级超", "U+202E"), ("好久\u200b不见", "U+200B"), ("\\u2067x\\u2069", "U+2067")]
REASON = 'reason: {zh: "尚无付款订单（互动 {events:int} 次）"'


def _refused(client: Any, method: str, url: str, text: str) -> dict[str, str]:
    said = {}
    for lang in ("zh", "en"):
        answer = client.request(method, url, json={"text": text}, params={"lang": lang})
        assert answer.status_code == 400, answer.text
        said[lang] = answer.json()["error"]["message"]
    return said


def _said_both(said: dict[str, str], code: str) -> None:
    assert "不显示的字符 " + code in said["zh"], said
    assert "invisible character " + code in said["en"], said


@pytest.mark.parametrize(("text", "code"), TEXTS)
def test_a_reason_with_an_invisible_character_is_refused(server: Any, text: str, code: str) -> None:
    with server.client("admin") as client:
        before = client.get("/api/taxonomy").json()
        edited = before["text"].replace(REASON, f'reason: {{zh: "{text}"', 1)
        assert edited != before["text"]
        said = _refused(client, "PUT", "/api/taxonomy", edited)
        checked = client.post("/api/taxonomy/validate", json={"text": edited}).json()
        assert client.get("/api/taxonomy").json() == before
    _said_both(said, code)
    assert "标签 prospect 的 reason[0].zh" in said["zh"], said
    assert "label prospect: reason[0].zh" in said["en"], said
    assert checked["ok"] is False, checked
    assert code in checked["error"], checked


def test_an_action_with_an_invisible_character_is_refused(server: Any) -> None:
    with server.client("admin") as client:
        before = client.get("/api/taxonomy").json()
        edited = before["text"].replace(
            "actions: [nurture_content,", 'actions: ["nurture\\u200bcontent",', 1
        )
        assert edited != before["text"]
        said = _refused(client, "PUT", "/api/taxonomy", edited)
    _said_both(said, "U+200B")
    assert "label prospect: strategy.actions[0]" in said["en"], said


@pytest.mark.parametrize(("text", "code"), TEXTS)
def test_a_journey_message_with_an_invisible_character_is_refused(
    server: Any, text: str, code: str
) -> None:
    with server.client("admin") as client:
        before = client.get("/api/journeys").json()
        said = _refused(
            client, "PUT", "/api/journeys", JOURNEYS.format(line="{count} 位", body=text)
        )
        checked = client.post(
            "/api/journeys/validate", json={"text": JOURNEYS.format(line="{count} 位", body=text)}
        ).json()
        assert client.get("/api/journeys").json() == before
    _said_both(said, code)
    assert "旅程 care 的 templates.en.body" in said["zh"], said
    assert "journey care: templates.en.body" in said["en"], said
    assert checked["ok"] is False, checked
    assert code in str(checked["problems"]), checked


@pytest.mark.parametrize(("text", "code"), TEXTS)
def test_a_digest_line_with_an_invisible_character_is_refused(
    server: Any, text: str, code: str
) -> None:
    with server.client("admin") as client:
        said = _refused(client, "PUT", "/api/journeys", JOURNEYS.format(line=text, body="Hello"))
        # a tab and line breaks are a message's layout, not hidden characters
        laid_out = JOURNEYS.format(line="{count} 位\\n客户", body="Hello,\\n\\tsee you")
        answer = client.post("/api/journeys/validate", json={"text": laid_out})
    _said_both(said, code)
    for words in said.values():
        assert "digests.teams.sales.movements.0.zh" in words, words
    assert answer.json()["ok"] is True, answer.text
