"""Journeys (``journeys.yaml``): the list, the file's editor with an audience preview,
switching one on or off, its delivery log and dead-letter replay, and its uplift; the API
under ``/api/journeys`` and the dashboard's ``/journeys`` pages.

Anyone signed in reads; changing the file takes the ``taxonomy`` permission (admins and
analysts, as for the taxonomy); replaying a dead letter is for admins. Customer ids in
the delivery log follow the personal-data rule of :mod:`kequn.web.personal`: shown and
audited for those who may see personal data, left out for the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from kequn import pipeline
from kequn.automation.deliver import replay as replay_message
from kequn.automation.journeys import Journey, Journeys, journeys_path
from kequn.automation.reasons import error_text
from kequn.core.i18n import t
from kequn.snapshots import lookup
from kequn.store.access import User, audit
from kequn.store.workspace import _atomic_write, exclusive
from kequn.web import journeys_text  # noqa: F401 - registers the journeys' messages
from kequn.web import journeys_view as view
from kequn.web.deps import PageUser, Reader, need, request_lang, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import hidden_literals, sees_personal
from kequn.web.render import error_page, render
from kequn.web.rule_privacy import masked_rule

router = APIRouter(prefix="/api", tags=["journeys"])
pages = APIRouter(include_in_schema=False)

Editor = Annotated[User, Depends(need("taxonomy", what="journeys"))]
LOG_LIMIT = 200
PAGE_LOG_LIMIT = 50  # the page shows the newest; the API gives up to 1,000


class JourneysText(BaseModel):
    text: str
    #: the version the text was edited from (``GET /api/journeys``); a save is refused
    #: when the file has changed since
    version: str | None = None


class PreviewRequest(BaseModel):
    #: the journeys text being edited (default: the saved file)
    text: str | None = None


class Enabled(BaseModel):
    enabled: bool


def _admin(request: Request, user: Reader) -> User:
    if user.role != "admin":
        lang = request_lang(request)
        raise ApiError(403, "forbidden", t("web.journeys.admin_only", lang, role=user.role))
    return user


Admin = Annotated[User, Depends(_admin)]


def _invalid(request: Request, problems: list[dict[str, Any]], status: int = 400) -> JSONResponse:
    lang = request_lang(request)
    lines = [_problem_text(p, lang) for p in problems]
    return JSONResponse(
        {
            "error": {
                "code": "invalid_journeys",
                "message": t("web.journeys.invalid", lang) + " " + "; ".join(lines),
                "problems": problems,
            }
        },
        status_code=status,
    )


def _problem_text(problem: dict[str, Any], lang: str) -> str:
    if problem.get("line"):
        return t("web.journeys.at_line", lang, line=problem["line"], error=problem["message"])
    return t("web.journeys.no_line", lang, error=problem["message"])


def _current(request: Request) -> tuple[str, Journeys | None, list[dict[str, Any]]]:
    """The saved text, its journeys (None when invalid) and its problems."""
    ws = workspace(request)
    text = view.read_text(ws)
    if not text.strip():
        return text, Journeys(), []
    found, problems = view.validate(text, pipeline.workspace_taxonomy(ws))
    return text, found, problems


def _segment_names(request: Request, lang: str) -> Any:
    """``lifecycle.dormant`` -> 生命周期：沉睡 / Lifecycle: Dormant, by the workspace's
    taxonomy (a trigger's target as the file names it, when the taxonomy does not know it)."""
    try:
        taxonomy = pipeline.workspace_taxonomy(workspace(request))
    except Exception:  # an edited taxonomy that does not load: the ids, as written
        return lambda target: target
    return lambda target: taxonomy.segment_name(*str(target).partition(".")[::2], lang)


def _listing(request: Request) -> dict[str, Any]:
    text, found, problems = _current(request)
    counts = view.outbox_counts(workspace(request))
    return {
        "text": text,
        "version": view.version(text),
        "problems": problems,
        "journeys": [view.summary(found, j, counts.get(j.id)) for j in found.journeys]
        if found
        else [],
    }


def _for(request: Request, user: User, data: dict[str, Any]) -> dict[str, Any]:
    """The listing as ``user`` may see it: the file's text (channel hosts, accounts, webhook
    URLs that may carry a credential, secret variable names) only for those who may edit;
    the values the journeys' rules compare a personal field with only for those who see
    personal data."""
    if not user.can("taxonomy"):
        data = {**data, "text": ""}
    return {**data, "journeys": [_rules_for(request, user, j) for j in data["journeys"]]}


def _rules_for(request: Request, user: User, item: dict[str, Any]) -> dict[str, Any]:
    """One journey's summary (:func:`view.summary`) with its trigger's and audience's
    personal literals masked for readers without personal data."""
    trigger = item["trigger"]
    hidden = hidden_literals(request, user, [trigger.get("rule"), item.get("audience")])
    if not hidden:
        return item
    return {
        **item,
        "trigger": {**trigger, "rule": masked_rule(trigger.get("rule"), hidden)},
        "audience": masked_rule(item.get("audience"), hidden),
    }


@router.get("/journeys")
def list_journeys(request: Request, user: Reader) -> dict[str, Any]:
    """The journeys with their messages per status, the file's text (for editors) and its
    version."""
    return _for(request, user, _listing(request))


@router.post("/journeys/validate")
def validate(request: Request, body: JourneysText, _user: Editor) -> dict[str, Any]:
    """Check journeys text without saving it: every problem with its line."""
    found, problems = view.validate(body.text, pipeline.workspace_taxonomy(workspace(request)))
    lang = request_lang(request)
    if found is None:
        return {
            "ok": False,
            "problems": [{**p, "text": _problem_text(p, lang)} for p in problems],
        }
    counts = {"journeys": len(found.journeys), "channels": len(found.channels)}
    # said here, where a count's noun takes its number ("1 channels" was filled in the page)
    return {"ok": True, **counts, "message": t("web.journeys.valid", lang, **counts)}


@router.put("/journeys", response_model=None)
def save(request: Request, body: JourneysText, user: Editor) -> dict[str, Any] | JSONResponse:
    """Check and save ``journeys.yaml`` (atomically); the next run uses it."""
    ws = workspace(request)
    found, problems = view.validate(body.text, pipeline.workspace_taxonomy(ws))
    if found is None:
        return _invalid(request, problems)
    with exclusive(_lock(request), 30):
        saved_text = view.read_text(ws)
        if body.version is not None and body.version != view.version(saved_text):
            raise ApiError(409, "changed", t("web.journeys.changed", request_lang(request)))
        if user.role != "admin" and found.channels != _saved_channels(saved_text, ws):
            # a channel names a destination and a secret to read: an analyst who could
            # write one could send the server's secrets to a host of their choosing
            lang = request_lang(request)
            raise ApiError(403, "channels_admin_only", t("web.journeys.channels_admin", lang))
        _atomic_write(journeys_path(ws), body.text)
    audit(ws, user.name, "journeys.save", {"journeys": len(found.journeys)})
    return {"ok": True, "version": view.version(body.text), "journeys": len(found.journeys)}


def _saved_channels(text: str, ws: Any) -> dict[str, Any] | None:
    """The channels of the saved file (None when it has none or is broken: then any
    channel is a change)."""
    found, _ = view.validate(text, pipeline.workspace_taxonomy(ws)) if text.strip() else (None, [])
    return dict(found.channels) if found is not None else None


def _lock(request: Request) -> Path:
    folder = workspace(request).root / "locks"
    folder.mkdir(exist_ok=True)
    return folder / "journeys.lock"


def _journey_or_404(request: Request, found: Journeys | None, journey_id: str) -> Journey:
    journey = found.journey(journey_id) if found else None
    if journey is None:
        lang = request_lang(request)
        raise ApiError(404, "no_journey", t("web.journeys.unknown", lang, id=journey_id))
    return journey


@router.post("/journeys/{journey_id}/enabled", response_model=None)
def set_enabled(
    request: Request, journey_id: str, body: Enabled, user: Editor
) -> dict[str, Any] | JSONResponse:
    """Switch a journey on or off in ``journeys.yaml`` (its comments and layout kept)."""
    ws = workspace(request)
    taxonomy = pipeline.workspace_taxonomy(ws)
    with exclusive(_lock(request), 30):
        text = view.read_text(ws)
        found, problems = view.validate(text, taxonomy)
        if found is None:
            return _invalid(request, problems, 409)
        _journey_or_404(request, found, journey_id)
        edited = view.set_enabled(text, journey_id, body.enabled)
        after, problems = view.validate(edited, taxonomy)
        changed = after.journey(journey_id) if after else None
        if changed is None or changed.enabled != body.enabled:  # never write a broken file
            return _invalid(request, problems, 500)
        _atomic_write(journeys_path(ws), edited)
    audit(ws, user.name, "journeys.enabled", {"journey": journey_id, "enabled": body.enabled})
    return {"ok": True, "enabled": body.enabled, "version": view.version(edited)}


@router.post("/journeys/{journey_id}/preview", response_model=None)
def preview(
    request: Request, journey_id: str, body: PreviewRequest, _user: Editor
) -> dict[str, Any] | JSONResponse:
    """How many customers of the latest run the journey (as edited, or as saved) would
    choose, and what would become of them: sent, held out, no consent, capped… Only for
    those who may edit: an audience rule can name personal fields."""
    ws = workspace(request)
    run = lookup.ready_run(ws)
    if run is None:
        lang = request_lang(request)
        raise ApiError(404, "no_run", t("web.journeys.preview_none", lang))
    text = body.text if body.text is not None else view.read_text(ws)
    # the rules are compiled on the run's labels, so checked against the run's taxonomy
    found, problems = view.validate(text, run.taxonomy())
    if found is None:
        return _invalid(request, problems)
    journey = _journey_or_404(request, found, journey_id)
    return view.preview(ws, run, found, journey)


@router.get("/journeys/{journey_id}/messages")
def messages(
    request: Request,
    journey_id: str,
    user: Reader,
    status: Annotated[str | None, Query(pattern="^(pending|sending|sent|dead|cancelled)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = LOG_LIMIT,
) -> dict[str, Any]:
    """The journey's delivery log, newest first: status, tries, last error, times; the
    customer id only for those who may see personal data (and then audited)."""
    return _log(request, user, journey_id, status, limit)


def _log(
    request: Request, user: User, journey_id: str, status: str | None, limit: int
) -> dict[str, Any]:
    ws = workspace(request)
    personal = sees_personal(user)
    rows = view.delivery_log(ws, journey_id, status=status, limit=limit, personal=personal)
    lang = request_lang(request)
    for row in rows:  # last_error as stored (for scripts), error_text in the reader's words
        row["error_text"] = error_text(row["last_error"], lang)
    if not rows and status is None:
        _known_or_404(request, journey_id)
    if personal and rows:
        audit(ws, user.name, "journeys.messages.read", {"journey": journey_id, "rows": len(rows)})
    return {"journey": journey_id, "personal": personal, "messages": rows}


@router.post("/journeys/messages/{message_id}/replay")
def replay(request: Request, message_id: str, user: Admin) -> dict[str, Any]:
    """Queue a dead-lettered message again, due now, its attempts reset (admins)."""
    ws = workspace(request)
    journey_id = view.message_journey(ws, message_id)
    if journey_id is None or not replay_message(ws, message_id):
        lang = request_lang(request)
        raise ApiError(409, "not_dead", t("web.journeys.not_dead", lang, id=message_id))
    audit(ws, user.name, "journeys.replay", {"journey": journey_id, "message": message_id})
    return {"ok": True, "journey": journey_id, "message_id": message_id}


@router.get("/journeys/{journey_id}/uplift")
def uplift(request: Request, journey_id: str, _user: Reader) -> dict[str, Any]:
    """Treated against holdout: conversion and revenue per customer with 95% intervals
    (:mod:`kequn.automation.report`); ``found`` is false before any assignment."""
    found = view.uplift(workspace(request), journey_id, request_lang(request))
    if found is None:
        _known_or_404(request, journey_id)
    return {"journey": journey_id, "found": found is not None, "uplift": found}


def _known_or_404(request: Request, journey_id: str) -> None:
    """A 404 for a journey neither defined now nor with anything kept (a journey taken
    out of the file keeps its log and its uplift). With a file that does not validate,
    what is defined is not known: no 404 then."""
    _, found, _ = _current(request)
    if found is not None and found.journey(journey_id) is None:
        lang = request_lang(request)
        raise ApiError(404, "unknown_journey", t("web.journeys.unknown", lang, id=journey_id))


# -- pages -------------------------------------------------------------------------------
@pages.get("/journeys")
def journeys_page(request: Request, user: PageUser) -> HTMLResponse:
    data = _for(request, user, _listing(request))
    lang = request_lang(request)
    return render(
        request,
        "journeys.html",
        user,
        data=data,
        problems=[_problem_text(p, lang) for p in data["problems"]],
        segment=_segment_names(request, lang),
    )


@pages.get("/journeys/{journey_id}")
async def journey_page(request: Request, journey_id: str, user: PageUser) -> HTMLResponse:
    return await run_in_threadpool(_journey_page, request, journey_id, user)


def _journey_page(request: Request, journey_id: str, user: User) -> HTMLResponse:
    lang = request_lang(request)
    text, found, problems = _current(request)
    journey = found.journey(journey_id) if found else None
    if found is not None and journey is None:
        message = t("web.journeys.unknown", lang, id=journey_id)
        return error_page(request, user, message, 404)
    ws = workspace(request)
    counts = view.outbox_counts(ws).get(journey_id)
    item = (
        _rules_for(request, user, view.summary(found, journey, counts))
        if found and journey
        else None
    )
    log = _log(request, user, journey_id, None, PAGE_LOG_LIMIT)
    run = lookup.ready_run(ws, wait=False)
    return render(
        request,
        "journey.html",
        user,
        journey_id=journey_id,
        item=item,
        text=text if user.can("taxonomy") else "",
        version=view.version(text),
        problems=[_problem_text(p, lang) for p in problems],
        log=log,
        run=run,
        uplift=view.uplift(ws, journey_id, lang),
        outcomes=view.OUTCOMES,
        segment=_segment_names(request, lang),
    )
