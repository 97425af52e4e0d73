"""A hand-edited kequn.toml is checked when the workspace opens: each setting kequn cannot
use is named (file, section, key, value, what it should be) in the reader's language,
where it used to surface as a traceback from the step that first used it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.store.settings import Settings, check, read_settings
from kequn.store.workspace import Workspace, WorkspaceError


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("settings") / "shop"
    Workspace.init(root)
    return root


def _edited(made: Path, tmp_path: Path, key: str, value: str) -> Path:
    """A copy of ``made`` whose ``key = ...`` line reads ``key = value``."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(made, root)
    toml = root / "kequn.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"{key} = ") for line in lines), key
    edited = [f"{key} = {value}" if line.startswith(f"{key} = ") else line for line in lines]
    toml.write_text("\n".join(edited) + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("key", "value", "section", "english", "chinese"),
    [
        ("engine", '"sqlite"', "[run]", "should be one of duckdb / spark", "只能是 duckdb / spark"),
        ("refit_days", '"seven"', "[run]", "should be a whole number", "应为整数"),
        ("refit_days", '"7"', "[run]", "should be a whole number", "应为整数"),
        ("memory_limit", '"lots"', "[run]", "should be a number with a unit", "数字加单位"),
        ("memory_limit", '"80%"', "[run]", "should be a number with a unit", "数字加单位"),
        ("memory_limit", '"0GB"', "[run]", "should be a number with a unit", "数字加单位"),
        ("timezone", '"Mars/Olympus"', "[business]", "should be an IANA time zone", "IANA 时区"),
        (
            "as_of",
            '"yesterday"',
            "[run]",
            "should be latest (the newest date",
            "latest（数据中的最新日期）",
        ),
        ("keep_runs_days", "-5", "[run]", "should be 0 or more", "应为 0 或正数"),
        ("day_first", '"yes"', "[import]", "should be true or false", "应为 true 或 false"),
        ("max_upload_mb", "0", "[serve]", "should be more than 0", "应大于 0"),
        ("engine", "7", "[run]", "should be text", "应为文本"),
    ],
)
def test_a_setting_kequn_cannot_use_is_named_in_both_languages(
    made: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    key: str,
    value: str,
    section: str,
    english: str,
    chinese: str,
) -> None:
    root = _edited(made, tmp_path, key, value)
    code, said = kequn_words(capsys, "run", "-w", root, "--no-models")
    assert code == 1
    assert "Traceback" not in said
    assert str(root / "kequn.toml") in said
    assert f"{key} under {section} is {value}: {english}" in said
    code, said = kequn_words(capsys, "--lang", "zh", "segments", "-w", root)
    assert code == 1
    assert f"{section} {key} = {value}：" in said
    assert chinese in said
    assert not list((root / "runs").iterdir())  # nothing ran


def test_every_problem_is_told_at_once_and_good_spellings_pass(made: Path, tmp_path: Path) -> None:
    root = _edited(made, tmp_path, "engine", '"Spark"')
    toml = root / "kequn.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'timezone = "Asia/Shanghai"', 'timezone = "UTC+8"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(WorkspaceError) as raised:
        Workspace.open(root)
    assert "engine under [run]" in str(raised.value)
    assert "timezone under [business]" in str(raised.value)
    for memory in ("500MB", "1.5 GB", "2GiB", "750mb", "1 gigabyte"):
        assert check(Settings(memory_limit=memory)) == [], memory
    for as_of in ("latest", "today", "2026-01-31"):
        assert check(Settings(as_of=as_of)) == [], as_of
    # fromisoformat reads these too; a run refuses them (out of range) or they are no date
    for as_of in ("20260131", "2026-W01-1", "0001-01-01", "9999-12-31", "2026-1-5"):
        assert [key for key, _, _ in check(Settings(as_of=as_of))] == ["as_of"], as_of
    assert check(Settings(timezone="Europe/London", refit_days=0, cny_per_unit=7)) == []


