"""A taxonomy.yaml that does not parse is answered with its problem, which quotes the
rule with a caret under the fault; a rule may name a person (``name = '张伟' and …``),
and every reader got that quote, viewers too (409 on /api/taxonomy, /api/journeys, the
taxonomy page), though they see every name masked elsewhere and cannot fix the file.
Now a viewer is told there is a problem for an analyst or administrator, in their
language; analysts still read the problem itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.store.access import add_user

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[tuple[Any, str]]:
    ws = demo_workspace(tmp_path_factory.mktemp("broken-taxonomy"), 100, seed=2)
    with ws.read() as con:
        (name,) = con.execute(
            "SELECT name FROM customers WHERE length(name) >= 2 ORDER BY customer_id LIMIT 1"
        ).fetchone()
    watch = f"""
  - id: watch
    zh: 关注
    en: Watch
    type: tags
    labels:
      - id: listed
        zh: 名单
        en: Listed
        when: "name = '{name}' and no_such_feature > 1"
"""
    ws.taxonomy_path.write_text(
        ws.taxonomy_path.read_text(encoding="utf-8").rstrip("\n") + "\n" + watch,
        encoding="utf-8",
    )
    (ws.root / "journeys.yaml").write_text(  # checked against the taxonomy when listed
        "channels:\n  drop: {type: file, folder: drops/t}\n"
        "journeys:\n- id: back\n  zh: 回来\n  en: Back\n"
        "  trigger: {entered: lifecycle.dormant}\n  channel: drop\n  purpose: service\n"
        "  templates:\n    zh: {subject: 您好, body: 您好}\n    en: {subject: Hi, body: Hi}\n",
        encoding="utf-8",
    )
    tokens = {role: add_user(ws, f"{role}-broken", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as running:
        yield running, name


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/api/taxonomy", "/api/journeys", "/taxonomy"])
def test_a_viewer_is_told_of_the_problem_without_the_rule(
    broken: tuple[Any, str], path: str, lang: str
) -> None:
    server, name = broken
    with server.client("viewer") as client:
        response = client.get(path, params={"lang": lang})
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_taxonomy"
    assert name not in response.text
    assert "no_such_feature" not in error["message"]
    assert "taxonomy.yaml" in error["message"]
    assert bool(HAN.search(error["message"])) == (lang == "zh"), error["message"]


def test_an_analyst_reads_the_problem_itself(broken: tuple[Any, str]) -> None:
    server, name = broken
    with server.client("analyst") as client:
        response = client.get("/api/taxonomy", params={"lang": "en"})
    assert response.status_code == 409
    message = response.json()["error"]["message"]
    assert "no_such_feature" in message
    assert name in message
