"""A dimension, label or table that is not there is told back with the nearest that is
("did you mean lifecycle?"); what was given came back whole: 5,000 characters of it
filled the terminal (and the API's 404) with the message lost in it, and an escape
sequence in it (``\\x1b[31m``) was written raw, recolouring the terminal. It is now
quoted as ids are (:data:`kequn.core.i18n.QUOTED_MAX` characters and an ellipsis), its
control characters shown as escapes, in both languages; the suggestion stays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.core.i18n import QUOTED_MAX
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 30, seed=5)
    run_taxonomy(ws, as_of=date(2026, 6, 30))  # two runs: history has a pair to compare
    run_taxonomy(ws, as_of=date(2026, 9, 30))
    return ws


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "command",
    [
        ["segments", "{given}"],
        ["export", "{given}=new", "-o", "{out}"],
        ["history", "--dimension", "{given}"],
    ],
)
def test_a_huge_name_is_quoted_short(
    shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    command: list[str],
) -> None:
    given = "lifecycle" + "x" * 5000
    args = [a.format(given=given, out=tmp_path / "out.csv") for a in command]
    code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", shop.root)
    said = out + err
    assert code == 2, said
    assert "x" * (QUOTED_MAX + 1) not in said
    assert "…" in said
    assert len(said) < 2000


@pytest.mark.parametrize(
    ("lang", "nearest"), [("en", "did you mean lifecycle?"), ("zh", "是否想写 lifecycle？")]
)
def test_an_escape_sequence_is_not_written_raw(
    shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, nearest: str
) -> None:
    code, out, err = kequn_output(
        capsys, "--lang", lang, "segments", "lifecyle\x1b[31m", "-w", shop.root
    )
    said = out + err
    assert code == 2, said
    assert "\x1b" not in said
    assert "lifecyle\\x1b[31m" in said
    assert nearest in said
