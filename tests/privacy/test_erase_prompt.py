"""On a terminal, ``kequn privacy erase`` asks first, in the chosen language (it asked
"erase C1 from …?" in English whatever --lang said), and answering no erases nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from kequn.cli import app
from kequn.core import i18n
from kequn.store.workspace import Workspace


@pytest.mark.parametrize(
    ("lang", "asked"), [("zh", "删除 C9 的全部数据？"), ("en", "Erase C9 from")]
)
def test_the_question_is_in_the_chosen_language(
    lang: str, asked: str, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kequn.cli.privacy as command

    terminal = SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(command, "sys", terminal)
    i18n.set_lang(None)
    result = CliRunner().invoke(
        app, ["--lang", lang, "privacy", "erase", "C9", "-w", str(ws.root)], input="n\n"
    )
    assert result.exit_code == 1  # aborted
    assert asked in result.output
    assert "erase C9 from" not in result.output
