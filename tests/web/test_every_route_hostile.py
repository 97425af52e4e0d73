"""Every API route the OpenAPI description lists, asked with hostile ids and bodies by
every role in both languages, over real HTTP: never a 5xx, never an answer outside the
API's JSON error shape, and the message in the language asked for. The routes are read
from the running server, so a route added later is swept too."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
#: a parent folder, bytes that are no UTF-8, a NUL, an id far too long, one that is not there
HOSTILE_IDS = ("..", "%FF%FE", "a%00b", "x" * 300, "nosuch")
#: the roles, and no token at all (the guard answers before any route)
ROLES = ("viewer", "analyst", "admin", None)


def _routes(server: Any) -> list[tuple[str, str]]:
    with server.client() as client:
        described = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, item in described.items() for method in item]


def _filled(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _assert_json_error(response: Any, lang: str, where: str) -> None:
    assert response.status_code < 500, (where, response.status_code, response.text[:300])
    if response.status_code < 400:
        return
    assert response.headers["content-type"].startswith("application/json"), where
    message = response.json()["error"]["message"]
    assert isinstance(message, str), where
    assert message, where
    assert "Traceback" not in message, (where, message)
    assert "<class" not in message, (where, message)
    # the ids sent are ASCII: any Han character is the server's own words
    assert bool(HAN.search(message)) == (lang == "zh"), (where, lang, message)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_route_answers_hostile_ids_with_a_json_error_in_the_language_asked(
    server: Any, lang: str
) -> None:
    routes = _routes(server)
    assert ("GET", "/api/segments/{dimension}/{label}/members") in routes
    templated = [(m, p) for m, p in routes if "{" in p]
    assert len(templated) >= 10  # the description did list the routes with ids
    for role in ROLES:
        with server.client(role) as client:
            for method, path in templated:
                for value in HOSTILE_IDS:
                    url = _filled(path, value)
                    # a body that is no JSON (and no UTF-8): refused before any route acts
                    response = client.request(
                        method,
                        url,
                        params={"lang": lang},
                        content=b"\xff{" if method != "GET" else None,
                        headers={"Content-Type": "application/json"} if method != "GET" else {},
                    )
                    _assert_json_error(response, lang, f"{role} {method} {url}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bodies_of_the_wrong_kind_are_json_errors_in_the_language_asked(
    server: Any, lang: str
) -> None:
    """Every route taking a body, sent the wrong content type, a list, and the wrong
    method; the language from Accept-Language this time."""
    routes = [(m, p) for m, p in _routes(server) if m in ("POST", "PUT") and "{" not in p]
    assert ("PUT", "/api/taxonomy") in routes
    header = {"Accept-Language": "zh-CN,zh;q=0.9" if lang == "zh" else "en-GB"}
    with server.client("admin") as client:
        for method, path in routes:
            if path == "/api/runs":  # a body is optional there: an empty one starts a run
                continue
            for content, kind in ((b"[1, 2]", "application/json"), (b"text=x", "text/plain")):
                response = client.request(
                    method, path, content=content, headers={**header, "Content-Type": kind}
                )
                _assert_json_error(response, lang, f"{method} {path} {kind}")
                assert response.status_code in (400, 403, 404, 409, 422), (path, kind)
            wrong = client.request("PATCH", path, headers=header)
            assert wrong.status_code == 405
            _assert_json_error(wrong, lang, f"PATCH {path}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_form_field_sent_where_a_file_belongs_is_said_in_the_reader_s_words(
    server: Any, lang: str
) -> None:
    """FastAPI words this one itself, in English, naming a Python class."""
    with server.client("admin") as client:
        response = client.post(
            "/api/imports/customers", params={"lang": lang}, data={"file": "not a file"}
        )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "UploadFile" not in message, message
    assert "<class" not in message, message
    assert "body.file" in message
    assert bool(HAN.search(message)) == (lang == "zh"), message
    assert ("上传的文件" if lang == "zh" else "uploaded file") in message


def test_an_empty_source_asks_for_no_filter(server: Any) -> None:
    """As an empty ``run`` or ``dimension`` does: a form's empty field, not a source
    called ''."""
    with server.client("viewer") as client:
        everyone = client.get("/api/segments")
        empty = client.get("/api/segments", params={"source": "", "dimension": ""})
    assert everyone.status_code == 200
    assert empty.status_code == 200, empty.text
    assert empty.json()["dimensions"] == everyone.json()["dimensions"]


def _shown(response: Any) -> set[str]:
    """Every value an answer shows: a JSON answer's strings, a page's text and attributes."""
    if response.headers["content-type"].startswith("application/json"):
        found: set[str] = set()

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                found.add(value)

        walk(response.json())
        return found
    text = html.unescape(response.text)
    return {part.strip() for part in re.split(r"<[^>]*>|\"", text)} - {""}


@pytest.mark.slow
def test_a_viewer_reads_no_personal_value_anywhere(server: Any) -> None:
    """No name, phone, e-mail or address of any customer is in an answer a viewer gets:
    members, searches, profiles, records, worklists, history, quarantine, status and the
    pages showing them, in both languages."""
    with server.ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, name, phone, email, address FROM customers"
        ).fetchall()
    personal = {str(v) for row in rows for v in row[1:] if v}
    assert len(personal) > 1000
    paths = [
        "/api/segments/lifecycle/churned/members?limit=500",
        "/api/segments/value/high/members?limit=500&sort=orders",
        "/api/segments/lifecycle/churned/members?q=C000",
        "/api/worklists/marketing?limit=500",
        "/api/worklists/service?limit=500",
        "/api/history",
        "/api/quarantine",
        "/api/status",
        "/segments/lifecycle/churned",
        "/segments/value/high?page=1",
        "/worklists/sales",
        "/",
    ]
    with server.client("viewer") as client:
        shown_ids = [
            row["customer_id"]
            for row in client.get("/api/segments/value/high/members?limit=10").json()["rows"]
        ]
        assert len(shown_ids) == 10
        for cid in shown_ids:
            paths += [f"/api/customers/{cid}", f"/api/customers/{cid}/records", f"/customers/{cid}"]
        for path in paths:
            for lang in ("zh", "en"):
                response = client.get(path, params={"lang": lang})
                assert response.status_code == 200, (path, response.status_code)
                leaked = sorted(_shown(response) & personal)
                assert not leaked, (path, lang, leaked[:5])
    # the same reads show them to an admin: the check above can fail
    with server.client("admin") as client:
        for path in ("/api/segments/value/high/members?limit=10", f"/customers/{shown_ids[0]}"):
            assert _shown(client.get(path)) & personal, path


@pytest.mark.parametrize(("lang", "words"), [("zh", "工作区中没有客户"), ("en", "The workspace")])
def test_records_of_an_unknown_customer_do_not_blame_a_run(
    server: Any, lang: str, words: str
) -> None:
    """A customer's records are the workspace's data: 'not in this run' sent readers
    looking for a run that was never asked about."""
    with server.client("viewer") as client:
        response = client.get("/api/customers/nosuch/records", params={"lang": lang})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_customer"
    message = response.json()["error"]["message"]
    assert words in message, message
    assert "nosuch" in message


_TEMPLATES = "templates: {zh: {subject: a, body: b}, en: {subject: a, body: b}}"
#: journeys.yaml whose problems are found by the models' own validators
_MODEL_PROBLEMS = f"""channels:
  crm: {{type: webhook, url: "http://127.0.0.1:9/hook"}}
  bot: {{type: wecom, token_env: X, secret_env: Y}}
  bot2: {{type: dingtalk, secret_env: Y}}
