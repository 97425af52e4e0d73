"""What the command line asks that cannot be is a usage error, exit 2, as click's own
errors and the options' checks (``--team salse``) exit: a table that is not one (``kequn
import order FILE``), a database import given a file's options, an unknown ``--engine``,
a dimension or label that is not there (``kequn events --dimension lifecyle``). They
exited 1, as if the file or the workspace were at fault, so a script could not tell a
typo from a failure. Each names the nearest of what there is, in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=5)
    run_taxonomy(ws)
    orders = ws.root.parent / "orders.csv"
    orders.write_text("order_id,customer_id,ordered_at,amount\nO1,C1,2025-01-01,3\n")
    return ws


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (
            ["import", "order", "{orders}"],
            "There is no table order: use one of customers, orders, events; did you mean orders?",
            "没有表 order：可用 customers, orders, events；是否想写 orders？",
        ),
        (
            ["import", "orders", "--from", "postgresql://kequn@127.0.0.1:9/shop", "--table",
             "orders", "--header-row", "3"],
            "--header-row are for importing a file",
            "--header-row 只用于导入文件",
        ),
        (
            ["import", "orders"],
            "Give a file to import, or a database with --from/--url-env/--url-file",
            "请给出要导入的文件",
        ),
        (
            ["events", "--dimension", "lifecyle"],
            "There is no dimension lifecyle; known: lifecycle, value",
            "没有维度 lifecyle；可选：lifecycle, value",
        ),
        (
            ["events", "--dimension", "lifecyle"],
            "; did you mean lifecycle?",
            "；是否想写 lifecycle？",
        ),
        (
            ["events", "--dimension", "lifecycle", "--entered", "dormnt"],
            "has no label dormnt; known: prospect, new, churned, dormant, loyal, active, unknown; did you mean dormant?",
            "维度 lifecycle 没有标签 dormnt；可选：prospect",
        ),
        (
            ["segments", "valeu"],
            "There is no dimension valeu; known: lifecycle, value",
            "；是否想写 value？",
        ),
        (
            ["export", "lifecycle=dormnt", "-o", "{out}"],
            "No such segment: lifecycle=dormnt; known: lifecycle=prospect",
            "；是否想写 lifecycle=dormant？",
        ),
        (
            ["run", "--engine", "duckd"],
            "Invalid value for --engine: There is no engine called duckd: use duckdb or spark",
            "没有名为 duckd 的引擎",
        ),
    ],
)  # fmt: skip
def test_a_usage_mistake_exits_2(
    shop: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    en: str,
    zh: str,
) -> None:
    orders, out = str(shop.root.parent / "orders.csv"), str(tmp_path / "x.csv")
    args = [a.replace("{orders}", orders).replace("{out}", out) for a in args]
    for lang, words in (("en", en), ("zh", zh)):
        code, said = kequn_words(capsys, "--lang", lang, *args, "-w", shop.root)
        assert code == 2, said
        assert words in said
        assert "Traceback" not in said
    assert not (tmp_path / "x.csv").exists()


def test_a_name_far_from_any_suggests_none(
    shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "segments", "zzzzzz", "-w", shop.root)
    assert code == 2, said
    assert "There is no dimension zzzzzz" in said
    assert "did you mean" not in said
