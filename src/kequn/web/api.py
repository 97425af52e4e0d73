"""REST API routes (``/api/...``); see ``/docs`` for the OpenAPI description."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask

from kequn import pipeline
from kequn.core.i18n import t
from kequn.ingest.quarantine import quarantine_rows
from kequn.service import workspace_status
from kequn.snapshots import lookup, read, reports
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.access import User, audit
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import TaxonomyError, parse_taxonomy
from kequn.web.app import ApiError, Job, current_user, need, request_lang

router = APIRouter(prefix="/api")

Reader = Annotated[User, Depends(need("read"))]


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.ws
    return ws


def _run(request: Request, run_id: str | None) -> RunInfo:
    run = lookup.ready_run(_ws(request), run_id)
    if run is None:
        lang = request_lang(request)
        raise ApiError(404, "no_run", t("web.error.no_run", lang))
    return run


def _personal(user: User) -> bool:
    return user.can("personal")


@router.get("/health", tags=["service"])
def health(request: Request) -> dict[str, Any]:
    """Liveness, without a token: the server answers and the workspace opens."""
    ws = _ws(request)
    return {"status": "ok", "generation": ws.current_generation()}


@router.get("/me", tags=["service"])
def me(user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
    from kequn.store.access import PERMISSIONS

    return {"name": user.name, "role": user.role, "permissions": sorted(PERMISSIONS[user.role])}


@router.get("/status", tags=["service"])
def status(request: Request, _user: Reader) -> dict[str, Any]:
    """Row counts, imports and runs of the workspace."""
    return workspace_status(_ws(request))


# -- imports ---------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


@router.post("/imports/{table}", tags=["imports"], status_code=202)
def upload(
    request: Request,
    table: str,
    user: Annotated[User, Depends(need("import"))],
    file: Annotated[UploadFile, File(description="CSV, Excel (.xlsx) or Parquet")],
    create_customers: bool | None = None,
    wait: Annotated[bool, Query(description="answer when the import has finished")] = False,
) -> dict[str, Any]:
    """Upload a file and import it; the job's result is the validation report."""
    from kequn.core.schema import TABLES
    from kequn.ingest.importer import import_file

    lang = request_lang(request)
    if table not in TABLES:
        raise ApiError(404, "unknown_table", t("web.error.unknown_table", lang, table=table))
    ws = _ws(request)
    uploads = ws.tmp_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    name = _SAFE_NAME.sub("_", Path(file.filename or "upload").name)[-120:] or "upload"
    target = Path(tempfile.mkdtemp(dir=uploads)) / name
    with target.open("wb") as out:
        while chunk := file.file.read(1 << 20):
            out.write(chunk)

    def work(job: Job) -> dict[str, Any]:
        def progress(step: str, done: int) -> None:
            job.update(step=step, done=done)

        try:
            report = import_file(
                ws, table, target, create_customers=create_customers, progress=progress
            )
        finally:
            target.unlink(missing_ok=True)
            target.parent.rmdir()
        audit(ws, user.name, "import", {"table": table, "file": name})
        out = report.to_dict()
        out["quarantine"] = quarantine_rows(ws, table=table, limit=200, lang=lang)
        return out

    job = request.app.state.jobs.start("import", user.name, work, lang)
    if wait:
        request.app.state.jobs.wait(job)
    return job.to_dict()


@router.get("/quarantine", tags=["imports"])
def quarantine(
    request: Request,
    user: Reader,
    table: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    """Rejected rows and emptied values, with the reason in plain words."""
    rows = quarantine_rows(_ws(request), table=table, limit=limit, lang=request_lang(request))
    if not _personal(user):
        for row in rows:
            row["value"] = "***" if row.get("value") else row.get("value")
            row["record"] = None
    return rows


# -- runs ------------------------------------------------------------------------------


class RunRequest(BaseModel):
    as_of: str | None = None
    models: bool = True


@router.post("/runs", tags=["runs"], status_code=202)
def start_run(
    request: Request,
    user: Annotated[User, Depends(need("run"))],
    body: RunRequest | None = None,
    wait: bool = False,
) -> dict[str, Any]:
    """Start classifying every customer; poll ``/api/jobs/{id}`` for progress."""
    ws = _ws(request)
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


@router.get("/jobs/{job_id}", tags=["runs"])
def job_status(request: Request, job_id: str, _user: Reader) -> dict[str, Any]:
    job: dict[str, Any] | None = request.app.state.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "no_job", t("web.error.no_job", request_lang(request)))
    return job