def test_a_file_that_is_not_toml_is_told_not_a_traceback(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _edited(made, tmp_path, "engine", '"duckdb"')
    toml = root / "kequn.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "x = = 1\n", encoding="utf-8")
    code, said = kequn_words(capsys, "segments", "-w", root)
    assert code == 1
    assert "is not a TOML file kequn can read" in said
    assert "line" in said
    toml.write_bytes(b"\xff\xfe[run]\n")
    code, said = kequn_words(capsys, "--lang", "zh", "segments", "-w", root)
    assert code == 1
    assert "不是有效的 TOML 文件" in said
    assert "Traceback" not in said


def test_unknown_keys_and_other_tables_are_left_alone(made: Path, tmp_path: Path) -> None:
    """A key a newer kequn writes, and the nested tables other modules read, do not stop
    an older one."""
    root = _edited(made, tmp_path, "engine", '"duckdb"')
    toml = root / "kequn.toml"
    extra = '\n[run.extra]\nengine = "not a setting"\n\n[future]\nsomething_new = [1, 2]\n'
    toml.write_text(toml.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert read_settings(toml).engine == "duckdb"


def test_init_refuses_what_it_could_not_use_and_makes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "new"
    code, said = kequn_words(capsys, "init", "-w", root, "--timezone", "Shanghai")
    assert code == 1
    assert 'The workspace was not created: timezone is "Shanghai"' in said
    assert not root.exists()


def test_an_engine_not_known_on_the_command_line(
    made: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = kequn_words(capsys, "--lang", "zh", "run", "-w", made, "--engine", "sqlite")
    assert code == 2
    assert "没有名为 sqlite 的引擎：请用 duckdb 或 spark" in said
    code, said = kequn_words(capsys, "run", "-w", made, "--engine", "sqlite")
    assert "There is no engine called sqlite: use duckdb or spark" in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    ("line", "english", "chinese"),
    [
        # kept rejected rows for ever: a string was taken as no retention at all
        ('quarantine_days = "30"', "should be a whole number", "应为整数"),
        ("quarantine_days = -1", "should be 0 or more", "应为 0 或正数"),
        # left the unconsented out of marketing worklists, as "exclude" does
        ('marketing_consent = "flagged"', "should be one of exclude / flag", "exclude / flag"),
        # made the letters t, i, e and r public instead of the key "tier"
        ('public_attributes = "tier"', "should be a list of attribute names", "应为属性名的列表"),
    ],
)
def test_a_privacy_setting_kequn_cannot_use_is_named(
    made: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    line: str,
    english: str,
    chinese: str,
) -> None:
    root = _edited(made, tmp_path, "engine", '"duckdb"')
    toml = root / "kequn.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[privacy]\n{line}\n", encoding="utf-8")
    key, value = line.split(" = ")
    code, said = kequn_words(capsys, "segments", "-w", root)
    assert code == 1
    assert f"{key} under [privacy] is {value}: {english}" in said
    code, said = kequn_words(capsys, "--lang", "zh", "privacy", "purge", "-w", root)
    assert code == 1
    assert f"[privacy] {key} = {value}：" in said
    assert chinese in said
    assert "Traceback" not in said


def test_privacy_settings_edited_while_a_server_runs_are_checked_when_read(
    made: Path, tmp_path: Path
) -> None:
    from kequn.snapshots.read import privacy_settings

    root = _edited(made, tmp_path, "engine", '"duckdb"')
    toml = root / "kequn.toml"
    good = '\n[privacy]\nquarantine_days = 30.0\npublic_attributes = ["tier"]\n'
    toml.write_text(toml.read_text(encoding="utf-8") + good, encoding="utf-8")
    ws = Workspace.open(root)
    read = privacy_settings(ws)
    assert (read.quarantine_days, read.public_attributes) == (30, frozenset({"tier"}))
    toml.write_text(toml.read_text(encoding="utf-8").replace('["tier"]', '"tier"'), "utf-8")
    with pytest.raises(WorkspaceError, match="public_attributes under"):
        privacy_settings(ws)
