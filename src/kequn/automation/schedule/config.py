"""The ``[schedule]`` section of ``kequn.toml``: jobs, when they fire, what they do.

::

    [schedule]
    daily = { at = "06:00", steps = ["sync", "run", "deliver"] }
    weekdays = { at = "12:30", days = ["mon", "tue", "wed", "thu", "fri"], steps = ["deliver"] }
    month_end = { cron = "0 5 last * *", steps = ["run"] }   # the last day of each month

Times are in the workspace's time zone (``timezone`` under ``[business]``). ``at`` fires
every day (or on ``days``); ``cron`` takes a standard five-field expression (minute hour
day month weekday). Both are compiled to APScheduler 3's :class:`CronTrigger`, which does
the calendar arithmetic: day-of-month and weekday rules, month ends, and daylight-saving
changes (a 02:30 that does not exist is skipped, one that happens twice fires once).
APScheduler is only used for that arithmetic: when to run is decided by
:mod:`.runner` from the times recorded in the workspace, so a restart, a second server
and a manual run all see the same state.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zoneinfo
from dataclasses import dataclass
from typing import Any

from kequn.automation.schedule import text  # noqa: F401 - registers the messages used here
from kequn.core.i18n import t
from kequn.core.yamlfile import load_toml, toml_problem
from kequn.store.workspace import CONFIG_NAME, Workspace, WorkspaceError

STEPS = ("sync", "run", "deliver")
_KEYS = {"at", "days", "cron", "steps"}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleError(WorkspaceError):
    """A mistake in ``[schedule]`` (the message names kequn.toml and the key) or a job
    that does not exist; already translated."""


@dataclass(frozen=True)
class Job:
    """One ``[schedule]`` entry."""

    name: str
    steps: tuple[str, ...]
    at: str | None = None
    days: tuple[str, ...] = ()
    cron: str | None = None
    timezone: str = "Asia/Shanghai"

    def trigger(self) -> Any:
        """The APScheduler ``CronTrigger`` for this job (checked by :func:`parse_schedule`)."""
        cron_trigger = _cron_trigger_class()
        tz = zoneinfo.ZoneInfo(self.timezone)
        if self.cron is not None:
            return cron_trigger.from_crontab(self.cron, timezone=tz)
        hour, minute = (self.at or "0:0").split(":")
        return cron_trigger(
            hour=int(hour),
            minute=int(minute),
            day_of_week=",".join(self.days) if self.days else None,
            timezone=tz,
        )

    def next_after(self, moment: dt.datetime) -> dt.datetime | None:
        """The first time this job fires strictly after ``moment`` (aware), in its zone."""
        fire: dt.datetime | None = self.trigger().get_next_fire_time(
            None, moment.astimezone(zoneinfo.ZoneInfo(self.timezone)) + dt.timedelta(microseconds=1)
        )
        return fire

    def when(self, lang: str | None = None) -> str:
        """The job's times as a person reads them (``daily at 06:00``, or the cron line)."""
        if self.cron is not None:
            return f"cron {self.cron}"
        if self.days:
            return t("schedule.when.days", lang, days=",".join(self.days), at=self.at)
        return t("schedule.when.daily", lang, at=self.at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "at": self.at,
            "days": list(self.days),
            "cron": self.cron,
            "steps": list(self.steps),
            "timezone": self.timezone,
        }


def _cron_trigger_class() -> Any:
    try:
        from apscheduler.triggers.cron import CronTrigger
    except ImportError:  # the web extra is not installed
        raise ScheduleError(t("schedule.no_extra")) from None
    return CronTrigger


def _bad(key: str, detail: str, lang: str | None) -> ScheduleError:
    return ScheduleError(t("schedule.bad", lang, file=CONFIG_NAME, key=key, detail=detail))


