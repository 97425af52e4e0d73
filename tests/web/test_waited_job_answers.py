"""A request that waits for its job is answered by the job's outcome: 200 when done, an
error (4xx for what the requester can fix, 5xx for a bug) when it failed. A bug's own
text is never shown: it may quote a row of a customer's data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace
from kequn.web.jobs import Job, Jobs


def _work(exc: Exception | None) -> Any:
    def work(_job: Job) -> dict[str, Any]:
        if exc is not None:
            raise exc
        return {"accepted": 1}

    return work


def test_a_bug_is_a_500_that_names_its_kind_and_not_its_text(ws: Workspace) -> None:
    jobs = Jobs(ws)
    leaky = KeyError("13912345678 张秘密")
    for lang, words in (("zh", "内部错误"), ("en", "internal error")):
        answer = jobs.answer(jobs.start("run", "owner", _work(leaky), lang), wait=True)
        body = json.loads(bytes(answer.body))
        assert answer.status_code == 500
        assert body["error"]["code"] == "run_failed"
        assert words in body["error"]["message"]
        assert "KeyError" in body["error"]["message"]
        assert body["job"]["state"] == "failed"
        assert body["job"]["fault"] == "internal"
        stored = (ws.root / "jobs" / f"{body['job']['id']}.json").read_text(encoding="utf-8")
        for text in (bytes(answer.body).decode(), stored):
            assert "13912345678" not in text
            assert "张秘密" not in text


def test_a_failure_the_user_can_fix_is_a_422_with_its_message(ws: Workspace) -> None:
    jobs = Jobs(ws)
    refused = SourceError("orders.csv: no usable column")
    answer = jobs.answer(jobs.start("import", "owner", _work(refused), "en"), wait=True)
    body = json.loads(bytes(answer.body))
    assert answer.status_code == 422
    assert body["error"] == {"code": "import_failed", "message": body["job"]["error"]}
    assert "no usable column" in body["error"]["message"]
    assert body["job"]["fault"] == "input"


@pytest.mark.parametrize(("wait", "status"), [(True, 200), (False, 202)])
def test_a_job_that_finished_or_was_not_waited_for(ws: Workspace, wait: bool, status: int) -> None:
    jobs = Jobs(ws)
    job = jobs.start("import", "owner", _work(None), "en")
    answer = jobs.answer(job, wait=wait)
    body = json.loads(bytes(answer.body))
    assert answer.status_code == status
    assert body["id"] == job.id
    if wait:
        assert body["state"] == "done"
        assert body["result"] == {"accepted": 1}


def test_a_failure_not_waited_for_is_still_accepted(ws: Workspace) -> None:
    """Without ``wait`` the answer is the job as started, whatever happens to it next."""
    jobs = Jobs(ws)
    job = jobs.start("run", "owner", _work(ValueError("x")), "en")
    jobs.wait(job)  # failed before the answer is made
    answer = jobs.answer(job, wait=False)
    assert answer.status_code == 202


@pytest.mark.parametrize("fails", [False, True])
def test_a_waiting_request_is_woken_when_its_job_ends(
    ws: Workspace, fails: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting polls nothing: the request is woken by the job's end, done or failed (a
    poll every 50 ms answered 25 ms late on average, twice in a shop's nightly import
    and run)."""
    import threading

    import kequn.web.jobs as jobs_module

    def no_sleep(_seconds: float) -> None:
        raise AssertionError("the wait polled")

    monkeypatch.setattr(jobs_module.time, "sleep", no_sleep)
    release = threading.Event()

    def work(_job: Job) -> dict[str, Any]:
        release.wait(60)
        if fails:
            raise SourceError("orders.csv: no usable column")
        return {"accepted": 1}

    jobs = Jobs(ws)
    job = jobs.start("import", "owner", work, "en")
    assert jobs.wait(job, timeout=0.01).state == "running"  # not ended: the wait times out
    release.set()
    answer = jobs.answer(job, wait=True)
    assert answer.status_code == (422 if fails else 200)
    assert job.ended.is_set()
