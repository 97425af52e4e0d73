"""The CLI end to end, as a user types it, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli_helpers import command_tree
from kequn.cli import app
from kequn.core import i18n
from kequn.core.rules import RuleError

runner = CliRunner()
COMMANDS = [
    "init",
    "import",
    "quarantine",
    "status",
    "run",
    "segments",
    "show",
    "worklist",
    "export",
    "history",
    "features",
    "demo",
    "taxonomy check",
    "clv fit",
]


def kequn(*args: str) -> str:
    i18n.set_lang(None)
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    out = kequn(*command.split(), "--help")
    assert "Usage" in out


def test_help_shows_the_kequn_toml_sections_it_names() -> None:
    """A help text naming a kequn.toml section ("under [run]") shows it: unescaped, Rich
    read it as markup and printed "under  in kequn.toml"."""
    import re

    checked = 0
    for path, command in command_tree():
        texts = [command.help or ""] + [getattr(p, "help", None) or "" for p in command.params]
        sections = {
            m for text in texts for m in re.findall(r"\[([a-z_]+(?:\.[A-Za-z_]+)?)\]", text)
        }
        if not sections:
            continue
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path, result.output)
        for section in sections:
            assert f"[{section}]" in result.output, (path, section)
        checked += 1
    assert checked >= 5  # runs prune, privacy purge, serve, schedule run, sync


def test_an_unknown_lang_is_a_usage_error_not_a_traceback() -> None:
    result = runner.invoke(app, ["--lang", "fr", "status"])
    assert result.exit_code == 2, result.exception
    assert "--lang takes zh or en, not fr" in result.output


@pytest.mark.parametrize(("value", "said"), [("fr", True), ("zh_TW", False), ("en_GB", False)])
def test_a_kequn_lang_it_cannot_speak_is_said_not_ignored(
    value: str, said: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """KEQUN_LANG=fr was read as English without a word: the command says so, in both
    languages, and goes on in English; a Chinese or English variant says nothing."""
    from kequn.cli import main

    monkeypatch.setenv("KEQUN_LANG", value)
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as done:
        main(["status", "--help"])
    assert done.value.code == 0
    captured = capsys.readouterr()
    assert ("kequn speaks zh or en; English is used" in captured.err) is said
    assert ("只说中文（zh）或英文（en）" in captured.err) is said
    assert "Usage" in captured.out or "用法" in captured.out


def test_a_shop_from_excel_export_to_worklist(tmp_path: Path) -> None:
    ws = str(tmp_path / "shop")
    assert "Created workspace" in kequn("init", "-w", ws)
    assert (
        "已创建工作区"
        in runner.invoke(app, ["--lang", "zh", "init", "-w", str(tmp_path / "b")]).output
    )
    orders = tmp_path / "orders.csv"
    lines = ["订单编号,买家会员名,下单时间,实付金额,订单状态,收货地址"]
    for i in range(60):
        buyer = f"buyer{i % 12}"
        lines.append(
            f"T{i},{buyer},2025-{1 + i % 9:02d}-{1 + i % 27:02d} 10:00,{50 + i * 7}.00,交易成功,"
            f"{'上海 上海市' if i % 3 else '浙江省 杭州市'} 某区某路{i}号"
        )
    lines.append("TBAD,buyer1,not a date,10,交易成功,x")
    orders.write_text("\n".join(lines) + "\n", encoding="gbk")
    report = json.loads(kequn("import", "orders", str(orders), "-w", ws, "--json"))
    assert (report["accepted"], report["rejected"], report["derived_customers"]) == (60, 1, 12)
    quarantine = json.loads(kequn("quarantine", "-w", ws, "--json"))
    assert quarantine[0]["row"] == 62
    assert quarantine[0]["reason"] == "bad_date"
    assert quarantine[0]["record"]["订单编号"] == "TBAD"
    zh = runner.invoke(app, ["--lang", "zh", "quarantine", "-w", ws]).output
    assert "不是可识别的日期" in zh
    info = json.loads(kequn("run", "-w", ws, "--as-of", "2025-10-01", "--json"))
    assert info["customers"] == 12
    status = json.loads(kequn("status", "-w", ws, "--json"))
    assert status["counts"]["orders"] == 60
    assert status["runs"][0]["run_id"] == info["run_id"]
    profile = json.loads(kequn("show", "buyer1", "-w", ws, "--json"))
    geography = next(d for d in profile["dimensions"] if d["dimension"] == "geography")
    assert geography["labels"][0]["label"] == "local"
    assert "本地" in runner.invoke(app, ["--lang", "zh", "show", "buyer1", "-w", ws]).output
    segments = json.loads(kequn("segments", "lifecycle", "-w", ws, "--json"))
    assert sum(x["count"] for x in segments["dimensions"][0]["labels"]) == 12
    rows = json.loads(kequn("worklist", "--team", "marketing", "-w", ws, "--json"))
    assert rows
    # the table names the dimension and shows money as money (it said rfm=… and 700.00)
    wide = {"COLUMNS": "200"}
    table_zh = runner.invoke(
        app, ["--lang", "zh", "worklist", "--team", "marketing", "-w", ws], env=wide
    ).output
    table_en = runner.invoke(
        app, ["--lang", "en", "worklist", "--team", "marketing", "-w", ws], env=wide
    ).output
    first = rows[0]
    assert f"{first['dimension']}=" not in table_zh + table_en
    assert "¥" in table_zh
    assert "¥" in table_en
    assert f": {first['label_name']}" in table_en  # the JSON speaks English here
    assert "：" in table_zh
    out = tmp_path / "active.csv"
    kequn("export", "value=high", "-o", str(out), "-w", ws)
    assert out.exists()
    kequn("run", "-w", ws, "--as-of", "2025-06-01")
    moves = json.loads(kequn("history", "-w", ws, "--json"))
    assert moves["before"]["as_of"] == "2025-06-01"
    assert moves["after"]["as_of"] == "2025-10-01"
    assert "✓" in kequn("taxonomy", "check", "-w", ws)


def test_import_then_run_in_one_command(tmp_path: Path) -> None:
    """``import --run``: the day's file imported, then a run that already counts it (a
    nightly job in one process); without ``--run`` no run is made."""
    ws = str(tmp_path / "ws")
    kequn("init", "-w", ws)
    first = tmp_path / "first.csv"
    first.write_text(
        "order_id,customer_id,ordered_at,amount,status\nA1,c1,2026-01-05,10,paid\n", "utf-8"
    )
    kequn("import", "orders", str(first), "-w", ws, "--json")
    assert json.loads(kequn("status", "-w", ws, "--json"))["runs"] == []
    day = tmp_path / "day.csv"
    day.write_text(
        "order_id,customer_id,ordered_at,amount,status\n"
        "A2,c1,2026-01-06,12,paid\nA3,c2,2026-01-06,8,paid\nA4,c3,nope,8,paid\n",
        "utf-8",
    )
    both = json.loads(kequn("import", "orders", str(day), "-w", ws, "--run", "--json"))
    assert (both["import"]["accepted"], both["import"]["rejected"]) == (2, 1)
    assert both["run"]["customers"] == 2
    assert both["run"]["as_of"] == "2026-01-06"
    shown = json.loads(kequn("show", "c1", "-w", ws, "--json"))
    assert shown["features"]["orders"] == 2
    text = kequn("import", "orders", str(day), "-w", ws, "--run")
    assert "2 customers" in text


def test_import_run_that_fails_still_reports_the_import(tmp_path: Path) -> None:
    """``import --run`` whose run fails (here a broken taxonomy): the import is kept, the
    error says so, and ``--json`` still prints what was imported (``run``: null), exit 1."""
    ws = tmp_path / "ws"
    kequn("init", "-w", str(ws))
    with (ws / "taxonomy.yaml").open("a", encoding="utf-8") as f:
        f.write("dimensions: [\n")
    day = tmp_path / "day.csv"
    day.write_text("order_id,customer_id,ordered_at,amount,status\nA1,c1,2026-01-05,10,paid\n")
    i18n.set_lang(None)
    result = runner.invoke(app, ["import", "orders", str(day), "-w", str(ws), "--run", "--json"])
    assert result.exit_code != 0
    both = json.loads(result.stdout)
    assert both["import"]["accepted"] == 1
    assert both["run"] is None
    assert both["import"]["import_id"] in result.stderr
    assert "kept" in result.stderr
    assert json.loads(kequn("status", "-w", str(ws), "--json"))["counts"]["orders"] == 1


def test_taxonomy_check_reports_the_problem(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    kequn("init", "-w", str(ws))
    path = ws / "taxonomy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("when: orders = 0", "when: ordrs = 0", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["taxonomy", "check", "-w", str(ws)])
    assert result.exit_code == 1
    assert "lifecycle.prospect" in result.output
    assert "did you mean 'orders'" in result.output


def test_errors_a_user_can_act_on_print_a_message_not_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "kequn.cli", "--lang", "en", "show", "C1"]
    command += ["-w", str(tmp_path / "nothing")]
    env = {**os.environ, "KEQUN_DEBUG": ""}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1
    assert "is not a kequn workspace" in done.stderr
    assert "Traceback" not in done.stderr
    debug = subprocess.run(
        command, capture_output=True, text=True, env={**env, "KEQUN_DEBUG": "1"}, check=False
    )
    assert "Traceback" in debug.stderr
    assert "WorkspaceError" in debug.stderr


def test_out_of_memory_becomes_advice_about_memory_limit() -> None:
    import duckdb

    from kequn.cli import user_message

    con = duckdb.connect()
    con.execute("SET memory_limit = '10MB'")
    with pytest.raises(duckdb.OutOfMemoryException) as caught:
        con.execute("SELECT count(DISTINCT i::VARCHAR || 'x') FROM range(5000000) t(i)").fetchall()
    messages = {}
    try:
        for lang in ("zh", "en"):
            i18n.set_lang(lang)
            messages[lang] = user_message(caught.value)
    finally:
        i18n.set_lang(None)
    zh, en = messages["zh"], messages["en"]
    assert zh is not None
    assert "memory_limit" in zh
    assert "内存不足" in zh
    assert en is not None
    assert "memory_limit" in en
    assert user_message(ValueError("a bug")) is None


def test_a_rule_s_arithmetic_out_of_range_and_a_rule_error_are_told_in_the_language() -> None:
    """A rule overflowing on the data stopped a run with DuckDB's traceback; a rule the
    grammar refuses was told in English whatever the language."""
    import duckdb

    from kequn.cli import user_message
    from kequn.core.rules import parse_rule
    from kequn.features.catalogue import catalogue

    with pytest.raises(duckdb.OutOfRangeException) as overflow:
        duckdb.sql("SELECT 4000000000000000000::BIGINT * 4").fetchall()
    en, zh = user_message(overflow.value, "en"), user_message(overflow.value, "zh")
    assert en is not None
    assert "out of range" in en
    assert "Overflow" in en
    assert zh is not None
    assert "超出范围" in zh
    with pytest.raises(RuleError) as refused:
        parse_rule("nope > 1", catalogue())
    assert re.search(r"[\u4e00-\u9fff]", user_message(refused.value, "zh") or "")
    assert user_message(refused.value, "en") == str(refused.value)


def _cli(args: list[str], env: dict[str, str] | None = None) -> Any:
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "kequn.cli", "--lang", "en", *args]
    full = {**os.environ, "KEQUN_DEBUG": "", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=full, check=False)


def test_a_damaged_workspace_file_is_reported_not_a_traceback(tmp_path: Path) -> None:
    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 60, seed=2)
    generation = ws.current_generation()
    assert generation
    damaged = ws.root / "data" / generation
    assert damaged.exists()
    damaged.write_bytes(b"not a database, say a disk that failed half-way" * 100)
    done = _cli(["run", "-w", str(ws.root)])
    assert done.returncode == 1
    assert "A file could not be read or written" in done.stderr
    assert "not a valid DuckDB database file" in done.stderr  # the engine's own detail
    assert "Traceback" not in done.stderr


def test_spark_without_java_says_what_it_needs(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 60, seed=2)
    done = _cli(["run", "--engine", "spark", "-w", str(ws.root)], {"JAVA_HOME": "/nonexistent"})
    assert done.returncode == 1
    assert "Spark could not start" in done.stderr
    assert "Java 17" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.spark
@pytest.mark.slow
def test_a_spark_run_prints_kequns_words_not_sparks_stage_bars(tmp_path: Path) -> None:
    """`kequn run --engine spark` printed Spark's console progress bars
    ("[Stage 12:>   (0 + 1) / 1]", hundreds of them) over the CLI's own output."""
    pytest.importorskip("pyspark")
    from kequn.demo import demo_workspace

    ws = demo_workspace(tmp_path, 60, seed=2)
    done = _cli(["run", "--engine", "spark", "--no-models", "-w", str(ws.root)])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Lifecycle" in done.stdout
    assert "[Stage" not in done.stderr


