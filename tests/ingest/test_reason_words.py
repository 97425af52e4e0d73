"""Every reason an import can quarantine a row for, and every note of its summary, is
told in words in 中文 and English; a person never reads the code (``refund_over_amount``),
a machine (``--json``) still does. The codes come from the registry the emitting code
uses (:mod:`kequn.ingest.reasons`), not from a list written here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from cli_helpers import kequn, kequn_words
from kequn.core.i18n import t
from kequn.ingest import (
    importer,  # noqa: F401 - registers the source notes' messages
    reasons,
)
from kequn.ingest.quarantine import explain_reason

_CJK = re.compile(r"[\u4e00-\u9fff]")
_INGEST = Path(reasons.__file__).parent


def test_the_registry_holds_the_codes_the_import_emits() -> None:
    # the ones the validation and the conversion are known to give, at least (a registry
    # emptied by mistake would pass the word checks below)
    assert {"refund_over_amount", "bad_money", "duplicate_id", "bad_row"} <= set(reasons.REASONS)
    assert "import.partial_refund_unknown" in reasons.NOTES


@pytest.mark.parametrize("code", sorted(reasons.REASONS))
def test_each_reason_has_words_in_both_languages(code: str) -> None:
    for key in (f"reason_name.{code}", f"reason.{code}"):
        zh, en = t(key, "zh", column="C", value="V", detail="D"), t(key, "en", column="C")
        assert zh.strip(), key
        assert en.strip(), key
        assert zh != en, key
        assert _CJK.search(zh), key  # Chinese words, not the English copied
        assert code not in zh, key  # words, not the code again
        assert code not in en, key
    assert explain_reason(code, "金额", "十元", "1", "zh") != code


@pytest.mark.parametrize("key", reasons.NOTES)
def test_each_note_has_words_in_both_languages(key: str) -> None:
    zh, en = t(key, "zh"), t(key, "en")
    assert zh.strip()
    assert en.strip()
    assert zh != en
    assert _CJK.search(zh)


def test_the_problems_table_accepts_registered_codes_only() -> None:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE p (reason VARCHAR NOT NULL {reasons.reason_check()})")
    for code in reasons.REASONS:
        con.execute("INSERT INTO p VALUES (?)", [code])
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO p VALUES ('refund_bigger_than_amount')")


def test_no_ingest_module_writes_a_reason_code_by_hand() -> None:
    """A reason written as a literal in the SQL ('bad_row', 'rejected') or passed to the
    validation as a string would bypass the registry (and its words)."""
    codes = "|".join(sorted(reasons.REASONS))
    literal = re.compile(rf"""['"]({codes})['"]""")
    for path in _INGEST.rglob("*.py"):
        if path.name == "reasons.py":
            continue
        found = literal.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found} (use kequn.ingest.reasons)"


def test_an_old_code_is_told_as_another_reason() -> None:
    assert reasons.reason_name("gone_code", "zh") == "其他原因（代码 gone_code）"
    said = explain_reason("gone_code", "amount", "5", None, "en")
    assert said == "another reason (code gone_code): amount 5"


_ORDERS = (
    "订单号,客户ID,下单时间,金额,退款金额,状态\n"
    "A1,C1,2024-01-05,100,150,已付款\n"  # more refunded than paid: kept, refund capped
    "A2,C1,2024-01-06,十元,,已付款\n"  # no amount
    "A1,C3,2024-01-07,20,,已付款\n"  # the same order id again
)
_CODES = ("refund_over_amount", "bad_money", "duplicate_id")


def test_the_chinese_import_and_quarantine_name_reasons_in_words(capsys, tmp_path: Path) -> None:
    ws, path = tmp_path / "ws", tmp_path / "订单.csv"
    path.write_text(_ORDERS, encoding="utf-8")
    assert kequn(capsys, "init", "-w", ws)[0] == 0
    code, said = kequn_words(
        capsys, "import", "orders", path, "-w", ws, "--create-customers", "--lang", "zh"
    )
    assert code == 0, said
    assert "退款多于实付: 1（如第 2 行：退款金额 为 150.00" in said
    assert "金额无法识别: 1（如第 3 行" in said
    assert "编号在文件中重复: 1（如第 4 行" in said
    for raw in _CODES:
        assert raw not in said
    code, said = kequn_words(capsys, "quarantine", "-w", ws, "--lang", "zh")
    assert code == 0, said
    assert "不是可识别的金额" in said
    assert "在本文件中重复" in said
    assert "多于订单实付" in said
    # the column in words too, not order_id: the file's header and the field's name
    assert "订单号 (订单编号) 已隔离" in said
    for raw in _CODES:
        assert raw not in said
    # English names them in English words
    code, said = kequn_words(capsys, "quarantine", "-w", ws, "--lang", "en")
    assert "is not an amount" in said
    assert "refund_over_amount" not in said
    # machines keep the codes, next to the words a person reads
    code, out = kequn(capsys, "quarantine", "-w", ws, "--json", "--lang", "zh")
    rows = json.loads(out)
    assert {r["reason"] for r in rows} == set(_CODES)
    named = {r["reason"]: r["reason_name"] for r in rows}
    assert named["refund_over_amount"] == "退款多于实付"
    code, out = kequn(capsys, "import", "orders", path, "-w", ws, "--json", "--lang", "zh")
    report = json.loads(out)
    assert set(report["rejected_by_reason"]) == {"bad_money", "duplicate_id"}
    assert set(report["warnings_by_reason"]) == {"refund_over_amount"}
