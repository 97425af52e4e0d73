"""``kequn privacy purge --days 0`` removed every quarantined row at once: it had no
``--dry-run``, and on a terminal it asked nothing, where ``privacy erase`` asks. A dry
run says how many rows would go and removes none; on a terminal the purge asks first
(``--yes`` does not), in the chosen language; a script (no terminal) purges as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.ingest.importer import import_file
from kequn.store.access import read_audit
from kequn.store.workspace import Workspace


class _Terminal(io.StringIO):
    """A terminal where the user types the text given."""

    def isatty(self) -> bool:
        return True


def _quarantined(ws: Workspace) -> int:
    with ws.read() as con:
        found = con.execute("SELECT count(*) FROM quarantine").fetchone()
    return int(found[0]) if found else 0


@pytest.fixture
def rejected(ws: Workspace, tmp_path: Path) -> Workspace:
    """A workspace whose quarantine holds the two bad rows of an import made today."""
    bad = tmp_path / "orders.csv"
    bad.write_text(
        "订单编号,客户编号,下单时间,实付金额\nA1,C1,2026-01-05,abc\nA2,C1,2026-01-06,xyz\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", bad, create_customers=False)
    assert _quarantined(ws) == 2
    return ws


@pytest.mark.parametrize(("lang", "said"), [("en", "Would remove 2 quarantined rows older than 0 days"),
                                            ("zh", "将删除 0 天前的隔离行 2 条")])  # fmt: skip
def test_a_dry_run_counts_and_removes_nothing(
    rejected: Workspace, capsys: pytest.CaptureFixture[str], lang: str, said: str
) -> None:
    code, out, err = kequn_output(capsys, "--lang", lang, "privacy", "purge", "--days", "0",
                                  "--dry-run", "-w", rejected.root)  # fmt: skip
    assert code == 0, out + err
    assert said in " ".join(out.split()), out
    assert _quarantined(rejected) == 2
    assert not any(e["action"] == "privacy.purge" for e in read_audit(rejected))


@pytest.mark.parametrize(("lang", "asked"), [("en", "Remove 2 quarantined rows older than 0 days"),
                                             ("zh", "删除 0 天前的隔离行 2 条？")])  # fmt: skip
def test_on_a_terminal_the_purge_asks_first(
    rejected: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    asked: str,
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    code, out, err = kequn_output(capsys, "--lang", lang, "privacy", "purge", "--days", "0",
                                  "-w", rejected.root)  # fmt: skip
    assert code == 1, out + err  # aborted
    assert asked in " ".join(out.split()), out
    assert _quarantined(rejected) == 2
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    code, out, err = kequn_output(capsys, "--lang", lang, "privacy", "purge", "--days", "0",
                                  "-w", rejected.root)  # fmt: skip
    assert code == 0, out + err
    assert _quarantined(rejected) == 0


def test_yes_is_not_asked(
    rejected: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(""))  # a question would read Ctrl-D: abort
    code, out, err = kequn_output(capsys, "privacy", "purge", "--days", "0", "--yes",
                                  "-w", rejected.root)  # fmt: skip
    assert code == 0, out + err
    assert "Removed 2 quarantined rows" in out
    assert _quarantined(rejected) == 0


def test_without_any_stdin_a_script_purges_and_erases_as_before(
    rejected: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process started with its stdin closed (``kequn privacy purge <&-``, a service
    given no input) has ``sys.stdin`` None: asking it whether it was a terminal ended
    the purge and the erasure in a traceback (AttributeError), exit 1. No stdin is no
    terminal: they go on as a script's do."""
    monkeypatch.setattr("sys.stdin", None)
    code, out, err = kequn_output(capsys, "privacy", "purge", "--days", "0",
                                  "-w", rejected.root)  # fmt: skip
    assert code == 0, out + err
    assert "Traceback" not in out + err
    assert _quarantined(rejected) == 0
    people = tmp_path / "people.csv"
    people.write_text("customer_id,name\nE1,Ana\n", encoding="utf-8")
    import_file(rejected, "customers", people)
    code, out, err = kequn_output(capsys, "privacy", "erase", "E1", "-w", rejected.root)
    assert code == 0, out + err
    with rejected.read() as con:
        left = con.execute("SELECT count(*) FROM customers WHERE customer_id = 'E1'").fetchone()
    assert left == (0,)
