"""Long operations (imports and runs) in background threads, reported through files.

A request that starts an import or a run answers at once with a job; the client polls
``/api/jobs/{id}``. A job's state is kept in ``jobs/<id>.json`` in the workspace rather
than in memory, so any server process (``kequn serve --workers N``) can report on a job
another one started, and a job whose process died is reported as failed.

Job files hold no personal data: an import's quarantined rows are kept as their place and
reason only (row, column, reason), never the value, the message repeating it or the
source record; who may see those reads them from ``/api/quarantine``, which is audited.
Errors name files, never the server's folders. Job files older than the workspace's
``job_retention_days`` are removed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.responses import JSONResponse

from kequn.core.i18n import on_web, speaking, t
from kequn.errors import user_message
from kequn.store.workspace import Workspace, _atomic_write

log = logging.getLogger(__name__)

#: the steps a run and an import report (``job.step.*`` in :mod:`kequn.web.text`)
STEPS = frozenset({"features", "publish", "lookups", "read", "validate", "write"})


@dataclass
class Job:
    """A long operation (import or run) running in a background thread.

    Its state is kept in ``jobs/<id>.json`` in the workspace, so any server process
    (``kequn serve --workers N``) can report on a job another one started.
    """

    id: str
    kind: str
    user: str
    folder: Path
    state: str = "running"  # running | done | failed
    step: str = ""
    done: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    pid: int = field(default_factory=os.getpid)
    lang: str | None = None
    #: a failure the requester can act on (a file, the taxonomy, the workspace) or a
    #: bug (its text is not shown: it may quote a customer's data)
    fault: str | None = None  # input | internal
    #: for an import whose file lacks required columns: the columns missing and the
    #: file's headers (:class:`kequn.ingest.source_error.SourceError`'s ``wanted``), so
    #: the upload page can ask which header holds each
    wanted: dict[str, Any] | None = None
    #: what kind of error failed the job (``source_error``, ``taxonomy_error`` …): what a
    #: reader who may not see its text (it may quote a customer's data) is told of it
    error_code: str | None = None
    #: set when the job has ended, however (what a request waiting for it waits on)
    ended: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "user": self.user,
            "state": self.state,
            "step": self.step,
            # the step as the job's reader reads it (the dashboard shows this one)
            "step_text": t(f"job.step.{self.step}", self.lang) if self.step in STEPS else self.step,
            "done": self.done,
            "result": self.result,
            "error": self.error,
            "fault": self.fault,
            "error_code": self.error_code,
            "wanted": self.wanted,
            "seconds": round((self.finished or time.time()) - self.started, 2),
            "pid": self.pid,
        }

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.save()

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.folder / f"{self.id}.json", json.dumps(self.to_dict(), default=str))


_JOB_ID = re.compile(r"^[0-9a-f]{12}$")
#: what an import job keeps of each quarantined row
_QUARANTINE_KEPT = ("table", "file", "row", "column", "reason", "reason_name", "severity")
# an absolute path in an error message: shown by its last part only
_PATH = re.compile(r"(?<![\w.:/])(?:/[^/\s'\"()\[\]{},;:]+)+/?")


def without_personal(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """A job's result as it may be stored and shown to any role: quarantined rows and
    each reason's first row without their values (a row's cells may be personal)."""
    if not result:
        return result
    if isinstance(result.get("examples"), dict):
        result = {
            **result,
            "examples": {
                reason: {k: v for k, v in seen.items() if k in ("row", "column")}
                for reason, seen in result["examples"].items()
                if isinstance(seen, dict)
            },
        }
    if not isinstance(result.get("quarantine"), list):
        return result
    rows = [
        {k: row.get(k) for k in _QUARANTINE_KEPT}
        for row in result["quarantine"]
        if isinstance(row, dict)
    ]
    return {**result, "quarantine": rows}


def without_paths(text: str | None) -> str | None:
    """``text`` with every absolute path replaced by its last part."""
    if not text:
        return text
    return _PATH.sub(lambda m: m.group(0).rstrip("/").rsplit("/", 1)[-1], text)


class Jobs:
    """The jobs of one workspace (``app.state.jobs``)."""

    def __init__(self, ws: Workspace, retention_days: float = 30) -> None:
        self.folder = ws.root / "jobs"
        self.retention = retention_days * 86400

    def prune(self) -> None:
        """Remove job files older than the retention."""
        if not self.folder.is_dir():
            return
        oldest = time.time() - self.retention
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue

    def start(
        self, kind: str, user: str, work: Callable[[Job], dict[str, Any]], lang: str | None = None
    ) -> Job:
        """Run ``work`` in a thread; a failure a user can act on is told in ``lang``
        (see :func:`kequn.errors.user_message`), any other by its exception's text."""
        self.prune()
        job = Job(uuid.uuid4().hex[:12], kind, user, self.folder, lang=lang)
        job.save()

        def target() -> None:
            try:
                # the work's own messages in the requester's language, in the web's words
                with speaking(lang), on_web():
                    result = without_personal(work(job))
                job.update(result=result, state="done", finished=time.time())
            except Exception as exc:  # reported to the user through the job
                # the log: the error's type and where, not its text (it may quote a
                # customer's data); KEQUN_DEBUG=1 prints the whole traceback
                where = traceback.extract_tb(exc.__traceback__)[-1:]
                at = f"{where[0].filename}:{where[0].lineno}" if where else "?"
                log.error("%s job %s failed: %s at %s", kind, job.id, type(exc).__name__, at)
                if os.environ.get("KEQUN_DEBUG"):
                    traceback.print_exc()
                told = user_message(exc, lang)
                fault = "input" if told else "internal"
                if not told:  # a bug: its type, never its text (a value from a row)
                    told = t("web.error.job_internal", lang, kind=type(exc).__name__)
                wanted = getattr(exc, "wanted", None) if told else None
                job.update(
                    error=without_paths(told),
                    fault=fault,
                    error_code=_code(exc),
                    wanted=wanted if isinstance(wanted, dict) else None,
                    state="failed",
                    finished=time.time(),
                )
            finally:
                job.ended.set()

        threading.Thread(target=target, name=f"kequn-{kind}-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str, lang: str | None = None) -> dict[str, Any] | None:
        """A job's last saved state, from whichever process runs it (None if unknown);
        a job whose process died is failed, saying so in ``lang``."""
        if not _JOB_ID.match(job_id):  # the id becomes a file name: nothing but hex
            return None
        path = self.folder / f"{job_id}.json"
        try:
            if path.stat().st_mtime < time.time() - self.retention:
                path.unlink(missing_ok=True)
                return None
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if data["state"] == "running" and not _alive(int(data.get("pid", 0))):
            data.update(state="failed", error=t("web.error.job_stopped", lang))
        if data.get("step") in STEPS:  # in the reader's language, not the starter's
            data["step_text"] = t(f"job.step.{data['step']}", lang)
        # files written before results were kept without personal data or paths
        data["result"] = without_personal(data.get("result"))
        data["error"] = without_paths(data.get("error"))
        return data

    def wait(self, job: Job, timeout: float = 3600.0) -> Job:
        """``job`` once it has ended, or as it is after ``timeout`` seconds: woken when it
        ends (polling its state every 50 ms answered 25 ms late on average)."""
        job.ended.wait(timeout)
        return job

    def answer(self, job: Job, wait: bool) -> JSONResponse:
        """What a request that started ``job`` is answered: 202 and the job at once, or
        with ``wait`` the finished job (200), or its failure as an error (422 when the
        requester can act on it, 500 for a bug) with the job beside it; a job still
        running when the wait ends is a 202."""
        if not wait:
            return JSONResponse(job.to_dict(), status_code=202)
        body = self.wait(job).to_dict()
        if body["state"] != "failed":
            return JSONResponse(body, status_code=200 if body["state"] == "done" else 202)
        status = 422 if job.fault == "input" else 500
        error = {"code": f"{job.kind}_failed", "message": job.error}
        return JSONResponse({"error": error, "job": body}, status_code=status)


def for_viewer(data: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """A job as a reader without personal data sees it.

    A failure the requester could act on (a file's, the taxonomy's) is told as what kind
    it was, not in its own words, which may quote a cell of the file or a rule's literal
    (``found: C1, 张伟, 139…``, ``name = '张伟'``); the rest (a bug's type, a stopped
    process) quotes nothing. An import's rows left out as no data (a row holding one
    cell: ``,张伟,,``) are listed without their text, in the summary's lines too."""
    if data.get("state") == "failed" and data.get("fault") == "input":
        code = str(data.get("error_code") or "input")
        data = {**data, "error": t("web.error.job_hidden", lang, code=code)}
    result = data.get("result")
    if isinstance(result, dict):
        files = result.get("files")
        if isinstance(files, list):  # a quarantine retry's: each file's report
            result = {**result, "files": [_unskipped(f) for f in files]}
        data = {**data, "result": _unskipped(result)}
    return data


def _unskipped(report: Any) -> Any:
    """An import's report with the text of its skipped rows masked, where it lists them
    and where its summary's lines quote them."""
    if not isinstance(report, dict) or not isinstance(report.get("skipped"), list):
        return report
    rows = [row for row in report["skipped"] if isinstance(row, dict)]
    texts = sorted({str(row["text"]) for row in rows if row.get("text")}, key=len, reverse=True)

    def masked(line: Any) -> Any:
        if not isinstance(line, dict) or not isinstance(line.get("text"), str):
            return line
        text = line["text"]
        for value in texts:
            text = text.replace(value, "***")
        return {**line, "text": text}

    shown = {
        **report,
        "skipped": [{**row, "text": "***"} if row.get("text") else row for row in rows],
    }
    if isinstance(report.get("said"), list):
        shown["said"] = [masked(line) for line in report["said"]]
    return shown


def _code(exc: BaseException) -> str:
    """``SourceError`` -> ``source_error``: the kind of an error, without its text."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", type(exc).__name__).lower()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0
