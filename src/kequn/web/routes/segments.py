"""Segments of a run: counts, members, exports, clusters, the RFM grid, worklists and
movement between runs."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from kequn.core.display import header_mode
from kequn.core.i18n import t
from kequn.snapshots import read, reports
from kequn.snapshots.linked import UnknownSourceError
from kequn.store.access import User, audit
from kequn.web.deps import (
    TEAM_NAMES,
    Reader,
    need,
    no_such_run,
    request_lang,
    run_or_404,
    workspace,
)
from kequn.web.errors import ApiError
from kequn.web.personal import member_search, personal_view, sees_personal, shown_ids

router = APIRouter(prefix="/api", tags=["segments"])

#: beyond any segment; larger offsets are refused rather than sent to DuckDB
MAX_OFFSET = 1_000_000_000


@router.get("/segments")
def segment_counts(
    request: Request,
    _user: Reader,
    run: str | None = None,
    dimension: str | None = None,
    source: Annotated[
        str | None, Query(max_length=40, description="only members with records from it")
    ] = None,
) -> dict[str, Any]:
    """Customers per label for each dimension (or one); with ``source``, of the members
    having records from that source only."""
    lang = request_lang(request)
    try:  # an empty value asks for no filter, as for ``run`` and ``dimension``
        found = run_or_404(request, run)
        return read.segments(found, dimension or None, lang=lang, source=source or None)
    except UnknownSourceError as exc:
        raise ApiError(404, "unknown_source", str(exc)) from exc
    except ValueError as exc:
        raise ApiError(404, "unknown_dimension", str(exc)) from exc


@router.get("/segments/{dimension}/{label}/members")
def segment_members(
    request: Request,
    dimension: str,
    label: str,
    user: Reader,
    run: str | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=read.PAGE_MAX)] = 50,
    sort: str = "spend",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
    q: Annotated[str | None, Query(max_length=100, description="id or name contains")] = None,
    city: str | None = None,
) -> dict[str, Any]:
    """One page of a segment's members, sorted and filtered."""
    lang = request_lang(request)
    # a viewer sorting by name would learn the names' order, masked or not; by id, the
    # real ids' order behind the tokens (the k-th of ids numbered in sequence)
    sortable: tuple[str, ...] = read.MEMBER_COLUMNS
    sort = sort or "spend"  # sent empty: not given, as run=, q= and city=
    if not sees_personal(user):
        sortable = tuple(c for c in sortable if c not in read.PERSONAL | {"customer_id"})
    if sort not in sortable:
        raise ApiError(400, "bad_sort", t("web.error.bad_sort", lang, allowed=", ".join(sortable)))
    found = run_or_404(request, run)
    search, only_id = member_search(request, user, q)  # a viewer's: a token, opened
    try:
        page = read.members(
            found,
            dimension,
            label,
            offset=offset,
            limit=limit,
            sort=sort,
            descending=order == "desc",
            search=search,
            search_names=sees_personal(user),  # viewers may not probe names
            city=city,
            only_id=only_id,
        )
    except KeyError as exc:
        segment = f"{dimension}={label}"
        raise ApiError(
            404, "unknown_segment", t("web.error.unknown_segment", lang, segment=segment)
        ) from exc
    return personal_view(request, user, page, "segment.read", {"segment": f"{dimension}={label}"})


@router.get("/segments/{dimension}/{label}/export")
def export(
    request: Request,
    dimension: str,
    label: str,
    user: Annotated[User, Depends(need("export"))],
    run: str | None = None,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",
    headers: Annotated[
        str,
        Query(
            max_length=40,
            description=(
                "ids (machine-readable: column ids, codes, true/false), or zh / en (as "
                "lang= takes them: ZH, zh-CN, en-US): the columns, labels, named codes "
                "and yes/no in that language"
            ),
        ),
    ] = "ids",
) -> FileResponse:
    """A segment's members with every label, as CSV or Excel (``headers``: as
    ``kequn export --headers``, through the same function; the dashboard's buttons ask
    for its language's names)."""
    mode = header_mode(headers)
    if mode is None:
        said = t("web.error.bad_headers", request_lang(request), value=headers)
        raise ApiError(422, "bad_headers", said)
    ws = workspace(request)
    found = run_or_404(request, run)
    folder = Path(tempfile.mkdtemp(dir=ws.tmp_dir))
    target = folder / f"{dimension}-{label}.{format}"
    try:
        count = reports.export_segment(found, dimension, label, target, headers=mode)
    except (KeyError, ValueError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        segment = f"{dimension}={label}"
        lang = request_lang(request)
        raise ApiError(
            404, "unknown_segment", t("web.error.unknown_segment", lang, segment=segment)
        ) from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    audit(ws, user.name, "export", {"segment": f"{dimension}={label}", "rows": count})

    def cleanup() -> None:
        target.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(target, filename=target.name, background=BackgroundTask(cleanup))


@router.get("/clusters")
def clusters(request: Request, _user: Reader, run: str | None = None) -> dict[str, Any]:
    """Discovered segments (k-means) of a run, described in words."""
    return reports.discovered_clusters(run_or_404(request, run), lang=request_lang(request))


@router.get("/rfm")
def rfm(request: Request, _user: Reader, run: str | None = None) -> list[dict[str, Any]]:
    """Buyers per R and F score (the RFM grid)."""
    return read.rfm_grid(run_or_404(request, run))


@router.get("/worklists/{team}")
def worklist(
    request: Request,
    team: str,
    user: Reader,
    run: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """A team's actions, customer by customer, most urgent first."""
    if team not in TEAM_NAMES:
        raise ApiError(404, "unknown_team", t("web.error.unknown_team", request_lang(request)))
    found = run_or_404(request, run)
    items = reports.worklist(found, team, lang=request_lang(request), limit=limit)
    audit(workspace(request), user.name, "worklist.read", {"team": team, "run": found.run_id})
    return shown_ids(request, user, items)  # a viewer's ids are tokens


@router.get("/history")
def history(
    request: Request,
    _user: Reader,
    dimension: str = "lifecycle",
    before: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """Customers moving between labels from one run to another (default: the last two);
    a side (or the dimension) sent empty is one not given, as an empty ``run`` is
    everywhere."""
    ws, lang = workspace(request), request_lang(request)
    dimension = dimension or "lifecycle"
    before, after = _run_side("before", before, lang), _run_side("after", after, lang)
    for run_id in (before, after):
        # as every route's run: one run, else a 404 (none) or a 409 (several)
        if run_id and len(read.matching_runs(ws, run_id)) != 1:
            raise no_such_run(request, run_id)
    try:
        return reports.history(ws, dimension, before=before, after=after, lang=lang)
    except ValueError as exc:
        raise ApiError(404, "unknown_dimension", str(exc)) from exc


#: what a run's id (``20260930-061500-20260930-a1b2``) or a prefix of one can be; any
#: other text names no run and is said to be no id (422) rather than looked for
_RUN_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _run_side(name: str, value: str | None, lang: str) -> str | None:
    """``value`` of the parameter ``name`` (``before`` or ``after``): None when absent or
    empty; a JSON 422 naming the parameter when no run's id could be it."""
    if not value:
        return None
    if not _RUN_ID.fullmatch(value):
        said = t("web.error.invalid_run", lang, parameter=name, value=value[:80])
        raise ApiError(422, "invalid_run", said)
    return value
