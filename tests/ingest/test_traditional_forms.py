"""Every word kequn knows, written in 繁體 (as 台灣 and 香港 write it), is read as that
word: each header of headers.yaml and of the platform profiles, and each status, refund
and choice word. The 繁體 forms are made with OpenCC's own s2t / s2tw / s2hk, the reverse
of the ``t2s`` kequn reads with, so a character it would miss (暱 of 暱稱) shows here."""

from __future__ import annotations

import duckdb
import opencc
import pytest

from kequn.core.traditional import simplified
from kequn.ingest import formats
from kequn.ingest.convert import install_macros, other_spellings, plain_key, with_spellings
from kequn.ingest.mapping import _synonyms, match_headers, normalise_header, strip_unit

TABLES = ("customers", "orders", "events")


def header_words() -> set[str]:
    words = {str(w) for t in TABLES for ws in _synonyms()[t].values() for w in ws}
    for profile in formats.profiles().values():
        words.update(w for ws in profile.columns.values() for w in ws)
        words.update((*profile.detect_all, *profile.detect_any, *profile.item_file, *profile.shop))
    return words


def value_words() -> set[str]:
    words = {str(w) for kind in _synonyms()["values"].values() for ws in kind.values() for w in ws}
    for profile in formats.profiles().values():
        words.update((*profile.statuses, *profile.refund_statuses, *profile.status_wins))
    return words


def chinese(words: set[str]) -> list[str]:
    return sorted(w for w in words if not w.isascii())


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_every_known_word_in_traditional_is_read_as_itself(config: str) -> None:
    convert = opencc.OpenCC(config).convert
    words = chinese(header_words() | value_words())
    assert len(words) > 400  # the vocabularies were found
    missed = {w: convert(w) for w in words if simplified(convert(w)) != w}
    assert missed == {}
    # and the header as matched: 訂單編號 with its separators and full-width forms
    headers = chinese(header_words())
    assert all(normalise_header(convert(w)) == normalise_header(w) for w in headers)


def test_a_simplified_word_is_left_as_it_is() -> None:
    """Nothing that matched before matches otherwise: no simplified word kequn knows is
    changed by the conversion (two different words made one would merge two columns)."""
    words = chinese(header_words() | value_words())
    assert [w for w in words if simplified(w) != w] == []
    assert simplified("Customer_ID") == "Customer_ID"


@pytest.mark.parametrize("table", TABLES)
def test_each_column_s_headers_in_traditional_map_to_that_column(table: str) -> None:
    convert = opencc.OpenCC("s2tw").convert
    for column, words in _synonyms()[table].items():
        for word in chinese({str(w) for w in words}):
            found = match_headers(table, [convert(word)]).columns
            simple = match_headers(table, [word]).columns
            assert found == simple, (column, word, convert(word))


def test_a_file_s_traditional_words_stand_for_the_words_they_spell() -> None:
    con = duckdb.connect()
    install_macros(con)
    con.execute(
        "CREATE TABLE raw AS SELECT * FROM (VALUES ('交易成功'), (' 交易關閉 '), ('已退款'), "
        "('退款中'), ('買家已付款，等待賣家發貨'), ('外星狀態'), ('paid'), (NULL)) t(c0)"
    )
    keys: list[str | None] = [plain_key(w) for w in ("交易成功", "交易关闭", "已退款", "退款中")]
    keys.append(plain_key("买家已付款，等待卖家发货"))
    vals: list[str | None] = ["paid", "cancelled", "refunded", "refunding", "paid"]
    found = other_spellings(con, "kq_text(c0)", ["c0"], keys)
    # the cell as kq_pick compares it (trimmed, full-width comma made plain)
    assert found == {"交易關閉": "交易关闭", "買家已付款,等待賣家發貨": "买家已付款,等待卖家发货"}
    keys, vals = with_spellings(keys, vals, found)
    picked = con.execute(
        "SELECT c0, kq_pick(kq_text(c0), $k, $v) FROM raw", {"k": keys, "v": vals}
    ).fetchall()
    assert dict(picked) == {
        "交易成功": "paid",
        " 交易關閉 ": "cancelled",
        "已退款": "refunded",
        "退款中": "refunding",
        "買家已付款，等待賣家發貨": "paid",
        "外星狀態": None,
        "paid": None,
        None: None,
    }


def test_a_unit_in_traditional_is_the_unit() -> None:
    """金額（萬元）is an amount in 万元: ten thousand yuan a unit, as 金额（万元）."""
    assert strip_unit("實付金額（萬元）") == ("实付金额", "万元")
    assert strip_unit("金額(人民幣)") == ("金额", "人民币")
    assert strip_unit("陳列") == ("陳列", None)  # no unit: the header as written
    matched = match_headers("orders", ["訂單編號", "實付金額（萬元）"])
    assert (matched.columns, matched.units) == ({"order_id": 0, "amount": 1}, {"amount": "万元"})