@router.get("/runs", tags=["runs"])
def runs(request: Request, _user: Reader) -> list[dict[str, Any]]:
    """Every finished run, newest first."""
    return [run.summary() for run in list_runs(_ws(request))]


@router.get("/runs/{run_id}", tags=["runs"])
def run_detail(request: Request, run_id: str, _user: Reader) -> dict[str, Any]:
    """A run with its thresholds, counts and fitted models."""
    return _run(request, run_id).to_dict()


# -- segments --------------------------------------------------------------------------


@router.get("/segments", tags=["segments"])
def segment_counts(
    request: Request, _user: Reader, run: str | None = None, dimension: str | None = None
) -> dict[str, Any]:
    """Customers per label for each dimension (or one)."""
    try:
        return read.segments(_run(request, run), dimension, lang=request_lang(request))
    except ValueError as exc:
        raise ApiError(404, "unknown_dimension", str(exc)) from exc


@router.get("/segments/{dimension}/{label}/members", tags=["segments"])
def segment_members(
    request: Request,
    dimension: str,
    label: str,
    user: Reader,
    run: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=read.PAGE_MAX)] = 50,
    sort: str = "spend",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    q: Annotated[str | None, Query(max_length=100, description="id or name contains")] = None,
    city: str | None = None,
) -> dict[str, Any]:
    """One page of a segment's members, sorted and filtered."""
    lang = request_lang(request)
    if sort not in read.SORTABLE:
        raise ApiError(
            400, "bad_sort", t("web.error.bad_sort", lang, allowed=", ".join(read.MEMBER_COLUMNS))
        )
    found = _run(request, run)
    try:
        page = read.members(
            found,
            dimension,
            label,
            offset=offset,
            limit=limit,
            sort=sort,
            descending=order == "desc",
            search=q,
            search_names=_personal(user),  # viewers may not probe names
            city=city,
        )
    except KeyError as exc:
        raise ApiError(
            404, "unknown_segment", t("web.error.unknown_segment", lang, segment=str(exc))
        ) from exc
    if _personal(user):
        audit(_ws(request), user.name, "segment.read", {"segment": f"{dimension}={label}"})
    else:
        page["rows"] = [read.mask_personal(row) for row in page["rows"]]
    return page


@router.get("/segments/{dimension}/{label}/export", tags=["segments"])
def export(
    request: Request,
    dimension: str,
    label: str,
    user: Annotated[User, Depends(need("export"))],
    run: str | None = None,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
) -> FileResponse:
    """A segment's members with every label, as CSV or Excel."""
    ws = _ws(request)
    found = _run(request, run)
    folder = Path(tempfile.mkdtemp(dir=ws.tmp_dir))
    target = folder / f"{dimension}-{label}.{format}"
    try:
        count = reports.export_segment(found, dimension, label, target)
    except ValueError as exc:
        raise ApiError(404, "unknown_segment", str(exc)) from exc
    audit(ws, user.name, "export", {"segment": f"{dimension}={label}", "rows": count})

    def cleanup() -> None:
        target.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(target, filename=target.name, background=BackgroundTask(cleanup))


@router.get("/clusters", tags=["segments"])
def clusters(request: Request, _user: Reader, run: str | None = None) -> dict[str, Any]:
    """Discovered segments (k-means) of a run, described in words."""
    return reports.discovered_clusters(_run(request, run), lang=request_lang(request))


@router.get("/rfm", tags=["segments"])
def rfm(request: Request, _user: Reader, run: str | None = None) -> list[dict[str, Any]]:
    """Buyers per R and F score (the RFM grid)."""
    return read.rfm_grid(_run(request, run))


