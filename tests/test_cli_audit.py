"""What the command line does with personal data is audited as the API does it: the
README promises `audit.jsonl` records exports, reads of personal data (CLI and API) and
imports, but `kequn export` (names, phones and e-mails to a file), `kequn show` (one
person's data) and `kequn import` left no entry; only the dashboard's download, the API's
customer read and upload did. An analyst with a shell exported a segment unrecorded."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from cli_helpers import kequn_output
from kequn.demo import demo_workspace
from kequn.store.access import read_audit
from kequn.store.workspace import Workspace


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    return functools.partial(kequn_output, capsys)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.pipeline import run

    ws = demo_workspace(tmp_path_factory.mktemp("audited"), 40, seed=11)
    run(ws)
    return ws


def _entries(ws: Workspace, action: str) -> list[dict[str, object]]:
    return [e for e in read_audit(ws, limit=10_000) if e["action"] == action]


def test_an_export_from_the_command_line_is_audited(  # type: ignore[no-untyped-def]
    cli, shop: Workspace, tmp_path: Path
) -> None:
    before = len(_entries(shop, "export"))
    code, out, err = cli("export", "lifecycle=churned", "-o", tmp_path / "c.xlsx", "-w", shop.root)
    assert code == 0, (out, err)
    entries = _entries(shop, "export")
    assert len(entries) == before + 1
    latest = entries[0]
    assert latest["who"] == "cli"
    assert latest["details"]["segment"] == "lifecycle=churned"  # type: ignore[index]
    rows = int(out.split()[0].replace(",", ""))
    assert latest["details"]["rows"] == rows  # type: ignore[index]


def test_a_customer_shown_on_the_command_line_is_audited(  # type: ignore[no-untyped-def]
    cli, shop: Workspace
) -> None:
    for extra in ([], ["--json"]):
        before = len(_entries(shop, "customer.read"))
        code, out, err = cli("show", "C00000001", "-w", shop.root, *extra)
        assert code == 0, (out, err)
        entries = _entries(shop, "customer.read")
        assert len(entries) == before + 1
        assert entries[0]["who"] == "cli"
        assert entries[0]["details"] == {"customer_id": "C00000001"}
    # a customer not found read nothing: nothing recorded
    before = len(_entries(shop, "customer.read"))
    assert cli("show", "NOBODY", "-w", shop.root)[0] == 1
    assert len(_entries(shop, "customer.read")) == before


def test_an_import_from_the_command_line_is_audited(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ws"
    assert cli("init", folder)[0] == 0
    sheet = tmp_path / "客户 名单.csv"
    sheet.write_text("customer_id,name,phone\nC1,王小明,13812345678\n", encoding="utf-8")
    code, out, err = cli("import", "customers", sheet, "-w", folder)
    assert code == 0, (out, err)
    entries = _entries(Workspace.open(folder), "import")
    assert [(e["who"], e["details"]) for e in entries] == [
        ("cli", {"table": "customers", "file": "客户 名单.csv"})
    ]
    said = (folder / "audit.jsonl").read_text(encoding="utf-8")
    assert "王小明" not in said
    assert "13812345678" not in said
