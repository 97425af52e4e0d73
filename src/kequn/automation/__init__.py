"""Marketing automation: act on segment changes (issue 17).

After every published run (an :func:`kequn.pipeline.after_publish` hook installed by
:func:`install`, which the CLI and the server call at start-up) the run's enter/exit
events are computed against the previous run and each journey in ``journeys.yaml``
chooses its customers and queues its messages, all in one transaction in
``automation/automation.duckdb``; then each team's digest of the movements that matter
to it is queued (:mod:`.digest`); last, the runs and then the segment events the
workspace's retention periods no longer keep are removed (:func:`prune_runs`,
:func:`prune_events`). ``kequn deliver`` sends the messages (:mod:`.deliver`, with
group robots in :mod:`.robots`), ``kequn journeys report`` measures treated against
holdout (:mod:`.report`).

The pipeline does not know this package: it only runs the hooks registered with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kequn.core import interrupts
from kequn.snapshots.runs import RunInfo

__all__ = ["install", "on_publish", "prune_events", "prune_runs", "rules_held"]

log = logging.getLogger("kequn.automation")


def rules_held(summary: dict[str, Any]) -> str:
    """What :func:`~kequn.automation.plan.process_run` held back because rules changed
    (its ``rules_changed_skipped``), as a sentence in the current language."""
    from kequn.core.i18n import t

    return t(
        "automation.rules_held",
        dimensions=", ".join(summary.get("rules_changed") or []),
        journeys=", ".join(summary.get("rules_changed_skipped") or []),
        run=summary.get("run_id", ""),
    )


def on_publish(run: RunInfo, _who: str) -> None:
    """The after-publish hook: events, journeys and team digests for the new run. A
    failure is logged (the run stays published; ``kequn journeys process --run RUN``
    catches up)."""
    from kequn.automation.digest import build_digests
    from kequn.automation.plan import process_run

    try:
        processed = process_run(run)
    except Exception:
        # Ctrl-C in a query is DuckDB's "Query interrupted": the command's end, not a
        # failure to log with its traceback (and carry on from, exiting 0)
        interrupts.check()
        log.exception("automation: run %s was not processed", run.run_id)
        return
    if processed.get("rules_changed_skipped"):
        log.warning("%s", rules_held(processed))
    try:
        summary = build_digests(run)
    except Exception:
        interrupts.check()
        log.exception("automation: run %s: team digests were not built", run.run_id)
        return
    if summary.get("error"):
        log.error("automation: run %s: team digests: %s", run.run_id, summary["error"])


def prune_runs(run: RunInfo, who: str) -> None:
    """The after-publish hook that follows :func:`on_publish` (whose events compare the
    run with the one before): the runs the workspace's retention policy no longer keeps
    are removed (``keep_runs_days`` under ``[run]``; 0, the default, keeps every run).
    A failure is logged; the run stays published."""
    from kequn.automation.retention import prune_runs as prune

    removed = _pruned(run, "runs", lambda: len(prune(run.workspace, who=who)))
    if removed:
        log.info("retention: %d runs removed after run %s", removed, run.run_id)


def prune_events(run: RunInfo, who: str) -> None:
    """The after-publish hook that follows :func:`prune_runs`: the segment events older
    than the workspace's ``keep_events_days`` under ``[run]`` are removed (0, the
    default, keeps every event). A failure is logged; the run stays published."""
    from kequn.automation.retention import prune_events as prune

    removed = _pruned(run, "events", lambda: prune(run.workspace, who=who))
    if removed:
        log.info("retention: %d segment events removed after run %s", removed, run.run_id)


def _pruned(run: RunInfo, what: str, prune: Callable[[], int]) -> int:
    """How many ``prune`` removed; 0 with the failure logged (a setting to correct in
    words, anything else with its traceback)."""
    from kequn.store.workspace import WorkspaceError

    try:
        return prune()
    except WorkspaceError as exc:
        log.error("automation: %s not pruned after run %s: %s", what, run.run_id, exc)
    except Exception:
        interrupts.check()  # Ctrl-C (see on_publish)
        log.exception("automation: %s not pruned after run %s", what, run.run_id)
    return 0


def install() -> None:
    """Register :func:`on_publish`, then :func:`prune_runs` and :func:`prune_events`,
    with the pipeline (idempotent)."""
    from kequn.automation import digest, drops
    from kequn.automation.db import carry_opt_outs, erase
    from kequn.automation.unsubscribe import carry_addresses
    from kequn.pipeline import after_publish
    from kequn.privacy import before_erase, before_erase_contacts, on_erase

    after_publish(on_publish)
    after_publish(prune_runs)
    after_publish(prune_events)
    on_erase(digest.erase)  # ids in team digests' examples, before the file is rewritten
    before_erase(carry_opt_outs)  # an opt-out holds for the records an erasure leaves
    before_erase_contacts(carry_addresses)  # and the erased addresses, under any id
    on_erase(drops.erase)  # drop files, from the outbox's file messages: before those go
    on_erase(erase)  # an erasure reaches the outbox, events and opt-outs too
