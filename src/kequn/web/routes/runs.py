"""Classification runs: starting one, following its job, and the runs kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from kequn import pipeline
from kequn.core.i18n import t
from kequn.snapshots.runs import list_runs
from kequn.store.access import User, audit
from kequn.web.deps import Reader, need, request_lang, run_or_404, workspace
from kequn.web.errors import ApiError
from kequn.web.jobs import Job

router = APIRouter(prefix="/api", tags=["runs"])


class RunRequest(BaseModel):
    as_of: str | None = None
    models: bool = True


@router.post("/runs", status_code=202)
def start_run(
    request: Request,
    user: Annotated[User, Depends(need("run"))],
    body: RunRequest | None = None,
    wait: bool = False,
) -> dict[str, Any]:
    """Start classifying every customer; poll ``/api/jobs/{id}`` for progress."""
    ws = workspace(request)
    body = body or RunRequest()

    def work(job: Job) -> dict[str, Any]:
        def progress(step: str) -> None:
            job.update(step=step)

        info = pipeline.run(
            ws,
            as_of=pipeline.as_of_from_text(body.as_of),
            progress=progress,
            with_models=body.models,
            who=user.name,
        )
        return info.summary()

    job = request.app.state.jobs.start("run", user.name, work, request_lang(request))
    if wait:
        request.app.state.jobs.wait(job)
    return job.to_dict()


@router.get("/jobs/{job_id}")
def job_status(
    request: Request, job_id: Annotated[str, Path(max_length=64)], user: Reader
) -> dict[str, Any]:
    """A job's progress and result (an import's report keeps no personal data: the
    quarantined values themselves are at ``/api/quarantine``)."""
    job: dict[str, Any] | None = request.app.state.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "no_job", t("web.error.no_job", request_lang(request)))
    audit(workspace(request), user.name, "job.read", {"job": job["id"], "kind": job["kind"]})
    return job


@router.get("/runs")
def runs(request: Request, _user: Reader) -> list[dict[str, Any]]:
    """Every finished run, newest first."""
    return [run.summary() for run in list_runs(workspace(request))]


@router.get("/runs/{run_id}")
def run_detail(request: Request, run_id: str, _user: Reader) -> dict[str, Any]:
    """A run with its thresholds, counts and fitted models."""
    return run_or_404(request, run_id).to_dict()
