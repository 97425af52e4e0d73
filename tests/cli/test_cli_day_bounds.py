"""``kequn runs prune --keep-days 0`` exited 1 where every other out-of-range option
exits 2, and ``kequn journeys report --days`` took up to 36,500 days where
journeys.yaml's ``conversion_days`` stops at 3,650. Both are usage errors naming the
option and its bound, exit 2, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.automation.journeys import Journey
from kequn.cli._app import CONVERSION_DAYS_MAX

CASES = [
    (("runs", "prune", "--keep-days", "0"), "--keep-days", "1"),
    (("runs", "prune", "--keep-events-days", "0"), "--keep-events-days", "1"),
    (("journeys", "report", "--days", "3651"), "--days", "3650"),
]


@pytest.mark.parametrize(("args", "option", "bound"), CASES, ids=str)
@pytest.mark.parametrize(("lang", "words"), [("en", "or equal to"), ("zh", "或等于")])
def test_a_day_count_out_of_range_is_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    option: str,
    bound: str,
    lang: str,
    words: str,
) -> None:
    code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", tmp_path)
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    assert option in said, said
    assert f"{words} {bound}" in said, said


def test_the_conversion_window_s_bound_is_the_journeys() -> None:
    bounds = [m.le for m in Journey.model_fields["conversion_days"].metadata if hasattr(m, "le")]
    assert bounds == [CONVERSION_DAYS_MAX]
