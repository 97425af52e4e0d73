"""Classification runs: starting one, following its job, the runs kept, and the schedule
that starts them (``[schedule]`` in kequn.toml, carried out by ``kequn serve``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from kequn import pipeline
from kequn.automation.schedule import ScheduleError, find_job, run_job, schedule_status
from kequn.automation.schedule.text import EXAMPLE
from kequn.core import display
from kequn.core.i18n import t
from kequn.service import SettingRefusedError, before_data, refuse_setting
from kequn.snapshots.runs import listing
from kequn.store.access import User, audit
from kequn.web.deps import PageUser, Reader, need, request_lang, run_or_404, workspace
from kequn.web.errors import ApiError
from kequn.web.jobs import Job, for_viewer
from kequn.web.personal import sees_personal, shown_ids
from kequn.web.render import render
from kequn.web.schedule_view import without_error_texts

router = APIRouter(tags=["runs"])


class RunRequest(BaseModel):
    as_of: str | None = None
    models: bool = True
    #: a date before the workspace's earliest data is refused without it (422)
    allow_before_data: bool = False


@router.post("/api/runs", status_code=202)
def start_run(
    request: Request,
    user: Annotated[User, Depends(need("run"))],
    body: RunRequest | None = None,
    wait: bool = False,
) -> JSONResponse:
    """Start classifying every customer; poll ``/api/jobs/{id}`` for progress."""
    ws = workspace(request, strict=True)
    body = body or RunRequest()
    try:  # checked before a job starts: a bad date is the request's fault (422)
        as_of = pipeline.as_of_from_text(body.as_of, pipeline.local_today(ws.settings.timezone))
    except ValueError as exc:
        message = t("run.bad_as_of", request_lang(request), value=body.as_of)
        raise ApiError(422, "invalid_as_of", message) from exc
    earliest = None if body.allow_before_data else before_data(ws, as_of)
    if earliest is not None:
        said = t("run.before_data", request_lang(request), as_of=as_of, earliest=earliest)
        raise ApiError(422, "as_of_before_data", said)
    if as_of is None:  # the run takes kequn.toml's as_of
        try:
            refuse_setting(ws, request_lang(request), allow_before_data=body.allow_before_data)
        except SettingRefusedError as exc:
            raise ApiError(422, exc.code, str(exc)) from None

    def work(job: Job) -> dict[str, Any]:
        def progress(step: str) -> None:
            job.update(step=step)

        info = pipeline.run(
            ws,
            as_of=as_of,
            progress=progress,
            with_models=body.models,
            who=user.name,
        )
        return info.summary()

    job = request.app.state.jobs.start("run", user.name, work, request_lang(request))
    return request.app.state.jobs.answer(job, wait)


@router.get("/api/jobs/{job_id}")
def job_status(
    request: Request, job_id: Annotated[str, Path(max_length=64)], user: Reader
) -> dict[str, Any]:
    """A job's progress and result (an import's report keeps no personal data: the
    quarantined values themselves are at ``/api/quarantine``)."""
    lang = request_lang(request)
    job: dict[str, Any] | None = request.app.state.jobs.get(job_id, lang)
    if job is None:
        raise ApiError(404, "no_job", t("web.error.no_job", lang))
    audit(workspace(request), user.name, "job.read", {"job": job["id"], "kind": job["kind"]})
    if not sees_personal(user):
        job = for_viewer(job, lang)
        if job.get("kind") == "schedule":  # the scheduled job's record
            job = {**job, "result": without_error_texts(job.get("result"), lang)}
        # an import's file named in its report and its summary's lines: ***.csv, as
        # everywhere a viewer reads of an imported file
        job = shown_ids(request, user, job)
    wanted = job.get("wanted")
    if wanted and not sees_personal(user):
        # a file read without its header row offers its first row as the headers
        job["wanted"] = None
    elif isinstance(wanted, dict):
        # the missing columns' names as the reader reads them (下单时间 / order time)
        table = str(wanted.get("table") or "customers")
        missing = [str(name) for name in wanted.get("missing") or []]
        job["wanted"] = {**wanted, "labels": {n: display.field(n, lang, table) for n in missing}}
    return job


@router.get("/api/runs")
def runs(request: Request, _user: Reader) -> list[dict[str, Any]]:
    """Every finished run, newest first (by creation: a listing); ``current`` is true for
    the run read when none is named, the one with the latest as-of date (a backfill,
    made last for an earlier date, is not)."""
    return listing(workspace(request))


@router.get("/api/runs/{run_id}")
def run_detail(request: Request, run_id: str, _user: Reader) -> dict[str, Any]:
    """A run with its thresholds, counts and fitted models."""
    return run_or_404(request, run_id).to_dict()


@router.get("/api/schedule")
def schedule(request: Request, user: Reader) -> dict[str, Any]:
    """Each scheduled job (``[schedule]`` in kequn.toml): its times and steps, the next
    time it runs (in the workspace's time zone), whether it is overdue or running now, its
    last execution (outcome, steps, error) and last skip; and the delivery loop's last
    pass. A mistake in ``[schedule]`` is a 409 naming kequn.toml and the key."""
    lang = request_lang(request)
    try:
        status = schedule_status(workspace(request), lang=lang)
    except ScheduleError as exc:
        raise ApiError(409, "schedule", str(exc)) from None
    if sees_personal(user):
        return status
    shown: dict[str, Any] = without_error_texts(status, lang)
    return shown


@router.post("/api/schedule/{name}/run", status_code=202)
def run_scheduled(
    request: Request,
    name: Annotated[str, Path(max_length=64)],
    user: Annotated[User, Depends(need("run"))],
    wait: bool = False,
) -> JSONResponse:
    """Run a scheduled job now, under the same lock as the schedule (a job already
    running elsewhere is skipped, with the reason in the result); poll ``/api/jobs/{id}``."""
    ws = workspace(request)
    lang = request_lang(request)
    try:
        job_spec = find_job(ws, name, lang)
    except ScheduleError as exc:
        raise ApiError(404, "no_schedule_job", str(exc)) from None

    def work(_job: Job) -> dict[str, Any]:
        return run_job(ws, job_spec, trigger="manual") or {}

    job = request.app.state.jobs.start("schedule", user.name, work, lang)
    return request.app.state.jobs.answer(job, wait)


@router.get("/runs", include_in_schema=False)
def runs_page(request: Request, user: PageUser) -> HTMLResponse:
    """The runs kept and the schedule that makes them."""
    ws = workspace(request)
    lang = request_lang(request)
    try:
        plan: dict[str, Any] | None = schedule_status(ws, lang=lang)
        if not sees_personal(user):
            plan = without_error_texts(plan, lang)
        problem = None
    except ScheduleError as exc:
        plan, problem = None, str(exc)
    return render(
        request,
        "runs.html",
        user,
        runs=listing(ws),
        schedule=plan,
        schedule_error=problem,
        schedule_example=EXAMPLE,
    )
