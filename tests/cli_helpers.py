"""The real entry point (``kequn ...``) called in process, as a test reads it: the exit
code and what it printed (stdout and stderr)."""

from __future__ import annotations

import pytest

from kequn.cli import main
from kequn.core import i18n


def kequn_output(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``kequn ARGS``, in the environment's language as a
    new process would start (a language set by an earlier call is forgotten)."""
    i18n.set_lang(None)
    capsys.readouterr()
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    said = capsys.readouterr()
    return code, said.out, said.err


def kequn(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    """Exit code and everything printed, stdout then stderr."""
    code, out, err = kequn_output(capsys, *args)
    return code, out + err


def kequn_words(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    """Exit code and everything printed as one line of words (Rich's wrapping and panel
    borders taken out), for asserting on a sentence."""
    code, said = kequn(capsys, *args)
    return code, " ".join(said.replace("│", " ").split())