@router.get("/worklists/{team}", tags=["segments"])
def worklist(
    request: Request,
    team: str,
    _user: Reader,
    run: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """A team's actions, customer by customer, most urgent first."""
    if team not in ("marketing", "sales", "service"):
        raise ApiError(404, "unknown_team", t("web.error.unknown_team", request_lang(request)))
    return reports.worklist(_run(request, run), team, lang=request_lang(request), limit=limit)


@router.get("/history", tags=["segments"])
def history(
    request: Request,
    _user: Reader,
    dimension: str = "lifecycle",
    before: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """Customers moving between labels from one run to another (default: the last two)."""
    try:
        return reports.history(_ws(request), dimension, before=before, after=after)
    except ValueError as exc:
        raise ApiError(404, "unknown_dimension", str(exc)) from exc


# -- customers -------------------------------------------------------------------------


@router.get("/customers/{customer_id}", tags=["customers"])
def customer(
    request: Request, customer_id: str, user: Reader, run: str | None = None
) -> dict[str, Any]:
    """Attributes, labels with reasons and strategies, features, predictions, timeline."""
    lang = request_lang(request)
    data = read.profile(_run(request, run), customer_id, lang)
    if data is None:
        raise ApiError(404, "no_customer", t("web.error.no_customer", lang, id=customer_id))
    if _personal(user):
        audit(_ws(request), user.name, "customer.read", {"customer_id": customer_id})
    else:
        data["attributes"] = read.mask_personal(data["attributes"])
        data["features"] = read.mask_personal(data["features"])
    return data


# -- taxonomy --------------------------------------------------------------------------


class TaxonomyText(BaseModel):
    text: str


class RulePreview(BaseModel):
    rule: str
    dimension: str | None = None


@router.get("/taxonomy", tags=["taxonomy"])
def taxonomy(request: Request, _user: Reader) -> dict[str, Any]:
    """The workspace's taxonomy file, and its dimensions."""
    ws = _ws(request)
    current = pipeline.workspace_taxonomy(ws)
    return {
        "text": current.source_text,
        "version": current.fingerprint,
        "dimensions": [
            {
                "id": d.id,
                "zh": d.zh,
                "en": d.en,
                "type": d.type,
                "labels": [
                    {"id": lab.id, "zh": lab.zh, "en": lab.en, "when": lab.when} for lab in d.labels
                ],
            }
            for d in current.dimensions
        ],
    }


@router.post("/taxonomy/validate", tags=["taxonomy"])
def validate(body: TaxonomyText, _user: Reader) -> dict[str, Any]:
    """Check taxonomy text without saving it."""
    try:
        parsed = parse_taxonomy(body.text)
    except TaxonomyError as exc:
        return {"ok": False, "error": str(exc)}
    labels = sum(len(d.labels) for d in parsed.dimensions)
    return {"ok": True, "dimensions": len(parsed.dimensions), "labels": labels}


@router.put("/taxonomy", tags=["taxonomy"])
def save_taxonomy(
    request: Request, body: TaxonomyText, user: Annotated[User, Depends(need("taxonomy"))]
) -> dict[str, Any]:
    """Validate and save the taxonomy; the next run uses it."""
    from kequn.store.workspace import _atomic_write

    try:
        parsed = parse_taxonomy(body.text)
    except TaxonomyError as exc:
        raise ApiError(400, "invalid_taxonomy", str(exc)) from exc
    ws = _ws(request)
    _atomic_write(ws.taxonomy_path, body.text)
    audit(ws, user.name, "taxonomy.save", {"version": parsed.fingerprint})
    return {"ok": True, "version": parsed.fingerprint}


@router.post("/taxonomy/preview", tags=["taxonomy"])
def preview(
    request: Request, body: RulePreview, _user: Reader, run: str | None = None
) -> dict[str, Any]:
    """How many customers of the latest run a rule would match."""
    return read.preview(_run(request, run), body.rule, body.dimension)
