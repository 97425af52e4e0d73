"""A journey's template may not reach other templates or files.

``{% include 'x' %}`` (and ``import``, ``from … import``, ``extends``) passed the
journeys check and the dashboard's save: the sandbox has no loader, so at send time every
customer of the journey was treated with "template_error: no loader for this environment
specified", and a loader added later would have let an editor's text read files. The
check (the save route, ``kequn journeys check``) refuses them naming the journey and the
template, in 中文 and English, and the rendering refuses them too.
"""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import TemplateSyntaxError

from kequn.automation.compose import _ROBOT_ENV
from kequn.automation.journeys import template_env

JOURNEY = """channels:
  audience:
    type: file
    folder: drops/test
journeys:
- id: care
  trigger:
    entered: lifecycle.churned
  channel: audience
  purpose: service
  templates:
    en: {{subject: Hi, body: Hello}}
    zh:
      subject: 你好
      body: "{body}"
"""

TAGS = [
    ("include", "{% include 'journeys.yaml' %}"),
    ("import", "{% import '/etc/passwd' as p %}"),
    ("from", "{%- from 'x.txt' import y -%}"),
    ("extends", "{% extends 'base.txt' %}"),
]


@pytest.mark.parametrize(("tag", "body"), TAGS)
def test_saving_a_template_that_reaches_a_file_is_refused(server: Any, tag: str, body: str) -> None:
    text = JOURNEY.format(body="您好\\n" + body)
    with server.client("admin") as client:
        saved = client.get("/api/journeys").json()
        said = {}
        for lang in ("zh", "en"):
            answer = client.put("/api/journeys", json={"text": text}, params={"lang": lang})
            assert answer.status_code == 400, answer.text
            said[lang] = answer.text
        assert client.get("/api/journeys").json() == saved  # nothing was written
    for lang, words in (("zh", "模板不能用"), ("en", "a template may not use")):
        assert words in said[lang], said[lang]
        assert "care.templates.zh.body" in said[lang], said[lang]
        assert "{% " + tag + " %}" in said[lang], said[lang]


@pytest.mark.parametrize(("tag", "body"), TAGS)
def test_rendering_refuses_a_template_that_reaches_a_file(tag: str, body: str) -> None:
    for env in (template_env(), _ROBOT_ENV):
        with pytest.raises(TemplateSyntaxError, match=tag):
            env.from_string("Hello\n" + body).render(customer={})


def test_the_words_are_not_refused_as_text() -> None:
    body = "{{ 'include' }} from {{ customer.name }}: import, extends {% raw %}{% include %}{% endraw %}"
    assert template_env().from_string(body).render(customer={"name": "A"}) == (
        "include from A: import, extends {% include %}"
    )
