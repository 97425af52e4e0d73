"""The import's currency note names only the currencies that differ from the workspace's
and says what became of their rows: a file of US$ and € amounts imported into a USD
workspace keeps its USD rows and quarantines the EUR one, and the note said "the file's
currency (USD, EUR) differs from the workspace's USD; amounts were not converted"."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.summary import format_lines
from kequn.store.workspace import Settings, Workspace

HEAD = "订单号,会员卡号,下单时间,实付金额\n"


def _orders(tmp_path: Path, amounts: list[str]) -> Path:
    path = tmp_path / "orders.csv"
    rows = "".join(f"A{i},M{i},2025-01-02,{a}\n" for i, a in enumerate(amounts))
    path.write_text(HEAD + rows, encoding="utf-8")
    return path


def _notes(ws: Workspace, path: Path, lang: str) -> list[str]:
    report = import_file(ws, "orders", path, create_customers=True)
    return [line.text for line in format_lines(report, lang) if line.warn]


def test_mixed_file_names_the_quarantined_currency_only(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "usd", Settings(currency="USD"))
    path = _orders(tmp_path, ["US$35", "12", "€30", "US$8"])
    # the USD rows are the workspace's own money: only EUR is named, as quarantined
    assert _notes(ws, path, "en") == [
        (
            "Note: the file's orders in EUR (1 of the file's rows) differ from the workspace's "
            "USD and cannot be added up with those in USD, so they were quarantined, not "
            "imported. Convert them and import them again (the quarantine lists those rows)."
        )
    ]
    again = Workspace.init(tmp_path / "usd2", Settings(currency="USD"))
    assert _notes(again, path, "zh") == [
        (
            "注意：文件中以 EUR 计价的订单（文件中的 1 行）与工作区的 USD 不同，且不能与以 USD "
            "计价的订单相加，已隔离、未导入：换算后重新导入（隔离区列出这些行）。"
        )
    ]


def test_a_file_all_in_another_currency_says_it_was_not_converted(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "cny")
    assert _notes(ws, _orders(tmp_path, ["US$35", "US$12"]), "en") == [
        (
            "Note: the file's amounts in USD differ from the workspace's CNY and were imported "
            "as they are, not converted. Convert them and import them again, or import them "
            "into a workspace in USD."
        )
    ]


def test_two_foreign_currencies_say_which_was_kept_and_which_quarantined(
    tmp_path: Path,
) -> None:
    ws = Workspace.init(tmp_path / "cny")
    kept, held = _notes(ws, _orders(tmp_path, ["€3", "€4", "£5"]), "en")
    assert kept.startswith("Note: the file's amounts in EUR differ from the workspace's CNY")
    assert held.startswith("Note: the file's orders in GBP (1 of the file's rows) differ")
    assert held.endswith("with those in EUR, so they were quarantined, not imported. "
                         "Convert them and import them again (the quarantine lists those rows).")  # fmt: skip


def test_a_platform_export_in_its_own_currency_names_it(tmp_path: Path) -> None:
    """A 快手 export (its amounts in CNY, no currency column) into a USD workspace: the
    note named the currency '?' ("the file's currency (?)")."""
    sys.path.insert(0, str(Path(__file__).parent / "corpus"))
    try:
        kuaishou = importlib.import_module("kuaishou")
    finally:
        sys.path.remove(str(Path(__file__).parent / "corpus"))
    (tmp_path / "files").mkdir()
    (path,) = kuaishou.build(tmp_path / "files")["files"]
    ws = Workspace.init(tmp_path / "usd", Settings(currency="USD"))
    assert _notes(ws, path, "en") == [
        (
            "Note: the file's amounts in CNY differ from the workspace's USD and were imported "
            "as they are, not converted. Convert them and import them again, or import them "
            "into a workspace in CNY."
        )
    ]
