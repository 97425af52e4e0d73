"""A kequn.toml with settings this kequn does not read (a newer kequn's, or a spelling
mistake: ``keep_runs_day = 30``) was used without a word, the settings silently not in
force. Each command now names them, in the user's language, and goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kequn.store.workspace import Workspace


def _status(root: Path, lang: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kequn.cli", "status", "-w", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "KEQUN_LANG": lang},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("lang", "said"), [("en", "does not know"), ("zh", "不认识")])
def test_settings_of_a_newer_kequn_are_named(tmp_path: Path, lang: str, said: str) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert _status(ws.root, lang).stderr == ""
    config = ws.root / "kequn.toml"
    text = config.read_text(encoding="utf-8")
    text = "format_version = 3\n" + text.replace(
        'engine = "duckdb"', 'engine = "duckdb"\nkeep_runs_day = 30'
    )
    config.write_text(text + '\n[privacy]\nmarketing_consent = "flag"\n', encoding="utf-8")
    done = _status(ws.root, lang)
    assert done.returncode == 0, done.stderr
    assert said in done.stderr
    assert "[run] keep_runs_day" in done.stderr
    assert "format_version" in done.stderr
    assert "marketing_consent" not in done.stderr  # [privacy]'s own, read by its part
