"""The ``kequn`` program freezes what a command leaves before Python's exit, so that the
exit's cyclic collections do not walk every object of the libraries a run imported
(0.7 CPU-s of a daily import and run at 1M customers); ``main``, which tests call in
one process many times, does not."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kequn.cli import main

ROOT = Path(__file__).resolve().parents[2]

#: the program's exit code and the objects frozen after it, from a process of its own
_PROBE = """
import gc, sys
from kequn.cli import program
sys.argv = ["kequn", *sys.argv[1:]]
try:
    program()
except SystemExit as exc:
    print("CODE", exc.code, "FROZEN", gc.get_freeze_count())
"""


def test_the_console_script_and_python_m_run_the_program() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["kequn"] == "kequn.cli:program"
    said = (ROOT / "src/kequn/cli/__main__.py").read_text(encoding="utf-8")
    assert "program()" in said


@pytest.mark.parametrize(("args", "code"), [(["--help"], "0"), (["no-such-command"], "2")])
def test_the_program_freezes_what_is_left_and_keeps_the_exit_code(
    args: list[str], code: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("CODE"))
    words = line.split()
    assert words[1] in (code, "None" if code == "0" else code)
    assert int(words[3]) > 10_000  # the modules' objects, at least


def test_main_alone_freezes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["--help"])
    capsys.readouterr()
    assert gc.get_freeze_count() <= before  # freed ones leave it; none are added


@pytest.mark.parametrize("enabled", [True, False])
def test_the_commands_modules_are_frozen_as_imported_and_the_collector_kept(
    enabled: bool,
) -> None:
    """Importing the commands (~150k objects that live as long as the process) ran the
    cyclic collector 245 times; made with it off and then frozen, they cost it nothing
    later. A collector the process had turned off stays off."""
    probe = (
        "import gc\n"
        f"{'' if enabled else 'gc.disable()'}\n"
        "import kequn.cli\n"
        "print(gc.get_freeze_count(), gc.isenabled())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    frozen, on = done.stdout.split()
    assert int(frozen) > 50_000
    assert on == str(enabled)
