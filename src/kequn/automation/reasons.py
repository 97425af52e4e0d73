"""kequn's own words in the outbox's ``last_error`` (stored in English, for logs and
scripts) as a reader sees them: in their language, on the dashboard and in the CLI."""

from __future__ import annotations

import re

from kequn.automation import text as _text  # noqa: F401  (registers the messages)
from kequn.automation.channels import REDIRECTED
from kequn.core.i18n import t

#: kequn's own delivery reasons, as stored in the outbox (English, for logs and scripts),
#: and their words on a page: a receiver's own error text is shown as it is
_OWN_REASONS = (
    (re.compile(r"after (?P<n>\d+) attempts: "), "outbox.error.after"),
    (re.compile(r"not retried: "), "outbox.error.not_retried"),
    (re.compile(re.escape(REDIRECTED)), "outbox.error.redirected"),
    (
        re.compile(r"not tried, the channel failed (?P<n>\d+) times in a row \(did not answer\): "),
        "outbox.error.channel_down",
    ),
    (re.compile(r"not tried, the robot is rate limited: "), "outbox.error.throttled"),
    (re.compile(r"opted out$"), "outbox.error.opted_out"),
    (re.compile(r"no marketing consent any more$"), "outbox.error.no_consent"),
    (re.compile(r"no SMS consent any more$"), "outbox.error.no_sms_consent"),
    (re.compile(r"no e-mail address any more$"), "outbox.error.no_address"),
    (re.compile(r"customer no longer in the data$"), "outbox.error.gone"),
    (re.compile(r"no phone or e-mail address any more$"), "outbox.error.no_contact"),
    (
        re.compile(r"channel '(?P<channel>[a-z0-9_-]*)' is no longer in journeys\.yaml"),
        "outbox.error.channel",
    ),
)


def error_text(text: str | None, lang: str) -> str | None:
    """A delivery log's error in the reader's language: kequn's own reasons (and the
    prefixes saying how often it was tried) translated, anything else kept."""
    if not text:
        return text
    out, rest = "", text
    while rest:
        for pattern, key in _OWN_REASONS:
            found = pattern.match(rest)
            if found:
                out += t(key, lang, **found.groupdict())
                rest = rest[found.end() :]
                break
        else:  # the rest is no reason of kequn's: a receiver's words, as they are
            break
    return out + rest
