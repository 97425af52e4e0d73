"""A run that finds no customers (an empty workspace, an as-of date before the data) is
kept, and says so, in the chosen language, instead of a summary of empty segments alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n

runner = CliRunner()


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "这次运行没有任何客户"), ("en", "This run has no customers")]
)
def test_a_run_without_customers_says_so(tmp_path: Path, lang: str, said: str) -> None:
    i18n.set_lang(None)
    ws = str(tmp_path / "empty")
    assert runner.invoke(app, ["init", "-w", ws]).exit_code == 0
    result = runner.invoke(app, ["--lang", lang, "run", "-w", ws, "--no-models"])
    assert result.exit_code == 0, result.output
    assert said in result.output
    i18n.set_lang(None)
