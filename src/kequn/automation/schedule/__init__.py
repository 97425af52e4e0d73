"""The schedule (issue 17): jobs in ``kequn.toml`` that sync, run and deliver at set times,
carried out by ``kequn serve``.

:mod:`.config` reads and checks ``[schedule]``; :mod:`.runner` runs a job's steps under
its cross-process lock and is the loop the server starts; :mod:`.records` is what is kept
in the workspace's ``schedule/`` folder (state, history, locks).
"""

from kequn.automation.schedule.config import (
    STEPS,
    Job,
    ScheduleError,
    load_schedule,
    parse_schedule,
)
from kequn.automation.schedule.runner import (
    Scheduler,
    find_job,
    run_job,
    schedule_status,
)

__all__ = [
    "STEPS",
    "Job",
    "ScheduleError",
    "Scheduler",
    "find_job",
    "load_schedule",
    "parse_schedule",
    "run_job",
    "schedule_status",
]
