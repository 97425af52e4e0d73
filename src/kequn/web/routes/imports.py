"""Uploading files into the workspace's tables, and the rows an import rejected."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kequn.core.i18n import t
from kequn.core.schema import TABLES
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.summary import found
from kequn.store.access import User, audit
from kequn.web.deps import Reader, need, request_lang, workspace
from kequn.web.errors import ApiError
from kequn.web.jobs import Job, without_personal
from kequn.web.personal import personal_view, sees_personal

router = APIRouter(prefix="/api", tags=["imports"])

# an uploaded file keeps its name (the validation report shows it), minus anything that
# could leave the upload folder or trouble a shell
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._\-\u4e00-\u9fff]+")


@router.post("/imports/{table}", status_code=202)
def upload(
    request: Request,
    table: str,
    user: Annotated[User, Depends(need("import"))],
    file: Annotated[UploadFile, File(description="CSV, Excel (.xlsx, .xls) or Parquet")],
    create_customers: bool | None = None,
    wait: Annotated[bool, Query(description="answer when the import has finished")] = False,
    encoding: Annotated[
        str | None, Query(max_length=40, description="the text's encoding (gbk, utf-8...)")
    ] = None,
    format: Annotated[
        str | None, Query(max_length=40, description="a platform's export (taobao, jd...)")
    ] = None,
    sheet: Annotated[str | None, Query(max_length=200, description="a workbook's sheet")] = None,
    header_row: Annotated[
        int | None, Query(ge=1, le=10_000, description="the line of the header row")
    ] = None,
    source: Annotated[
        str | None,
        Query(
            pattern=r"^[a-z][a-z0-9_]{0,39}$",
            description="the source the rows are, their ids stored as SOURCE:ID (--source)",
        ),
    ] = None,
    no_source: Annotated[
        bool, Query(description="keep the ids as given, with no source (--no-source)")
    ] = False,
    columns: Annotated[
        str | None,
        Form(
            max_length=100_000,
            description='which header holds each column, as JSON: {"customer_id": "会员编号"}',
        ),
    ] = None,
) -> JSONResponse:
    """Upload a file and import it; the job's result is the validation report. The
    options are the command's (``kequn import --encoding --format --sheet --header-row
    --source --no-source``); ``columns`` is what a mapping file's ``columns:`` says
    (``--mapping``).
    A file lacking required columns fails with the job's ``wanted``: the columns missing
    and the file's headers, to choose from and upload again with ``columns``."""
    from kequn.ingest.importer import import_file
    from kequn.ingest.mapping import MappingFile

    lang = request_lang(request)
    if table not in TABLES:
        raise _unknown_table("web.error.unknown_table", table, lang)
    if source and no_source:  # as the command refuses them (the source won unsaid)
        shown = _CONTROL.sub("?", source)[:_SHOWN_NAME]
        raise ApiError(
            422, "source_and_no_source", t("import.source_and_no_source", lang, source=shown)
        )
    chosen = _columns(table, columns, lang)
    mapping = MappingFile(columns=dict(chosen), name="columns") if chosen else None
    ws = workspace(request, strict=True)
    name = _upload_name(file.filename, lang)
    uploads = ws.tmp_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=uploads))
    target = folder / name
    try:
        with target.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if sheet:
        from kequn.ingest.file_kind import has_sheets

        if has_sheets(target) is False:  # a text file's or Parquet's: ignored unsaid
            shutil.rmtree(folder, ignore_errors=True)
            said = t("import.sheet_without_sheets", lang, option="sheet", file=name)
            raise ApiError(422, "sheet_without_sheets", said)

    def work(job: Job) -> dict[str, Any]:
        def progress(step: str, done: int) -> None:
            job.update(step=step, done=done)

        try:
            report = import_file(
                ws,
                table,
                target,
                mapping=mapping,
                create_customers=create_customers,
                progress=progress,
                encoding=encoding or None,
                format=format or None,
                sheet=sheet or None,
                header_row=header_row,
                origin=source or None,
                default_origin=not no_source,
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        audit(ws, user.name, "import", {"table": table, "file": name})
        out = report.to_dict()
        # what `kequn import` says before its counts (the format, the notes to heed, the
        # columns' use), in the request's language
        out["said"] = [{"text": line.text, "warn": line.warn} for line in found(report, lang)]
        # a header alone (an empty template): said, not only a green "0 rows"
        if not (report.rows or report.refund_rows or report.skipped):
            out["said"].append({"text": t("web.upload.no_rows", lang, file=name), "warn": True})
        out["quarantine"] = quarantine_rows(ws, table=table, limit=200, lang=lang)
        return out

    job = request.app.state.jobs.start("import", user.name, work, lang)
    return request.app.state.jobs.answer(job, wait)


#: the most of a table name that was asked for that an error quotes
_SHOWN_NAME = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _unknown_table(key: str, table: str, lang: str) -> ApiError:
    """The 404 of a table that is none of the workspace's, quoting what was asked for
    short and without control characters (a path's NUL, a 100,000-character name)."""
    shown = _CONTROL.sub("?", table)
    if len(shown) > _SHOWN_NAME:
        shown = shown[:_SHOWN_NAME] + "…"
    return ApiError(404, "unknown_table", t(key, lang, table=shown))


def _columns(table: str, given: str | None, lang: str) -> dict[str, str]:
    """The ``columns`` field: a JSON object of the table's column names, each to one of
    the file's headers (text); anything else is a 400 that says what it should be."""
    if not given:
        return {}
    names = [c.name for c in TABLES[table].columns]
    known = ", ".join(names)
    bad = ApiError(400, "bad_columns", t("web.error.bad_columns", lang, columns=known))
    try:
        data = json.loads(given)
    except ValueError:
        raise bad from None
    if not isinstance(data, dict) or not data:
        raise bad
    if not _whole(json.dumps(data, ensure_ascii=False)):
        # "\\ud800" in the JSON: half a pair, which no file's header holds and no answer
        # can quote (an error naming it could not be written out as UTF-8)
        raise ApiError(400, "invalid_text", t("web.error.half_pair", lang))
    for name, header in data.items():
        if name not in names:
            raise ApiError(
                400, "unknown_column", t("web.error.unknown_column", lang, name=name, columns=known)
            )
        # (a header as long as the field allows: the failed job offered the file's
        # headers whole, and a header of 10,000 characters chosen from them was refused)
        if not isinstance(header, str) or not header.strip():
            raise bad
    return dict(data)


def _whole(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (no half of a UTF-16 surrogate pair)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _upload_name(given: str | None, lang: str) -> str:
    """The name an upload is kept under: a plain file name, or a 400."""
    given = given or "upload"
    if "/" in given or "\\" in given or "\x00" in given:
        raise ApiError(400, "bad_file_name", t("web.error.bad_file_name", lang))
    name = _SAFE_NAME.sub("_", given)[-120:]
    # a file system takes 255 bytes of a name, not characters: 120 汉字 are 360 bytes in
    # UTF-8 (ENAMETOOLONG, a 500); the end is kept, where the suffix that says the kind is
    while len(name.encode("utf-8")) > _NAME_BYTES:
        name = name[1:]
    if not name.strip("._"):
        raise ApiError(400, "bad_file_name", t("web.error.bad_file_name", lang))
    return name


#: the most bytes of an upload's name kept (file systems take 255; room for the suffix
#: a temporary copy may add)
_NAME_BYTES = 200


#: the most status words one retry may give a meaning
MAX_WORDS = 500


class RetryRequest(BaseModel):
    """What ``kequn quarantine retry`` is given: the table, and a mapping file's
    ``statuses:`` (``{"待发货": "paid"}``: what an export's own status words mean)."""

    table: str = "orders"
    statuses: dict[str, str] = Field(default_factory=dict)
    create_customers: bool | None = None


@router.post("/quarantine/retry", status_code=202)
def retry_quarantined(
    request: Request,
    body: RetryRequest,
    user: Annotated[User, Depends(need("import"))],
    wait: Annotated[bool, Query(description="answer when the retry has finished")] = False,
) -> JSONResponse:
    """Read the quarantined rows of a table again, with the status words' meanings given,
    as ``kequn quarantine retry --mapping`` does (no re-upload): rows that now pass are
    imported and leave the quarantine. The job's result sums the files' reports."""
    from kequn.core.schema import ORDER_STATUSES
    from kequn.ingest.mapping import MappingFile
    from kequn.ingest.quarantine import retry

    lang = request_lang(request)
    if body.table not in TABLES:
        raise _unknown_table("web.error.unknown_table", body.table, lang)
    allowed = ", ".join(ORDER_STATUSES)
    words: dict[str, str] = {}
    for word, status in body.statuses.items():
        # " 待发货" and "待发货 " are one word: given two meanings, neither is chosen
        if words.setdefault(word.strip(), status) != status:
            shown = word.strip()[:200]
            raise ApiError(400, "bad_statuses", t("web.error.status_twice", lang, word=shown))
    if len(words) > MAX_WORDS or any(
        not word or len(word) > 200 or status not in ORDER_STATUSES
        for word, status in words.items()
    ):
        raise ApiError(400, "bad_statuses", t("web.error.bad_statuses", lang, allowed=allowed))
    mapping = MappingFile(statuses=words, name="statuses") if words else None
    ws = workspace(request, strict=True)

    def work(job: Job) -> dict[str, Any]:
        job.update(step="validate")
        reports = retry(ws, body.table, mapping=mapping, create_customers=body.create_customers)
        audit(ws, user.name, "quarantine.retry", {"table": body.table, "files": len(reports)})
        totals = {
            name: sum(int(getattr(r, name)) for r in reports)
            for name in ("rows", "accepted", "rejected")
        }
        # (each file's report as a job keeps one: its examples without their values)
        return {**totals, "files": [without_personal(r.to_dict()) for r in reports]}

    job = request.app.state.jobs.start("import", user.name, work, lang)
    return request.app.state.jobs.answer(job, wait)


@router.get("/quarantine")
def quarantine(
    request: Request,
    user: Reader,
    table: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[dict[str, Any]]:
    """Rejected rows and emptied values, with the reason in plain words."""
    lang = request_lang(request)
    if table is not None and table not in TABLES:
        raise _unknown_table("web.error.no_table", table, lang)
    # the column as the user knows it (the file's header and 下单时间 / order time, not
    # ordered_at), and for one who may not see personal data the messages written with
    # the values masked (personal_view masks them again)
    masked = not sees_personal(user)
    rows = quarantine_rows(workspace(request), table=table, limit=limit, lang=lang, masked=masked)
    return personal_view(request, user, rows, "quarantine.read", {"table": table})
