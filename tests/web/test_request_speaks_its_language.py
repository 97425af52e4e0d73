"""An error the server's own code words (a workspace refusal, a taxonomy or journeys file
that does not parse, a query value out of range, a form it cannot read) is said in the
language the request asked for, whatever language the server process runs in: a 中文
reader got the server's English (KEQUN_LANG / the locale) from everything not worded by
the route itself."""

from __future__ import annotations

import re
from typing import Any

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")


def _message(response: Any) -> str:
    body = response.json()
    if "error" in body and isinstance(body["error"], dict):
        return str(body["error"]["message"])
    if "problems" in body:
        return " ".join(p["message"] for p in body["problems"])  # "text" adds the line
    return str(body["error"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        # a WorkspaceError, worded deep in the privacy package
        ("POST", "/api/privacy/erase", {"customer_id": "nobody-at-all"}),
        ("POST", "/api/taxonomy/validate", {"text": "just words"}),
        ("PUT", "/api/taxonomy", {"text": "a: [b"}),
        ("POST", "/api/journeys/validate", {"text": "just words"}),
        ("POST", "/api/journeys/validate", {"text": "a: [b"}),
        ("POST", "/api/journeys/validate", {"text": "journeys: 5"}),
    ],
)
def test_errors_worded_by_the_server_s_code_follow_the_request(
    server: Any, monkeypatch: pytest.MonkeyPatch, method: str, path: str, body: Any
) -> None:
    for process, asked in (("en", "zh"), ("zh", "en")):
        monkeypatch.setenv("KEQUN_LANG", process)
        with server.client("admin") as client:
            response = client.request(method, path, json=body, params={"lang": asked})
        assert response.status_code < 500, response.text
        message = _message(response)
        assert bool(HAN.search(message)) == (asked == "zh"), (process, asked, message)


@pytest.mark.parametrize(
    "path",
    [
        "/api/segments/lifecycle/active/members?limit=-1",
        "/api/segments/lifecycle/active/members?limit=99999999",
        "/api/segments/lifecycle/active/members?order=sideways",
        "/api/segments/lifecycle/active/members?q=" + "x" * 500,
        "/api/segments/lifecycle/active/export?format=pdf",
        "/segments/lifecycle/active?page=-3",
    ],
)
def test_a_query_value_out_of_bounds_is_refused_in_the_reader_s_language(
    server: Any, path: str
) -> None:
    with server.client("admin") as client:
        # (httpx's params= would replace the path's own query)
        zh = client.get(path + "&lang=zh")
        en = client.get(path + "&lang=en")
    assert zh.status_code == en.status_code == 422
    zh_text, en_text = zh.json()["error"]["message"], en.json()["error"]["message"]
    # after the field's name, the words are 中文 (pydantic words them in English only)
    assert HAN.search(zh_text.split(":", 1)[-1]), zh_text
    assert "Input should" not in zh_text, zh_text
    assert "String should" not in zh_text, zh_text
    assert not HAN.search(en_text), en_text


def test_a_body_that_is_not_json_is_refused_in_the_reader_s_language(server: Any) -> None:
    with server.client("admin") as client:
        response = client.put(
            "/api/taxonomy",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
            params={"lang": "zh"},
        )
    assert response.status_code == 422
    assert "JSON decode error" not in response.json()["error"]["message"]
    assert HAN.search(response.json()["error"]["message"].split(":", 1)[-1])


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=xyz"]
)
def test_a_form_that_cannot_be_read_is_refused_in_the_reader_s_language(
    server: Any, content_type: str
) -> None:
    with server.client() as client:
        responses = {
            lang: client.post(
                "/login",
                content=b"garbage",
                headers={"Content-Type": content_type},
                params={"lang": lang},
            )
            for lang in ("zh", "en")
        }
    for lang, response in responses.items():
        assert response.status_code == 400
        message = response.json()["error"]["message"]
        assert bool(HAN.search(message)) == (lang == "zh"), message


@pytest.mark.parametrize(("lang", "han"), [("zh", True), ("en", False)])
def test_a_job_whose_process_died_is_told_in_the_request_s_language(
    server: Any, lang: str, han: bool
) -> None:
    """A job left "running" by a server process that no longer exists is reported as
    failed, and why is said in the reader's language (it was English only)."""
    import json
    import subprocess
    import sys

    # the pid of a process that has exited and been reaped: nothing answers to it
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    folder = server.ws.root / "jobs"
    folder.mkdir(exist_ok=True)
    job_id = "dead0000" + ("a1b2" if lang == "zh" else "c3d4")
    (folder / f"{job_id}.json").write_text(
        json.dumps({"id": job_id, "kind": "run", "state": "running", "pid": child.pid}),
        encoding="utf-8",
    )
    with server.client("viewer") as client:
        response = client.get(f"/api/jobs/{job_id}", params={"lang": lang})
    assert response.status_code == 200
    job = response.json()
    assert job["state"] == "failed"
    assert bool(HAN.search(job["error"])) is han, job["error"]


def test_a_jobs_step_is_told_in_the_readers_language_not_the_starters(server: Any) -> None:
    """A job's step was stored as its starter read it (写入数据), and shown so to a reader
    of the other language."""
    import json
    import os

    from kequn.core.i18n import t

    folder = server.ws.root / "jobs"
    folder.mkdir(exist_ok=True)
    job_id = "5e9000000001"
    started_in_zh = {
        "id": job_id,
        "kind": "import",
        "state": "running",
        "step": "write",
        "step_text": t("job.step.write", "zh"),
        "pid": os.getpid(),  # alive: the job is still running
    }
    (folder / f"{job_id}.json").write_text(json.dumps(started_in_zh), encoding="utf-8")
    with server.client("viewer") as client:
        en = client.get(f"/api/jobs/{job_id}", params={"lang": "en"}).json()
        zh = client.get(f"/api/jobs/{job_id}", params={"lang": "zh"}).json()
    assert en["step_text"] == t("job.step.write", "en")
    assert not HAN.search(en["step_text"])
    assert zh["step_text"] == t("job.step.write", "zh")