def parse_schedule(
    section: Any, timezone: str, *, have_sources: bool = True, lang: str | None = None
) -> dict[str, Job]:
    """The jobs of a ``[schedule]`` section (as read by tomllib), checked: the first
    mistake is one :class:`ScheduleError` naming ``kequn.toml`` and the key."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise _bad("[schedule]", t("schedule.bad.table", lang), lang)
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        detail = t("schedule.bad.timezone", lang, value=timezone)
        raise _bad("[business] timezone", detail, lang) from None
    jobs: dict[str, Job] = {}
    for name, values in section.items():
        key = f"[schedule] {name}"
        if not _NAME.match(name):
            raise _bad(key, t("schedule.bad.name", lang), lang)
        if not isinstance(values, dict):
            raise _bad(key, t("schedule.bad.table", lang), lang)
        unknown = sorted(set(values) - _KEYS)
        if unknown:
            known = ", ".join(sorted(_KEYS))
            detail = t("schedule.bad.keys", lang, keys=", ".join(unknown), known=known)
            raise _bad(key, detail, lang)
        job = Job(
            name=name,
            steps=_steps(values.get("steps"), f"{key}.steps", have_sources, lang),
            at=_at(values, key, lang),
            days=_days(values.get("days"), f"{key}.days", lang),
            cron=_cron(values, key, lang),
            timezone=timezone,
        )
        if job.cron is not None:
            try:
                job.trigger()
            except ValueError as exc:
                raise _bad(
                    f"{key}.cron", t("schedule.bad.cron", lang, detail=str(exc)), lang
                ) from None
        jobs[name] = job
    return jobs


def _steps(value: Any, key: str, have_sources: bool, lang: str | None) -> tuple[str, ...]:
    known = ", ".join(STEPS)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(s, str) and s in STEPS for s in value)
        or len(set(value)) != len(value)
    ):
        raise _bad(key, t("schedule.bad.steps", lang, known=known), lang)
    if "sync" in value and not have_sources:
        raise _bad(key, t("schedule.bad.no_sources", lang), lang)
    return tuple(value)


def _at(values: dict[str, Any], key: str, lang: str | None) -> str | None:
    if ("at" in values) == ("cron" in values):
        raise _bad(key, t("schedule.bad.when", lang), lang)
    at = values.get("at")
    if at is None:
        if "days" in values:
            raise _bad(f"{key}.days", t("schedule.bad.when", lang), lang)
        return None
    matched = _AT.match(at) if isinstance(at, str) else None
    if matched is None:
        raise _bad(f"{key}.at", t("schedule.bad.at", lang, value=at), lang)
    return f"{int(matched.group(1)):02d}:{matched.group(2)}"


def _days(value: Any, key: str, lang: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise _bad(key, t("schedule.bad.days", lang, detail=", ".join(_DAYS)), lang)
    days = []
    for day in value:
        word = day.strip().lower()[:3] if isinstance(day, str) else ""
        if word not in _DAYS:
            raise _bad(key, t("schedule.bad.days", lang, detail=repr(day)), lang)
        days.append(word)
    return tuple(dict.fromkeys(days))


def _cron(values: dict[str, Any], key: str, lang: str | None) -> str | None:
    cron = values.get("cron")
    if cron is None:
        return None
    if not isinstance(cron, str) or len(cron.split()) != 5:
        raise _bad(f"{key}.cron", t("schedule.bad.cron", lang, detail=repr(cron)), lang)
    return " ".join(cron.split())


def load_schedule(ws: Workspace, lang: str | None = None) -> dict[str, Job]:
    """The workspace's jobs, read from ``kequn.toml`` now (edits apply without a restart
    of anything that calls this again)."""
    from kequn.ingest.sources import saved_sources

    config = ws.root / CONFIG_NAME
    try:
        data = load_toml(config)
    except OSError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:  # edited since the start
        said = t("settings.not_toml", lang, file=CONFIG_NAME, detail=toml_problem(exc, lang))
        raise ScheduleError(said) from None
    section = data.get("schedule")
    if section is None:
        return {}
    # [sources] is read (and checked) only when a job syncs: a mistake there must not
    # hide the schedule of jobs that never touch it
    syncs = isinstance(section, dict) and any(
        isinstance(v, dict) and isinstance(v.get("steps"), list) and "sync" in v["steps"]
        for v in section.values()
    )
    have_sources = bool(saved_sources(ws)) if syncs else True
    return parse_schedule(section, ws.settings.timezone, have_sources=have_sources, lang=lang)
