"""A team, outbox status, dimension or label typed wrong is told, with what there is:
``kequn worklist --team salse``, ``kequn outbox --status faild`` and ``kequn events
--dimension lifecyle`` printed an empty table or "no matching events", exit 0, as if
there were nothing to do."""

from __future__ import annotations

import pytest

from cli_helpers import kequn_words as kequn
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=5)
    run_taxonomy(ws)
    return ws


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (
            ["worklist", "--team", "salse"],
            2,
            "There is no salse: use one of marketing, sales, service",
        ),
        (
            ["outbox", "--status", "faild"],
            2,
            "There is no faild: use one of pending, sending, sent, dead",
        ),
        (
            ["events", "--dimension", "lifecyle"],
            2,
            "There is no dimension lifecyle; known: lifecycle",
        ),
        (
            ["events", "--dimension", "lifecycle", "--entered", "dormnat"],
            2,
            "has no label dormnat; known: prospect",
        ),
        (
            ["events", "--dimension", "lifecycle", "--left", "dormnat", "--lang", "zh"],
            2,
            "维度 lifecycle 没有标签 dormnat",
        ),
        (["worklist", "--team", "salse", "--lang", "zh"], 2, "没有 salse：可选 marketing"),
    ],
)
def test_a_wrong_choice_is_told(
    args: list[str], code: int, words: str, shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    got, said = kequn(capsys, *args, "-w", shop.root)
    assert got == code, said
    assert words in said
    assert "Traceback" not in said


def test_right_choices_still_answer(shop: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["worklist", "--team", "sales", "--json"],
        ["outbox", "--status", "dead", "--json"],
        ["events", "--dimension", "lifecycle", "--entered", "dormant", "--json"],
    ):
        got, said = kequn(capsys, *args, "-w", shop.root)
        assert got == 0, said
