"""A count far beyond any workspace (``--limit 99999999999999999999``, ``--days`` past
Python's dates) stopped ``kequn worklist``, ``events``, ``outbox``, ``quarantine`` and
``deliver`` with DuckDB's conversion error, said as a fault in the taxonomy's arithmetic,
and ``privacy purge`` and ``journeys report`` with a traceback. Each is now a usage error
naming the option and its range, in the chosen language, exit 2."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

HUGE = "99999999999999999999"

COMMANDS = [
    ("worklist", "--team", "sales", "--limit", HUGE),
    ("events", "--limit", HUGE),
    ("outbox", "--status", "sent", "--limit", HUGE),
    ("quarantine", "--limit", HUGE),
    ("identity", "review", "--limit", HUGE),
    ("deliver", "--batch", HUGE, "--max-seconds", "0"),
    ("privacy", "purge", "--days", HUGE),
    ("privacy", "purge", "--days", "800000"),
    ("journeys", "report", "--days", "3000000"),
]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=3)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a[:2]))
@pytest.mark.parametrize(("lang", "words"), [("en", "less than or equal to"),
                                             ("zh", "应小于或等于")])  # fmt: skip
def test_an_absurd_count_is_a_usage_error(
    shop: Workspace,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    lang: str,
    words: str,
) -> None:
    code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", shop.root)
    said = " ".join((out + err).replace("│", " ").split())
    assert code == 2, said
    option = next(a for a in args if a in ("--limit", "--batch", "--days"))
    assert option in said, said
    assert words in said, said
    assert "Traceback" not in said, said
    assert "taxonomy" not in said, said
