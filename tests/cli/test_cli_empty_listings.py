"""Listings of a workspace that has nothing of their kind yet say so in one line, in the
chosen language: ``kequn journeys report`` printed nothing at all, and ``journeys list``,
``outbox`` and ``user list`` an empty table's borders, exit 0, as a stranger reads them:
"did it work?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kequn.store.workspace import Workspace

    return Workspace.init(tmp_path_factory.mktemp("fresh") / "ws").root


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["journeys", "report"], "No journey has put anyone in a treated or holdout group yet", "还没有旅程把客户分入干预组或对照组"),
        (["journeys", "list"], "The workspace has no journeys.yaml.", "工作区没有 journeys.yaml。"),
        (["outbox"], "The outbox is empty.", "发件箱为空。"),
        (["user", "list"], "No users yet: create one with `kequn user add NAME --role admin`", "还没有用户：用 `kequn user add 名称 --role admin` 创建"),
    ],
)  # fmt: skip
def test_nothing_yet_is_said(
    fresh: Path, capsys: pytest.CaptureFixture[str], args: list[str], en: str, zh: str
) -> None:
    for lang, words in (("en", en), ("zh", zh)):
        code, out, err = kequn_output(capsys, "--lang", lang, *args, "-w", fresh)
        assert code == 0, err
        said = " ".join(out.split())
        assert words in said, said
        assert "┏" not in out  # no empty table


def test_a_journeys_file_without_journeys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kequn.store.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    (ws.root / "journeys.yaml").write_text("journeys: []\n", encoding="utf-8")
    code, out, _ = kequn_output(capsys, "--lang", "zh", "journeys", "list", "-w", ws.root)
    assert code == 0
    assert "journeys.yaml 中还没有旅程。" in out


def test_listings_with_entries_are_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kequn.store.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    code, _, err = kequn_output(capsys, "user", "add", "ana", "--role", "analyst", "-w", ws.root)
    assert code == 0, err
    code, out, _ = kequn_output(capsys, "user", "list", "-w", ws.root)
    assert code == 0
    assert "ana" in out
    assert "analyst" in out
    assert "No users yet" not in out


def test_a_worklist_of_nobody_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A shop that has imported its customers and no orders yet: every label is the
    marketing team's, and ``kequn worklist --team sales`` printed an empty table's
    borders where the dashboard's sales worklist says why it is empty."""
    from kequn.store.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws").root
    customers = tmp_path / "客户.csv"
    customers.write_text("客户编号,姓名\nC001,张伟\nC002,李娜\n", encoding="utf-8")
    assert kequn_output(capsys, "import", "customers", customers, "-w", ws)[0] == 0
    assert kequn_output(capsys, "run", "--no-models", "-w", ws)[0] == 0
    for lang, words in (
        ("en", "No customer in this run is for the sales team"),
        ("zh", "本次运行中没有需要销售团队跟进的客户"),
    ):
        code, out, err = kequn_output(
            capsys, "--lang", lang, "worklist", "--team", "sales", "-w", ws
        )
        assert code == 0, err
        assert words in " ".join(out.split()), out
        assert "┏" not in out
    code, out, _ = kequn_output(capsys, "worklist", "--team", "marketing", "-w", ws)
    assert code == 0
    assert "┏" in out  # prospects are marketing's: still a table
    assert "C001" in out
