"""Lines the commands print in 中文 that were English: why a run's models or discovered
segments were skipped, ``kequn show``'s heading, --why-not's unknown dimension or label,
``kequn taxonomy check``'s summary, ``kequn sources``, ``kequn events`` and ``kequn user
list`` tables, ``kequn export``'s refusals; and ``--lang fr`` stopped with a traceback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cli_helpers import kequn
from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

#: English words these lines used to print (ids, run ids and label ids typed with
#: commands are not checked)
ENGLISH = re.compile(
    r"\b(skipped|fewer than|buyers|run|as of|unknown dimension|has no label|dimensions|"
    r"labels|thresholds|version|source|kind|reads|credentials|table|env|synced|"
    r"dimension|change|customers|entered|left|sessions|use DIMENSION)\b"
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("shop"), 40, seed=4)
    latest = run_taxonomy(ws)
    run_taxonomy(ws, as_of=dt.date.fromisoformat(latest.as_of) + dt.timedelta(days=200))
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as f:
        f.write(
            '\n[sources.crm]\nurl_env = "KQ_NO_SUCH_VAR"\ntable = "public.orders"\nkind = "orders"\n'
        )
    return ws


def _chinese(text: str, *allowed: str) -> None:
    for word in allowed:
        text = text.replace(word, "")
    found = ENGLISH.findall(text)
    assert not found, (found, text)


def test_skipped_models_and_segments_are_told_in_chinese(
    shop: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = kequn(capsys, "segments", "cluster", "-w", shop.root, "--lang", "zh")
    assert code == 0
    assert "买家少于 100 位" in out
    empty = Workspace.init(tmp_path / "empty")
    code, out = kequn(capsys, "run", "-w", empty.root, "--lang", "zh")
    assert code == 0
    assert "预测模型：未运行（买家少于 20 位）" in out
    code, out = kequn(capsys, "run", "-w", empty.root, "--lang", "en")
    assert "Models: not run (fewer than 20 buyers)" in out


def test_show_heading_and_why_not_refusals(
    shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    w = ["-w", shop.root, "--lang", "zh"]
    code, out = kequn(capsys, "show", "C00000001", *w)
    assert code == 0
    heading = out.splitlines()[0]
    assert "（运行 " in heading
    assert "，截至 " in heading
    _chinese(heading, "C00000001")
    for spec, said in (("nope=x", "没有维度 nope"), ("value=x", "维度 value 没有标签 x")):
        code, out = kequn(capsys, "show", "C00000001", "--why-not", spec, *w)
        assert code == 2
        assert "".join(said.split()) in "".join(out.split())
        assert "unknown dimension" not in out
        assert "has no label" not in out


def test_tables_and_checks_are_chinese(shop: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    w = ["-w", shop.root, "--lang", "zh"]
    code, out = kequn(capsys, "taxonomy", "check", *w)
    assert code == 0
    assert "个维度" in out
    _chinese(out, str(shop.taxonomy_path))
    code, out = kequn(capsys, "sources", *w)
    assert code == 0, out
    _chinese(out, "crm", "public.orders", "KQ_NO_SUCH_VAR", "updated_at")
    assert "环境变量" in out
    code, out = kequn(capsys, "user", "list", *w)
    assert code == 0
    _chinese(out)
    code, out = kequn(capsys, "events", "--limit", "3", *w)
    assert code == 0
    # the dimension and label ids are the ones --dimension and --entered take
    head = out.splitlines()[1]
    _chinese(head)
    assert "进入" in out or "离开" in out


def test_export_refusals_and_an_unknown_language(
    shop: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = kequn(capsys, "export", "lifecycle", "-o", "x.csv", "-w", shop.root, "--lang", "zh")
    assert code == 2
    assert "维度=标签" in out
    code, out = kequn(capsys, "status", "-w", shop.root, "--lang", "fr")
    assert code == 2
    assert "Traceback" not in out
    assert "--lang takes zh or en, not fr" in out


def test_an_import_summary_names_the_table_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace.init(tmp_path / "ws")
    data = tmp_path / "订单.csv"
    data.write_text("订单编号,会员卡号,下单时间,实付金额\nA1,M1,2026-01-05,12\n", encoding="utf-8")
    code, out = kequn(capsys, "import", "orders", data, "-w", ws.root, "--lang", "zh")
    assert code == 0, out
    assert "订单: 读取 1 行" in out
    assert "orders:" not in out
    code, out = kequn(capsys, "import", "orders", data, "-w", ws.root, "--lang", "en")
    assert "orders: read 1 row," in out  # one row, not "1 rows"
