"""Names as keys: 汉字 and pinyin, and when two names are one person's.

王小明, 王曉明, 王晓明, "Wang Xiaoming" and "Xiaoming Wang" all read ``wangxiaoming``
(the pinyin in either order of its two groups, surname and given name), and two names
*agree* when they are at most one edit apart in that pinyin (a typo), so 王小明 and 王晓红
(two edits) never do: siblings who share a phone stay two people.
"""

from __future__ import annotations

import functools

import duckdb


def name_key(name: str) -> tuple[str | None, str | None, str | None]:
    """(汉字, pinyin surname first, pinyin the other way round) of a name: 王小明 →
    ("王小明", "wangxiaoming", "xiaomingwang"); "Xiaoming Wang" → (None,
    "xiaomingwang", "wangxiaoming"), so either order of a Latin name meets the 汉字."""
    text = "".join(name.split())
    if not text:
        return None, None, None
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        hanzi = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
        groups = [g for g in (_pinyin(hanzi[0]), _pinyin(hanzi[1:])) if g]
        return hanzi, "".join(groups), "".join(reversed(groups))
    parts = [
        "".join(ch for ch in part.lower() if ch.isalpha())
        for part in name.replace("-", " ").split()
    ]
    groups = [g for g in parts if g]
    if not groups:
        return None, None, None
    return None, "".join(groups), "".join(reversed(groups))


@functools.lru_cache(maxsize=65536)
def _pinyin(hanzi: str) -> str:
    """The pinyin of a surname or a given name, lower case (names repeat their parts:
    a million records hold a few thousand given names)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(hanzi)).lower()


def name_distance(a: tuple[str, str], b: tuple[str, str]) -> int:
    """Edits between two names (pinyin, either order of the second)."""
    return min(levenshtein(a[0], b[0]), levenshtein(a[0], b[1]))


def names_agree(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """The same person's name, allowing one typo (王小明 and 王晓红 are two edits apart:
    siblings sharing a phone must not meet)."""
    return name_distance(a, b) <= 1


def levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) between two strings: the
    optimal string alignment distance, as DuckDB's damerau_levenshtein."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def agree_sql(a_py: str, b_py: str, b_rev: str) -> str:
    """SQL for :func:`names_agree` given the column expressions of one name's pinyin and
    the other's pinyin and reversed pinyin."""
    return f"least(damerau_levenshtein({a_py}, {b_py}), damerau_levenshtein({a_py}, {b_rev})) <= 1"


#: SQL for names_agree on a scored pair's _l/_r columns
NAMES_AGREE = agree_sql("name_py_l", "name_py_r", "name_rev_r")


def record_names(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Each customer record's name as (pinyin, reversed), for those with one."""
    rows = con.execute("SELECT customer_id, name FROM customers WHERE name IS NOT NULL").fetchall()
    keys: dict[str, tuple[str | None, str | None, str | None]] = {}
    out: dict[str, tuple[str, str]] = {}
    for customer_id, name in rows:
        key = keys.get(name) or keys.setdefault(name, name_key(name))
        if key[1] is not None and key[2] is not None:
            out[customer_id] = (key[1], key[2])
    return out
