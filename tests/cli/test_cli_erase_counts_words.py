"""``kequn privacy erase`` counted what it removed under the database's own names
("orders 50, run_labels 2, feature_state 3, db 8"), English words and internal names
under ``--lang zh``. Each count is now named in the chosen language."""

from __future__ import annotations

import re

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.privacy import erase_person
from kequn.store.workspace import Workspace

#: the names erase_person counts under (tables, files, the erasers' modules)
INTERNAL = re.compile(r"\b(order_lines|orders|events|customers|identity|quarantine|db|"
                      r"digest|drops|[a-z]+_[a-z_]+)\b")  # fmt: skip
SNAKE = re.compile(r"\b(db|[a-z]+_[a-z_]+)\b")


@pytest.fixture
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=3)
    run_taxonomy(ws)
    return ws


def _buyer(ws: Workspace) -> str:
    with ws.read() as con:
        row = con.execute("SELECT customer_id FROM orders ORDER BY customer_id LIMIT 1").fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", ("已删除客户", "订单 ", "客户记录 1", "运行中的标签")),
     ("en", ("Erased customer", "orders ", "customer records 1", "labels in runs"))],
)  # fmt: skip
def test_the_counts_are_named_in_the_chosen_language(
    shop: Workspace, capsys: pytest.CaptureFixture[str], lang: str, words: tuple[str, ...]
) -> None:
    customer = _buyer(shop)
    code, out, err = kequn_output(
        capsys, "--lang", lang, "privacy", "erase", customer, "-w", shop.root, "--yes"
    )
    assert code == 0, err
    said = " ".join(out.split())
    for word in words:
        assert word in said, said
    counts = said.split("：" if lang == "zh" else "): ", 1)[1]
    # (English names orders as the table does; no internal name shows in either)
    found = INTERNAL.findall(counts) if lang == "zh" else SNAKE.findall(counts)
    assert not found, counts


def test_every_count_erase_person_makes_has_its_words(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A new table or eraser counted without words fails here, not in front of a user."""
    from kequn.core.messages import MESSAGES

    ws = demo_workspace(tmp_path_factory.mktemp("all"), 40, seed=3)
    run_taxonomy(ws)
    removed = erase_person(ws, _buyer(ws))["removed"]
    assert len(removed) >= 12
    assert [k for k in removed if f"privacy.removed.{k}" not in MESSAGES] == []
