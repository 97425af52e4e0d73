"""A name an editor writes holds no invisible character.

A label named ``"\\u202e户客级超"`` (U+202E, the right-to-left override, then the name
reversed) was saved as it came: the dashboard, the exports and the audit showed 超级客户,
and a journey named ``"Win\\u200bback"`` printed like another ``Winback``. Saving the
taxonomy or the journeys (the dashboard's routes, as ``kequn taxonomy check`` reads a
file: the same models) refuses such a name, says where and which character in 中文 and
English, and keeps what was saved. The set is ingest's (kequn.core.invisible)."""

from __future__ import annotations

from typing import Any

import pytest

JOURNEYS = """channels:
  audience: {{type: file, folder: drops/test}}
journeys:
- id: care
  zh: "{name}"
  en: Care
  trigger: {{entered: lifecycle.churned}}
  channel: audience
  purpose: service
  templates: {{en: {{subject: Hi, body: Hello}}}}
"""

# as an editor types them in the YAML file (a double-quoted escape) or pastes them
NAMES = [("\\u202e户客级超", "U+202E"), ("潜在\u200b客户", "U+200B"), ("\\u2067x\\u2069", "U+2067")]


def _said(client: Any, method: str, url: str, text: str) -> dict[str, str]:
    said = {}
    for lang in ("zh", "en"):
        answer = client.request(method, url, json={"text": text}, params={"lang": lang})
        assert answer.status_code == 400, answer.text
        said[lang] = answer.text
    return said


@pytest.mark.parametrize(("name", "code"), NAMES)
def test_a_label_name_with_an_invisible_character_is_refused(
    server: Any, name: str, code: str
) -> None:
    with server.client("admin") as client:
        before = client.get("/api/taxonomy").json()
        text = before["text"].replace("zh: 潜在客户", f'zh: "{name}"', 1)
        assert text != before["text"]
        said = _said(client, "PUT", "/api/taxonomy", text)
        assert client.get("/api/taxonomy").json() == before
    assert "不显示的字符 " + code in said["zh"], said
    assert "invisible character " + code in said["en"], said
    for words in said.values():
        assert "dimensions.0.labels.0.zh" in words, words


@pytest.mark.parametrize(("name", "code"), NAMES)
def test_a_journey_name_with_an_invisible_character_is_refused(
    server: Any, name: str, code: str
) -> None:
    with server.client("admin") as client:
        before = client.get("/api/journeys").json()
        said = _said(client, "PUT", "/api/journeys", JOURNEYS.format(name=name))
        assert client.get("/api/journeys").json() == before
    assert "不显示的字符 " + code in said["zh"], said
    assert "invisible character " + code in said["en"], said


def test_names_without_them_are_saved(server: Any) -> None:
    with server.client("admin") as client:
        answer = client.post(
            "/api/journeys/validate", json={"text": JOURNEYS.format(name="关怀 care")}
        )
    assert answer.json()["ok"] is True, answer.text
