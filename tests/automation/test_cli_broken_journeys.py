"""A broken journeys.yaml told in words by every command that reads it, not a traceback.

``kequn deliver`` (and ``journeys list``, ``journeys report``) printed Python's traceback
ending in ``JourneysError`` when journeys.yaml had a typo, in English whatever the
language; ``journeys check`` said it in one line. No secret's value is ever in it.
"""

from __future__ import annotations

import pytest

from cli_helpers import kequn_output
from kequn.store.workspace import Workspace

BROKEN = """\
channels:
  mail:
    type: email
    host: 127.0.0.1
    sender: crm@shop.example
    password: "hunter2-inline-secret"
journeys: []
"""


@pytest.mark.parametrize("command", [["deliver"], ["journeys", "list"]])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_broken_journeys_file_is_one_clear_line(
    aws: Workspace, capsys: pytest.CaptureFixture[str], command: list[str], lang: str
) -> None:
    (aws.root / "journeys.yaml").write_text(BROKEN, encoding="utf-8")
    code, out, err = kequn_output(capsys, "--lang", lang, *command, "-w", aws.root)
    assert code == 1
    assert "Traceback" not in out + err
    assert "journeys.yaml" in err
    assert "channels.mail" in err
    assert ("不认识的字段" in err) == (lang == "zh")
    assert ("not a known field" in err) == (lang == "en")
    assert "hunter2-inline-secret" not in out + err
