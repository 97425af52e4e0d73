"""The demo ends by saying how to open the dashboard: in both languages when none was
chosen (a first run, the locale's guess), and only in the chosen one otherwise
(``kequn demo --lang zh`` printed the English line too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.cli import main
from kequn.core import i18n


def _demo(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    i18n.set_lang(None)
    capsys.readouterr()
    code = 0
    try:
        main(["demo", "-w", str(tmp_path / "ws"), "--customers", "30", "--no-runs", *extra])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    return " ".join(capsys.readouterr().out.split())


def test_only_the_chosen_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _demo(tmp_path, capsys, "--lang", "zh")
    assert "打开看板" in out
    assert "Open the dashboard" not in out


def test_both_when_none_was_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEQUN_LANG", raising=False)
    out = _demo(tmp_path, capsys)
    assert "打开看板" in out
    assert "Open the dashboard" in out
