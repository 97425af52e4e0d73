"""The real entry point (``kequn ...``) called in process, as a test reads it: the exit
code and what it printed (stdout and stderr)."""

from __future__ import annotations

from typing import Any

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


def command_tree() -> list[tuple[list[str], Any]]:
    """Every command and group of ``kequn`` with its path of names (the root: [])."""
    import typer

    from kequn.cli import app

    found: list[tuple[list[str], Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append((path, command))
        # (typer carries its own copy of click: a group is what has commands)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def small_shop(
    root: Any,
    files: dict[str, str],
    *run_args: str,
    lang: str = "en",
    init_args: tuple[str, ...] = (),
    settings: dict[str, str] | None = None,
) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """A workspace made by hand through the real CLI (``kequn init INIT_ARGS``, then each
    of ``settings``' kequn.toml lines ``key = value`` replaced): ``files``
    maps customers, orders or events to CSV text, imported in that order, then
    ``kequn run RUN_ARGS``. Each
    customer's labels as ``kequn show --json`` gives them: dimension → [(label, reason)]
    in ``lang``."""
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from kequn.cli import app

    runner = CliRunner()
    ws = Path(root) / "ws"
    i18n.set_lang(None)
    try:
        done = runner.invoke(app, ["init", "-w", str(ws), *init_args])
        assert done.exit_code == 0, done.output
        if settings:
            import re

            toml = ws / "kequn.toml"
            text = toml.read_text(encoding="utf-8")
            for key, value in settings.items():
                text = re.sub(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text)
            toml.write_text(text, encoding="utf-8")
        for table in ("customers", "orders", "events"):
            if table in files:
                path = Path(root) / f"{table}.csv"
                path.write_text(files[table], encoding="utf-8")
                done = runner.invoke(app, ["import", table, str(path), "-w", str(ws)])
                assert done.exit_code == 0, done.output
        done = runner.invoke(app, ["run", "-w", str(ws), *run_args])
        assert done.exit_code == 0, done.output
        ids = [line.split(",", 1)[0] for line in files["customers"].splitlines()[1:]]
        out: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for cid in ids:
            shown = runner.invoke(app, ["--lang", lang, "show", cid, "-w", str(ws), "--json"])
            assert shown.exit_code == 0, shown.output
            out[cid] = {
                d["dimension"]: [(lab["label"], lab["reason"]) for lab in d["labels"]]
                for d in json.loads(shown.stdout)["dimensions"]
            }
        return out
    finally:
        i18n.set_lang(None)
