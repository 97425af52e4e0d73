"""``kequn journeys check`` warns when marketing e-mails would carry no working way to
opt out: a channel without ``unsubscribe_url``, or one without ``{token}`` (every
e-mail the same link, which the unsubscribe page refuses). Service e-mails, which an
opt-out does not stop, are not warned about."""

from __future__ import annotations

from typing import Any

import pytest
from automation_helpers import TEMPLATES, write_journeys

from cli_helpers import kequn_output
from kequn.store.workspace import Workspace


def _mail(**extra: Any) -> dict[str, Any]:
    return {"type": "email", "host": "127.0.0.1", "port": 25, "security": "none",
            "sender": "crm@shop.example", **extra}  # fmt: skip


def _journey(jid: str, channel: str, **extra: Any) -> dict[str, Any]:
    return {"id": jid, "trigger": {"rule": "orders >= 1"}, "channel": channel,
            "templates": TEMPLATES, **extra}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_warns_about_marketing_mail_without_a_working_unsubscribe_link(
    aws: Workspace, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    write_journeys(
        aws,
        {"channels": {"bare": _mail(), "fixed": _mail(unsubscribe_url="https://x.test/unsub"),
                      "good": _mail(unsubscribe_url="https://x.test/unsubscribe/{token}")},
         "journeys": [_journey("promo", "bare"), _journey("news", "fixed"),
                      _journey("fine", "good"),
                      _journey("receipts", "bare", purpose="service", consent_required=False)]},
    )  # fmt: skip
    code, out, err = kequn_output(capsys, "--lang", lang, "journeys", "check", "-w", aws.root)
    said = " ".join((out + err).split())
    assert code == 0, said  # warnings: the file is still used
    assert said.count("⚠") == 2, said
    assert "'promo'" in said
    assert "'fixed'" in said
    for fine in ("'fine'", "'good'", "'receipts'"):
        assert fine not in said
    assert ("退订链接" in said) == (lang == "zh")
    assert ("no way to opt out" in said) == (lang == "en")
    assert ("unsubscribes no one" in said) == (lang == "en")
