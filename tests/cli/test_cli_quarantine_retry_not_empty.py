"""``kequn quarantine retry`` (orders by default) said "The quarantine is empty." while
``kequn quarantine`` listed rejected rows: customers' rows, or a line whose quote is never
closed, which retry cannot read. It says there is nothing it can read again, how to name
another table and that such a line must be mended in its file; empty only when it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_output, kequn_words


@pytest.mark.parametrize(("lang", "words", "empty"), [
    ("en", "No rejected rows to read again (--table orders)", "The quarantine is empty"),
    ("zh", "没有可重新读取的被拒行（--table orders）", "隔离区为空"),
])  # fmt: skip
def test_retry_does_not_call_a_holding_quarantine_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str, empty: str
) -> None:
    shop = tmp_path / "shop"
    assert kequn_output(capsys, "init", shop)[0] == 0
    code, said = kequn_words(capsys, "--lang", lang, "quarantine", "retry", "-w", shop)
    assert code == 0, said
    assert empty in said, said  # nothing quarantined yet: empty it is
    customers = tmp_path / "customers.csv"
    customers.write_text('customer_id,name\nC1,Ana\n"C2,Bo\n', encoding="utf-8")
    assert kequn_output(capsys, "import", "customers", customers, "-w", shop)[0] == 0
    code, out, _ = kequn_output(capsys, "quarantine", "-w", shop, "--json")
    assert code == 0
    assert '"customers"' in out  # the unclosed quote's row is held
    for table in ("orders", "customers"):
        code, said = kequn_words(
            capsys, "--lang", lang, "quarantine", "retry", "--table", table, "-w", shop
        )
        assert code == 0, said
        assert empty not in said, said
        assert words.replace("orders", table) in said, said
