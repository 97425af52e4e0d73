"""kequn.toml spellings the settings check got wrong: TOML's own spellings of a value
kequn read before the check (a bare date, 7.0 for 7) were refused, and values the check
let through stopped a later step with a traceback (digits DuckDB cannot read, a zone file
that is no zone, inf, nan, a count of days past Python's dates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.store.settings import Settings, check, read_settings
from kequn.store.workspace import Workspace, WorkspaceError


@pytest.fixture(scope="module")
def toml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spellings") / "shop"
    Workspace.init(root)
    return root / "kequn.toml"


def _with(toml: Path, tmp_path: Path, key: str, value: str) -> Path:
    lines = toml.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"{key} = ") for line in lines), key
    edited = tmp_path / "kequn.toml"
    edited.write_text(
        "\n".join(f"{key} = {value}" if line.startswith(f"{key} = ") else line for line in lines)
        + "\n",
        encoding="utf-8",
    )
    return edited


@pytest.mark.parametrize(
    ("key", "written", "read"),
    [("as_of", "2026-01-31", "2026-01-31"), ("refit_days", "7.0", 7), ("keep_lookups", "2.0", 2)],
)
def test_toml_spellings_kequn_read_before_are_read(
    toml: Path, tmp_path: Path, key: str, written: str, read: object
) -> None:
    assert getattr(read_settings(_with(toml, tmp_path, key, written)), key) == read


@pytest.mark.parametrize(
    ("key", "written", "english"),
    [
        ("memory_limit", '"１GB"', "should be a number with a unit"),
        ("memory_limit", '"١GB"', "should be a number with a unit"),
        ("timezone", '"localtime"', "should be an IANA time zone"),
        ("timezone", '"posixrules"', "should be an IANA time zone"),
        ("timezone", '"posix/Asia/Shanghai"', "should be an IANA time zone"),
        ("refit_days", "7.5", "should be a whole number"),
        ("session_hours", "inf", "should be a finite number"),
        ("deliver_seconds", "nan", "should be a finite number"),
        ("max_body_mb", "inf", "should be a finite number"),
        ("keep_runs_days", "99999999", "should be 36500 at most"),
        ("job_retention_days", "10000000", "should be 36500 at most"),
        ("session_hours", "1e300", "should be 876000 at most"),
    ],
)
def test_values_a_later_step_could_not_use_are_refused_in_words(
    toml: Path, tmp_path: Path, key: str, written: str, english: str
) -> None:
    with pytest.raises(WorkspaceError) as raised:
        read_settings(_with(toml, tmp_path, key, written))
    assert f"{key} under" in str(raised.value)
    assert english in str(raised.value)


def test_good_values_near_the_edges_pass() -> None:
    assert check(Settings(timezone="UTC", keep_runs_days=36500, deliver_seconds=0.0)) == []
    assert check(Settings(timezone="Etc/GMT+8", memory_limit="1.5 GB")) == []
