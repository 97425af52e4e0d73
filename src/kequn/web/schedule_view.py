"""The schedule's record (``GET /api/schedule``, the runs page, the job of a scheduled
job run from the API) as a reader without personal data sees it.

A scheduled step that fails with an error kequn tells people about is recorded in that
error's words, which may quote a customer's data: a synced file read without its header
row names its first row (``found: C1, 张伟, 13912345678``), a rule's error quotes the rule
(``name = '张伟'``). Such a text is replaced, for those readers, by a sentence saying that
the step failed and who can read why; what quotes nothing (a bug told by its kind, a
process that ended) is kept, and so are the reasons a job was skipped.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from kequn.core.i18n import MESSAGES, t

#: the records' own words, which quote nothing of the data
_GENERIC = ("schedule.internal", "schedule.interrupted")
#: where a record lists why a job did not start (another holds the lock …): no data
_SKIPS = frozenset({"last_skip"})


@functools.cache
def _generic() -> re.Pattern[str]:
    patterns = [
        re.escape(template).replace(re.escape("{kind}"), r"[\w.]+")
        for key in _GENERIC
        for template in MESSAGES[key]
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def without_error_texts(data: Any, lang: str | None) -> Any:
    """``data`` (a schedule's status, a job's record) with each ``error`` that may quote
    the data replaced by :func:`t` ``("web.error.schedule_hidden")``."""
    if isinstance(data, list):
        return [without_error_texts(item, lang) for item in data]
    if not isinstance(data, dict):
        return data
    shown: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SKIPS:
            shown[key] = value
        elif key == "error" and isinstance(value, str) and value:
            generic = _generic().fullmatch(value)
            shown[key] = value if generic else t("web.error.schedule_hidden", lang)
        else:
            shown[key] = without_error_texts(value, lang)
    return shown
