"""kequn's own words in the outbox's ``last_error`` (stored in English, for logs and
scripts) as a reader sees them: in their language, on the dashboard and in the CLI."""

from __future__ import annotations

import re

from kequn.core.i18n import t

#: kequn's own delivery reasons, as stored in the outbox (English, for logs and scripts),
#: and their words on a page: a receiver's own error text is shown as it is
_OWN_REASONS = (
    (re.compile(r"after (\d+) attempts: "), "outbox.error.after"),
    (re.compile(r"not retried: "), "outbox.error.not_retried"),
    (re.compile(r"opted out$"), "outbox.error.opted_out"),
    (re.compile(r"no marketing consent any more$"), "outbox.error.no_consent"),
    (
        re.compile(r"channel '([a-z0-9_-]*)' is no longer in journeys\.yaml"),
        "outbox.error.channel",
    ),
)


def error_text(text: str | None, lang: str) -> str | None:
    """A delivery log's error in the reader's language: kequn's own reasons (and the
    prefixes saying how often it was tried) translated, anything else kept."""
    if not text:
        return text
    out, rest = "", text
    changed = True
    while changed and rest:
        changed = False
        for pattern, key in _OWN_REASONS:
            found = pattern.match(rest)
            if found:
                groups = found.groups()
                params = {"n": groups[0]} if key.endswith("after") else {}
                if key.endswith("channel"):
                    params = {"channel": groups[0]}
                out += t(key, lang, **params)
                rest = rest[found.end() :]
                changed = True
                break
    return out + rest
