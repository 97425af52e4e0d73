"""Ctrl-D (or "no") at ``kequn privacy erase``'s question printed typer's "Aborted." in
English under ``--lang zh``: the group's own handler of an abort never saw it, as typer's
main prints it before. It is said in the chosen language, and nothing is erased."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cli_helpers import kequn_output


class _TerminalAtEnd(io.StringIO):
    """A terminal whose user pressed Ctrl-D: stdin is a tty and reads nothing."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("lang", "said", "not_said"), [("zh", "已中止", "Aborted"),
                                                          ("en", "Aborted", "已中止")])  # fmt: skip
def test_ctrl_d_at_the_erase_question_is_said_in_the_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    said: str,
    not_said: str,
) -> None:
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", shop)[0] == 0
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nC001,Ana\n", encoding="utf-8")
    assert kequn_output(capsys, "import", "customers", customers, "-w", shop)[0] == 0
    monkeypatch.setattr("sys.stdin", _TerminalAtEnd(""))
    code, _, err = kequn_output(capsys, "--lang", lang, "privacy", "erase", "C001", "-w", shop)
    assert code == 1
    assert said in err, err
    assert not_said not in err, err
    monkeypatch.undo()
    code, _, err = kequn_output(capsys, "privacy", "export", "C001", "-w", shop, "-o",
                                  tmp_path / "c001.json")  # fmt: skip
    assert code == 0, err  # still held: nothing was erased