def test_users_text_is_printed_as_written_and_bad_names_are_refused_in_words(
    tmp_path: Path,
) -> None:
    """What users type or import is printed as it is, never read as Rich markup (a status
    word "[/]" in an export stopped `kequn import` with a MarkupError), and an unknown
    dimension, segment or history column is a message, not a traceback."""
    import datetime as dt
    import os
    import subprocess
    import sys

    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path / "ws", 40)
    run_taxonomy(ws, as_of=dt.date(2026, 6, 30), with_models=False)
    run_taxonomy(ws, with_models=False)
    env = {**os.environ, "KEQUN_DEBUG": ""}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kequn.cli", "--lang", "en", *args, "-w", str(ws.root)]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        "M1,C900,2026-01-05,10,[/]\nM2,C900,2026-01-06,12,[bold]x\nM3,C901,2026-01-07,8,已付款\n",
        encoding="utf-8",
    )
    done = cli("import", "orders", str(orders))
    assert done.returncode == 0, done.stderr
    assert "Unknown order status “[/]”" in done.stdout  # where the MarkupError was
    assert "“[bold]x”" in done.stdout
    shown = cli("show", "[bold red]C[/]")
    assert "Traceback" not in shown.stderr
    assert "[bold red]C[/]" in shown.stdout + shown.stderr  # as typed, not styled
    for args, said, code in (
        # a dimension or segment that is not there is a usage error, exit 2
        (("segments", "nope"), "There is no dimension nope", 2),
        (("history", "--dimension", "name"), "name is not an exclusive dimension", 2),
        (("export", "lifecycle=nope", "-o", str(tmp_path / "x.csv")), "No such segment", 2),
        (("show", "C1", "--run", "nope"), "No run has the id (or prefix) nope", 1),
    ):
        refused = cli(*args)
        assert refused.returncode == code, (args, refused.stdout)
        assert said in refused.stderr, (args, refused.stderr)
        assert "Traceback" not in refused.stderr
