"""The journeys pages showed a channel's type as journeys.yaml spells it (``file``,
``webhook``, ``wecom``): English words on the 中文 page. It is now said in the page's
language (文件, 企业微信 / file, WeCom)."""

from __future__ import annotations

import re
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

JOURNEYS = """\
channels:
  drop:
    type: file
    folder: drops/test
  robot:
    type: wecom
    token_env: KEQUN_TEST_WECOM_TOKEN
journeys:
- id: winback
  zh: 沉睡唤醒
  en: Win back
  trigger:
    entered: lifecycle.dormant
  channel: drop
  purpose: marketing
  templates:
    zh: {subject: '好久不见', body: '{{ reason }}'}
    en: {subject: 'We miss you', body: '{{ reason }}'}
- id: alert
  zh: 流失提醒
  en: Churn alert
  trigger:
    entered: lifecycle.churned
  channel: robot
  purpose: service
  templates:
    zh: {body: '{{ reason }}'}
    en: {body: '{{ reason }}'}
"""


def _channel_cells(page: str) -> list[str]:
    return re.findall(r'<span class="hint">([^<]*)</span></td>', page)


def test_a_channel_type_is_said_in_the_page_language(ws: Workspace, serve: Any) -> None:
    (ws.root / "journeys.yaml").write_text(JOURNEYS, encoding="utf-8")
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang, words in (("zh", ["文件", "企业微信"]), ("en", ["file", "WeCom"])):
            listed = client.get("/journeys", params={"lang": lang})
            assert listed.status_code == 200, listed.text[:300]
            assert sorted(_channel_cells(listed.text)) == sorted(words), listed.text
            one = client.get("/journeys/alert", params={"lang": lang})
            assert one.status_code == 200, one.text[:300]
            assert _channel_cells(one.text) == words[1:]
