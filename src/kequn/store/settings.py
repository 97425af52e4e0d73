"""``kequn.toml``: the workspace's settings, read and checked.

A hand-edited file is checked when the workspace is opened, so a typo is told once, in
words, naming the file, the section and key, the value and what it should be, instead of
a traceback from whichever step first used it (an unknown engine, ``refit_days =
"seven"``, a memory limit DuckDB cannot parse, a time zone that does not exist, a file
that is not TOML at all). Unknown keys are left alone (a newer kequn's, a comment-like
note); nested tables (``[schedule]``, ``[sources.NAME]``) are read by their own modules.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
import unicodedata
import zoneinfo
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.core.schema import RESIDENT_ID_HEADERS
from kequn.core.yamlfile import load_toml, toml_problem

CONFIG_NAME = "kequn.toml"
TAXONOMY_NAME = "taxonomy.yaml"


class WorkspaceError(RuntimeError):
    """A workspace problem a user can act on; the message is already translated."""


@dataclass
class Settings:
    """What ``kequn.toml`` holds. Every field has a sensible default for a Chinese shop."""

    home_country: str = "CN"
    home_city: str = "上海"
    home_province: str = "上海"
    currency: str = "CNY"
    timezone: str = "Asia/Shanghai"
    as_of: str = "latest"  # "latest" (latest date in the data), "today", or YYYY-MM-DD
    engine: str = "duckdb"
    taxonomy: str = TAXONOMY_NAME
    day_first: bool = False  # how to read 03/01/2025
    memory_limit: str = "1GB"  # DuckDB spills to .tmp beyond this while importing and classifying
    refit_days: int = 7  # a run reuses the stored models until they are this many days old
    keep_runs_days: int = 0  # after each run, remove runs older than this (0: keep every run)
    keep_monthly_runs: bool = True  # ...except the last run of each month
    keep_events_days: int = 0  # after each run, remove older segment events (0: keep all)
    cny_per_unit: float = 1.0  # converts the currency to CNY for the China size standard
    eur_per_unit: float = 0.13  # converts the currency to EUR for the EU size standard
    keep_lookups: int = 3  # latest runs by as-of date whose lookup files are kept (2.7 GB at 1M)
    prepare_lookups: bool = False  # build a run's lookup files in the run (else: the server, after)
    max_body_mb: float = 1.0  # largest API request body the server reads (JSON, forms)
    max_upload_mb: float = 200.0  # largest file upload (POST /api/imports/...)
    session_hours: float = 12.0  # a dashboard sign-in lasts this long
    job_retention_days: int = 30  # background job reports are removed after this
    deliver_seconds: float = 60.0  # kequn serve sends due messages this often (0: never)

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Settings:
        flat: dict[str, Any] = {}
        for section in data.values():
            if isinstance(section, dict):
                # a nested table ([schedule] daily = {...}, [sources.crm]) is never a
                # setting, even when its name is one (a job called "engine")
                flat.update({k: v for k, v in section.items() if not isinstance(v, dict)})
        kinds = {f.name: str(f.type) for f in fields(cls)}
        return cls(**{k: _as_written(v, kinds[k]) for k, v in flat.items() if k in kinds})

    def to_toml(self) -> dict[str, Any]:
        values = asdict(self)
        business = (
            "home_country",
            "home_city",
            "home_province",
            "currency",
            "timezone",
            "cny_per_unit",
            "eur_per_unit",
        )
        run = (
            "as_of",
            "engine",
            "taxonomy",
            "memory_limit",
            "refit_days",
            "keep_runs_days",
            "keep_monthly_runs",
            "keep_events_days",
        )
        return {
            "business": {k: values[k] for k in business},
            "run": {k: values[k] for k in run},
            "import": {"day_first": values["day_first"]},
            "serve": {k: values[k] for k in _SERVE},
        }


_SERVE = (
    "keep_lookups",
    "prepare_lookups",
    "max_body_mb",
    "max_upload_mb",
    "session_hours",
    "job_retention_days",
    "deliver_seconds",
)


def _as_written(value: Any, kind: str) -> Any:
    """A value TOML spells its own way, as the setting holds it: a date written bare
    (``as_of = 2026-01-31``, which kequn read before the settings were checked) as its
    text, a whole number written ``7.0`` as 7."""
    if kind == "str" and type(value) is dt.date:
        return value.isoformat()
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: engines a run can use
ENGINES = ("duckdb", "spark")

#: what DuckDB's ``memory_limit`` accepts: a number and a unit (DuckDB refuses a bare
#: number or a percentage, reads "-1GB" as no limit at all and cannot start with 0)
_MEMORY = re.compile(
    r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(b|bytes?|k|kb|kib|kilobytes?|m|mb|mib|megabytes?|g|gb|gib|"
    r"gigabytes?|t|tb|tib|terabytes?)\s*$",
    re.IGNORECASE,
)

#: settings that count days or items: 0 or more
_NOT_NEGATIVE = (
    "refit_days",
    "keep_runs_days",
    "keep_events_days",
    "keep_lookups",
    "job_retention_days",
    "deliver_seconds",
    "quarantine_days",  # under [privacy]: privacy_problems
)
#: the most days (or hours) a setting may count: a day further than Python's dates reach
#: (keep_runs_days = 99999999) stopped a run's pruning with an OverflowError
_MOST = {name: 36500 for name in _NOT_NEGATIVE if name.endswith("_days")} | {
    "session_hours": 24 * 36500,
    "deliver_seconds": 86400 * 36500,
}
#: file names in a zone folder that zoneinfo opens but are no zones (DuckDB refuses them)
_NOT_ZONES = ("localtime", "posixrules", "posix/", "right/")
#: settings that must be more than 0
_POSITIVE = ("cny_per_unit", "eur_per_unit", "max_body_mb", "max_upload_mb", "session_hours")


def read_settings(path: Path) -> Settings:
    """The settings in ``path`` (a ``kequn.toml``), checked: a
    :class:`WorkspaceError` naming every problem."""
    try:
        data = load_toml(path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        said = t("settings.not_toml", file=str(path), detail=toml_problem(exc))
        raise WorkspaceError(said) from None
    settings, found = Settings.from_toml(data), _sections(data)
    wrong = [(found.get(key, "?"), key, value, why) for key, value, why in check(settings)]
    privacy = data.get("privacy")
    if isinstance(privacy, dict):
        wrong += [("[privacy]", *problem) for problem in privacy_problems(privacy)]
    if wrong:
        raise refusal(path, wrong)
    return settings


#: what a marketing worklist may do with a customer who has not consented
CONSENT_CHOICES = ("exclude", "flag")


def privacy_problems(section: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """Each value of ``[privacy]`` kequn cannot use: (key, value, what it should be).
    Read by :func:`kequn.snapshots.read.privacy_settings`; a typo there used to be taken
    quietly as the default: ``quarantine_days = "30"`` kept rejected rows for ever,
    ``marketing_consent = "flagged"`` left the unconsented out, and ``public_attributes =
    "tier"`` made the letters t, i, e and r public instead of the key."""
    out: list[tuple[str, Any, str]] = []
    if "quarantine_days" in section:
        days = _as_written(section["quarantine_days"], "int")
        why = _type_problem(days, "int") or _value_problem("quarantine_days", days)
        if why is not None:
            out.append(("quarantine_days", section["quarantine_days"], why))
    consent = section.get("marketing_consent", CONSENT_CHOICES[0])
    if consent not in CONSENT_CHOICES:
        choices = t("validation.choice", expected=" / ".join(CONSENT_CHOICES))
        out.append(("marketing_consent", consent, choices))
    public = section.get("public_attributes", [])
    if not isinstance(public, list) or not all(isinstance(k, str) for k in public):
        out.append(("public_attributes", public, t("settings.names")))
    elif named := [k for k in public if _plain(k) in _ID_NUMBERS]:
        # an ID number shown to every viewer of the dashboard: never, whatever the file
        out.append(("public_attributes", public, t("settings.id_number", names=", ".join(named))))
    return out


#: a header as compared with RESIDENT_ID_HEADERS: width, case and spaces folded
_ID_NUMBERS = frozenset(re.sub(r"[\s_\-]", "", h.lower()) for h in RESIDENT_ID_HEADERS)


def _plain(key: str) -> str:
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", key).lower())


def refusal(path: Path, wrong: list[tuple[str, str, Any, str]]) -> WorkspaceError:
    """The error naming each (section, key, value, what it should be) of ``path`` (a
    ``kequn.toml``) that kequn cannot use; also for the sections other modules read."""
    problems = "; ".join(
        t("settings.problem", section=section, key=key, value=shown(value), why=why)
        for section, key, value, why in wrong
    )
    return WorkspaceError(t("settings.bad", file=str(path), problems=problems))


def refuse_unusable(settings: Settings) -> None:
    """A :class:`WorkspaceError` naming every setting kequn cannot use (``kequn init``'s
    options), or nothing."""
    wrong = check(settings)
    if wrong:
        problems = "; ".join(
            t("settings.option", key=key, value=shown(value), why=why) for key, value, why in wrong
        )
        raise WorkspaceError(t("settings.bad_init", problems=problems))


def check(settings: Settings) -> list[tuple[str, Any, str]]:
    """Each setting that is not what kequn can use: (key, value, what it should be)."""
    out: list[tuple[str, Any, str]] = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        why = _type_problem(value, f.type)
        if why is None:
            why = _value_problem(f.name, value)
        if why is not None:
            out.append((f.name, value, why))
    return out


def _type_problem(value: Any, kind: Any) -> str | None:
    name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if name == "bool":
        return None if isinstance(value, bool) else t("validation.boolean")
    if isinstance(value, bool):  # True is an int to Python, never a number here
        return t("validation.number" if name == "float" else "validation.integer")
    if name == "int":
        return None if isinstance(value, int) else t("validation.integer")
    if name == "float":
        return None if isinstance(value, int | float) else t("validation.number")
    return None if isinstance(value, str) else t("validation.text")


def _value_problem(name: str, value: Any) -> str | None:  # noqa: PLR0911 - one per rule
    if name == "engine" and value not in ENGINES:
        return t("validation.choice", expected=" / ".join(ENGINES))
    if name == "memory_limit":
        matched = _MEMORY.match(value)
        if matched is None or float(matched.group(1)) <= 0:
            return t("settings.memory")
    if name == "timezone" and not _zone(value):
        return t("settings.timezone")
    if name == "as_of" and value not in ("latest", "today") and not _date(value):
        return t("settings.as_of")
    if isinstance(value, float) and not math.isfinite(value):
        return t("settings.finite")
    if name in _MOST and value > _MOST[name]:
        return t("settings.at_most", most=_MOST[name])
    if name in _NOT_NEGATIVE and value < 0:
        return t("settings.not_negative")
    if name in _POSITIVE and not value > 0:
        return t("settings.positive")
    if name == "taxonomy" and not value.strip():
        return t("settings.taxonomy")
    return None


def _zone(name: str) -> bool:
    if name.startswith(_NOT_ZONES):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


#: the earliest as-of date a run takes; the latest is this many days after today (a date
#: like 9999-12-31 overflowed the dashboard's date arithmetic after the run)
EARLIEST_AS_OF = dt.date(1900, 1, 1)
LATEST_AS_OF_DAYS = 3660


def _date(text: str) -> bool:
    """A date written YYYY-MM-DD within the dates a run takes (Python's fromisoformat
    also reads 20260131 and 2026-W01-1, and 0001-01-01 would pass)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        return False
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return False
    return EARLIEST_AS_OF <= day <= dt.date.today() + dt.timedelta(days=LATEST_AS_OF_DAYS)


def _sections(data: dict[str, Any]) -> dict[str, str]:
    """Each setting's section in the file (``[run]``), as :meth:`Settings.from_toml`
    reads them."""
    return {
        key: f"[{name}]"
        for name, section in data.items()
        if isinstance(section, dict)
        for key, value in section.items()
        if not isinstance(value, dict)
    }


def shown(value: Any) -> str:
    """The value as written in TOML: a string quoted, a boolean lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def unknown_settings(path: Path) -> list[str]:
    """The keys of ``path`` (a ``kequn.toml``) that are no setting this kequn reads, as
    ``[run] new_key``: a spelling mistake, or a setting of a newer kequn, both ignored
    without a word before. Only the sections :class:`Settings` owns and keys outside
    any section are looked at: ``[privacy]``, ``[identity]``, ``[schedule]``... belong
    to the parts that read them."""
    try:
        data = load_toml(path)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []  # (read_settings says what is wrong with it)
    known = {f.name for f in fields(Settings)}
    owned = set(Settings().to_toml())
    found = []
    for name, value in data.items():
        if not isinstance(value, dict):
            found.append(name)
        elif name in owned:
            found += [f"[{name}] {key}" for key in value if key not in known]
    return found