journeys:
  - id: j1
    zh: 一
    en: one
    trigger: {{entered: lifecycle.dormant, rule: "orders > 1"}}
    channel: crm
    purpose: service
    {_TEMPLATES}
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_journeys_problems_from_the_models_own_checks_are_in_the_reader_s_words(
    server: Any, lang: str
) -> None:
    """A trigger naming two changes, a WeCom robot with a secret, a robot without a
    token: the models' validators worded these in English only."""
    with server.client("analyst") as client:
        response = client.post(
            "/api/journeys/validate", params={"lang": lang}, json={"text": _MODEL_PROBLEMS}
        )
    assert response.status_code == 200
    problems = [p["message"] for p in response.json()["problems"]]
    assert len(problems) == 3, problems
    for message in problems:
        assert bool(HAN.search(message)) == (lang == "zh"), message
    joined = " ".join(problems)
    if lang == "zh":
        assert "触发条件" in joined
        assert "企业微信群机器人没有签名密钥" in joined
        assert "群机器人渠道需要 token_env 或 token_file" in joined
    else:
        assert "a trigger is exactly one of entered, left or rule" in joined


@pytest.mark.parametrize(("lang", "words"), [("zh", "团队只能是"), ("en", "marketing")])
def test_a_worklist_page_of_no_team_is_a_404_saying_which_teams_there_are(
    server: Any, lang: str, words: str
) -> None:
    """It sent the reader back to the overview without a word, where the API said 404."""
    with server.client("viewer") as client:
        page = client.get("/worklists/nosuch", params={"lang": lang}, follow_redirects=False)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert words in html.unescape(page.text)
