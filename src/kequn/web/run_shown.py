"""Which run a dashboard page shows, and what the page says and links with it.

A page showing one run's data (the overview, a segment's members, a customer, a
worklist) takes ``?run=`` as the API's routes do (an id or a unique prefix; empty or
absent: the current run, :func:`kequn.snapshots.runs.current_run`), and answers one that
names no run as they do (:func:`kequn.web.deps.no_such_run`: 404, or 409 for a prefix
several runs share), as the error page in a browser. A run named is kept in the links
between those pages, and a page showing a run other than the current one says so, with
a link to the current one.

Any run is read as the API reads it (:func:`kequn.snapshots.lookup.ready_run`): from
its lookup files once built, else from its own Parquet and the workspace's tables up to
its date. Only the latest runs by as-of date ever get lookup files
(:func:`kequn.snapshots.lookup.later`), so reading an old run builds nothing, and no
build for it can prune the current run's.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from fastapi import Request

from kequn.snapshots import lookup
from kequn.snapshots.runs import RunInfo, current_run, list_runs
from kequn.web.deps import no_such_run, workspace
from kequn.web.errors import PageError


@dataclass(frozen=True)
class Shown:
    """The run a page shows; ``current``, the workspace's current run; ``named``, the
    run's id when the page's ``?run=`` named it (then carried in the page's links)."""

    run: RunInfo
    current: RunInfo
    named: str | None

    @property
    def is_current(self) -> bool:
        return self.run.run_id == self.current.run_id

    def link(self, href: str) -> str:
        """``href`` (a page of this dashboard) showing the same run: with ``run=`` when
        the page was asked for one by name."""
        if self.named is None:
            return href
        return href + ("&" if "?" in href else "?") + urlencode({"run": self.named})


def shown_run(request: Request, run_id: str | None) -> Shown | None:
    """The run ``?run=`` names (empty or None: the current one); None before any run; a
    :class:`~kequn.web.errors.PageError` when no one run has that id or prefix."""
    run_id = run_id or None
    ws = workspace(request)
    run = lookup.ready_run(ws, run_id)
    if run is None:
        if run_id is None:
            return None
        raise no_such_run(request, run_id, PageError)
    if run_id is None:
        return Shown(run, run, None)
    return Shown(run, current_run(ws, list_runs(ws)) or run, run.run_id)


def current_href(request: Request) -> str:
    """This page, showing the current run: its path, without ``run`` (or ``page``: a
    page past the current run's end) in its query."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("run", "page")]
    # the path as decoded, encoded again (the URL's own would end at a "#" in an id)
    path = quote(request.scope.get("root_path", "") + request.scope["path"], safe="/")
    return path + (f"?{urlencode(kept)}" if kept else "")
