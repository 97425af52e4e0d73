"""Marketing automation: act on segment changes (issue 17).

After every published run (an :func:`kequn.pipeline.after_publish` hook installed by
:func:`install`, which the CLI and the server call at start-up) the run's enter/exit
events are computed against the previous run and each journey in ``journeys.yaml``
chooses its customers and queues its messages, all in one transaction in
``automation/automation.duckdb``; then each team's digest of the movements that matter
to it is queued (:mod:`.digest`). ``kequn deliver`` sends them (:mod:`.deliver`, with
group robots in :mod:`.robots`), ``kequn journeys report`` measures treated against
holdout (:mod:`.report`).

The pipeline does not know this package: it only runs the hooks registered with it.
"""

from __future__ import annotations

import logging

from kequn.snapshots.runs import RunInfo

__all__ = ["install", "on_publish"]

log = logging.getLogger("kequn.automation")


def on_publish(run: RunInfo, _who: str) -> None:
    """The after-publish hook: events, journeys and team digests for the new run. A
    failure is logged (the run stays published; ``kequn journeys process --run RUN``
    catches up)."""
    from kequn.automation.digest import build_digests
    from kequn.automation.plan import process_run

    try:
        process_run(run)
    except Exception:
        log.exception("automation: run %s was not processed", run.run_id)
        return
    try:
        summary = build_digests(run)
    except Exception:
        log.exception("automation: run %s: team digests were not built", run.run_id)
        return
    if summary.get("error"):
        log.error("automation: run %s: team digests: %s", run.run_id, summary["error"])


def install() -> None:
    """Register :func:`on_publish` with the pipeline (idempotent)."""
    from kequn.automation import digest
    from kequn.automation.db import erase
    from kequn.pipeline import after_publish
    from kequn.privacy import on_erase

    after_publish(on_publish)
    on_erase(digest.erase)  # ids in team digests' examples, before the file is rewritten
    on_erase(erase)  # an erasure reaches the outbox, events and opt-outs too
