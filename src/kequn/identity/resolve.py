"""Linking source records to persons, on DuckDB with splink 5.

The steps, on a scratch DuckDB connection holding ``src`` (one row per customer record:
customer_id, origin, name, phone, email, city, address, birth_date, attributes):

1. **Normalise** (:func:`prepare`): the name as 汉字 and as pinyin (sorted syllable
   groups, so 王小明, 王曉明, 王晓明, "Wang Xiaoming" and "Xiaoming Wang" all read
   ``wangxiaoming``), the phone as digits without +86 (``phone_full``) and as its
   first 3 and last 4 digits (``phone_mask``: what a masked 137****7151 still shows),
   the e-mail in lower case, the city without 市, the address without spaces, the
   WeChat unionid and a platform buyer id from the attributes.
2. **Deterministic links** (:func:`deterministic_links`): the same WeChat unionid or
   platform buyer id; the same full phone or e-mail *and* the same name (a phone a
   family shares, or a record without a name, is left to step 3).
3. **Probabilistic links** (:func:`probabilistic_links`): a Fellegi-Sunter model
   (splink) comparing name, phone, e-mail, city, address and birth date, on pairs from
   blocking rules (same pinyin name unless very common, same phone_mask, same e-mail,
   same birth date and city, same address), so the work grows with the records, not
   their square. Its u parameters come from random sampling, its m parameters from EM;
   the model is stored and reused (``model_path``).
4. **Accepting** a probabilistic link needs ``match_probability >= threshold`` *and*
   names that agree: both known and at most two pinyin edits apart, or one missing and
   the same e-mail or full phone. So a masked phone on its own never links two records,
   and neither does a phone a family shares when the names differ (such pairs are kept
   as candidates for review).
5. **Clustering** (:func:`cluster`): links are taken strongest first (confirmed by a
   person, deterministic, then by probability) into connected components, refusing any
   link that would put a rejected pair (or a record split off) into one person.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

#: a name shared by more records than this is not a blocking key alone (张伟 in a big city)
COMMON_NAME = 200
#: fewer records than this are linked deterministically only (no model to train)
MIN_RECORDS = 50
#: pairs scored at or above this probability are kept as candidate links (for review)
REVIEW_FLOOR = 0.5

UNIONID_KEYS = ("wechat_unionid", "unionid", "union_id", "微信unionid")
BUYER_KEYS = ("buyer_id", "platform_buyer_id", "买家ID", "买家会员名")


def _name_key(name: str) -> tuple[str | None, str | None, str | None]:
    """(汉字, pinyin surname first, pinyin the other way round) of a name: 王小明 →
    ("王小明", "wangxiaoming", "xiaomingwang"); "Xiaoming Wang" → (None,
    "xiaomingwang", "wangxiaoming"), so either order of a Latin name meets the 汉字."""
    from pypinyin import lazy_pinyin

    text = "".join(name.split())
    if not text:
        return None, None, None
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        hanzi = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
        groups = ["".join(lazy_pinyin(hanzi[0])), "".join(lazy_pinyin(hanzi[1:]))]
        groups = [g.lower() for g in groups if g]
        return hanzi, "".join(groups), "".join(reversed(groups))
    parts = [
        "".join(ch for ch in part.lower() if ch.isalpha())
        for part in name.replace("-", " ").split()
    ]
    groups = [g for g in parts if g]
    if not groups:
        return None, None, None
    return None, "".join(groups), "".join(reversed(groups))


def name_distance(a: tuple[str, str], b: tuple[str, str]) -> int:
    """Edits between two names (pinyin, either order of the second)."""
    return min(_levenshtein(a[0], b[0]), _levenshtein(a[0], b[1]))


def names_agree(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """The same person's name, allowing one typo (王小明 and 王晓红 are two edits apart:
    siblings sharing a phone must not meet)."""
    return name_distance(a, b) <= 1


def _levenshtein(a: str, b: str) -> int:
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


#: SQL for names_agree on a pair's _l/_r columns
NAMES_AGREE = (
    "least(damerau_levenshtein(name_py_l, name_py_r), damerau_levenshtein(name_py_l, name_rev_r))"
    " <= 1"
)


def record_names(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """Each customer record's name as (pinyin, reversed), for those with one."""
    rows = con.execute("SELECT customer_id, name FROM customers WHERE name IS NOT NULL").fetchall()
    keys: dict[str, tuple[str | None, str | None, str | None]] = {}
    out: dict[str, tuple[str, str]] = {}
    for customer_id, name in rows:
        key = keys.get(name) or keys.setdefault(name, _name_key(name))
        if key[1] is not None and key[2] is not None:
            out[customer_id] = (key[1], key[2])
    return out


def prepare(con: duckdb.DuckDBPyConnection) -> int:
    """Make ``rec`` (normalised columns) from ``src``; returns its row count."""
    names = [
        r[0] for r in con.execute("SELECT DISTINCT name FROM src WHERE name IS NOT NULL").fetchall()
    ]
    keyed = [_name_key(n) for n in names]
    con.register(
        "name_keys_arrow",
        pa.table(
            {
                "name": names,
                "name_hz": [k[0] for k in keyed],
                "name_py": [k[1] for k in keyed],
                "name_rev": [k[2] for k in keyed],
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE name_keys AS SELECT * FROM name_keys_arrow")
    con.unregister("name_keys_arrow")
    unionid = " , ".join(f"attributes['{k}']" for k in UNIONID_KEYS)
    buyer = " , ".join(f"attributes['{k}']" for k in BUYER_KEYS)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE rec AS
        WITH base AS (
            SELECT s.customer_id, s.origin, k.name_hz, k.name_py, k.name_rev,
                   least(k.name_py, k.name_rev) AS name_key,
                   regexp_replace(coalesce(s.phone, ''), '[^0-9*]', '', 'g') AS digits,
                   nullif(lower(trim(s.email)), '') AS email,
                   nullif(regexp_replace(trim(coalesce(s.city, '')), '市$', ''), '') AS city,
                   nullif(regexp_replace(lower(coalesce(s.address, '')), '\\s', '', 'g'), '')
                       AS address,
                   CAST(s.birth_date AS VARCHAR) AS birth_date,
                   nullif(trim(CAST(coalesce({unionid}) AS VARCHAR)), '') AS unionid,
                   nullif(trim(coalesce(attributes['platform'], '') || ':'
                       || CAST(coalesce({buyer}) AS VARCHAR)), '') AS buyer_id
            FROM src s LEFT JOIN name_keys k ON s.name = k.name
        ), phones AS (
            SELECT *, CASE WHEN length(digits) = 13 AND digits LIKE '86%' THEN digits[3:]
                           ELSE digits END AS d
            FROM base
        )
        SELECT customer_id, origin, name_hz, name_py, name_rev, name_key,
               CASE WHEN count(*) OVER (PARTITION BY name_key) <= {COMMON_NAME}
                    THEN name_key END AS name_block,
               CASE WHEN length(d) >= 7 AND d NOT LIKE '%*%' THEN d END AS phone_full,
               CASE WHEN length(d) = 11 AND d[1:3] NOT LIKE '%*%' AND d[8:11] NOT LIKE '%*%'
                    THEN d[1:3] || d[8:11] END AS phone_mask,
               CASE WHEN email LIKE '%_@_%' THEN email END AS email,
               city, address, birth_date, unionid, buyer_id
        FROM phones
        """
    )
    row = con.execute("SELECT count(*) FROM rec").fetchone()
    return int(row[0]) if row else 0


def deterministic_links(con: duckdb.DuckDBPyConnection) -> None:
    """``det(a, b, rule)``: each record linked to the first record sharing its key."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE det AS
        WITH keys AS (
            SELECT customer_id, 'unionid' AS rule, unionid AS k FROM rec WHERE unionid IS NOT NULL
            UNION ALL
            SELECT customer_id, 'buyer_id', buyer_id FROM rec
                WHERE buyer_id IS NOT NULL AND buyer_id NOT LIKE '%:'
            UNION ALL
            SELECT customer_id, 'phone+name', phone_full || '|' || name_key FROM rec
                WHERE phone_full IS NOT NULL AND name_py IS NOT NULL
            UNION ALL
            SELECT customer_id, 'email+name', email || '|' || name_key FROM rec
                WHERE email IS NOT NULL AND name_py IS NOT NULL
        ), rooted AS (
            SELECT customer_id, rule, min(customer_id) OVER (PARTITION BY rule, k) AS root
            FROM keys
        )
        SELECT root AS a, customer_id AS b, min(rule) AS rule FROM rooted
        WHERE customer_id <> root GROUP BY ALL
        """
    )


#: (output column, levels as (label, SQL condition)); the first is the null level
COMPARISONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "name",
        [
            ("missing", "name_py_l IS NULL OR name_py_r IS NULL"),
            ("same 汉字", "name_hz_l = name_hz_r"),
            ("same pinyin", "name_key_l = name_key_r"),
            ("pinyin a typo apart", NAMES_AGREE),
            (
                "pinyin similar",
                (
                    "jaro_winkler_similarity(name_py_l, name_py_r) >= 0.9"
                    " OR jaro_winkler_similarity(name_py_l, name_rev_r) >= 0.9"
                ),
            ),
            ("different", "ELSE"),
        ],
    ),
    (
        "phone",
        [
            ("missing", "phone_mask_l IS NULL OR phone_mask_r IS NULL"),
            ("same number", "phone_full_l = phone_full_r"),
            (
                "masked: same visible digits",
                "(phone_full_l IS NULL OR phone_full_r IS NULL) AND phone_mask_l = phone_mask_r",
            ),
            ("different", "ELSE"),
        ],
    ),
    (
        "email",
        [
            ("missing", "email_l IS NULL OR email_r IS NULL"),
            ("same e-mail", "email_l = email_r"),
            ("different", "ELSE"),
        ],
    ),
    (
        "city",
        [
            ("missing", "city_l IS NULL OR city_r IS NULL"),
            ("same city", "city_l = city_r"),
            ("different", "ELSE"),
        ],
    ),
    (
        "address",
        [
            ("missing", "address_l IS NULL OR address_r IS NULL"),
            ("same address", "address_l = address_r"),
            ("similar address", "jaro_winkler_similarity(address_l, address_r) >= 0.9"),
            ("different", "ELSE"),
        ],
    ),
    (
        "birth_date",
        [
            ("missing", "birth_date_l IS NULL OR birth_date_r IS NULL"),
            ("same date", "birth_date_l = birth_date_r"),
            ("one digit apart", "damerau_levenshtein(birth_date_l, birth_date_r) <= 1"),
            ("different", "ELSE"),
        ],
    ),
]

BLOCKING = [
    "l.name_block = r.name_block",
    "l.phone_mask = r.phone_mask",
    "l.email = r.email",
    "l.birth_date = r.birth_date AND l.city = r.city",
    "l.address = r.address",
]


def settings() -> dict[str, Any]:
    comparisons = []
    for output, levels in COMPARISONS:
        specs: list[dict[str, Any]] = []
        for i, (label, sql) in enumerate(levels):
            spec: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
            if i == 0:
                spec["is_null_level"] = True
            if output == "name" and label == "same pinyin":
                spec["tf_adjustment_column"] = "name_key"
                spec["tf_adjustment_weight"] = 1.0
            specs.append(spec)
        comparisons.append({"output_column_name": output, "comparison_levels": specs})
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "customer_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": BLOCKING,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
    }


def probabilistic_links(
    con: duckdb.DuckDBPyConnection,
    *,
    model_path: Path,
    retrain: bool,
    floor: float = REVIEW_FLOOR,
    seed: int = 1,
) -> dict[str, Any]:
    """``prob(a, b, probability, weight, gamma_*, …)``: scored pairs at or above
    ``floor``. Trains the model (u by sampling, m by EM) unless one is stored."""
    from splink import DuckDBAPI, Linker

    gammas = ", ".join(f"gamma_{c}" for c, _ in COMPARISONS)
    n = int(con.execute("SELECT count(*) FROM rec").fetchone()[0])  # type: ignore[index]
    if n < MIN_RECORDS:  # nothing to train on: deterministic links only
        nulls = ", ".join(f"NULL::INTEGER AS gamma_{c}" for c, _ in COMPARISONS)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE prob AS SELECT NULL::VARCHAR AS a,
            NULL::VARCHAR AS b, NULL::DOUBLE AS probability, NULL::DOUBLE AS weight, {nulls},
            NULL::BOOLEAN AS beyond_mask LIMIT 0"""
        )
        return {"trained": False, "model": "none: too few records"}
    logging.getLogger("splink").setLevel(logging.ERROR)  # untrained-level notes are expected
    db_api = DuckDBAPI(connection=con)
    records = db_api.register("rec")
    trained = model_path.is_file() and not retrain
    linker = Linker(records, str(model_path) if trained else settings(), log_level=None)
    info: dict[str, Any] = {"trained": not trained, "trained_on": n}
    if not trained:
        linker.training.estimate_probability_two_random_records_match(
            [
                "l.email = r.email AND l.name_key = r.name_key",
                "l.phone_full = r.phone_full AND l.name_key = r.name_key",
            ],
            recall=0.7,
        )
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(5e6, max(1e5, n * 20.0)), seed=seed
        )
        for rule in ("l.phone_mask = r.phone_mask", "l.name_block = r.name_block"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        model_path.parent.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(model_path), overwrite=True)
    scored = linker.inference.predict(threshold_match_probability=floor)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE prob AS
        SELECT customer_id_l AS a, customer_id_r AS b, match_probability AS probability,
               match_weight AS weight, {gammas},
               CASE WHEN name_py_l IS NOT NULL AND name_py_r IS NOT NULL
                    THEN {NAMES_AGREE}
                    ELSE coalesce(email_l = email_r OR phone_full_l = phone_full_r, false)
               END AS beyond_mask
        FROM {scored.physical_name}"""
    )
    scored.drop_table_from_database_and_remove_from_cache()
    return info


def evidence_text(gammas: dict[str, Any]) -> str:
    """``name: same pinyin; phone: masked: same visible digits; …`` from gamma values
    (splink numbers a comparison's non-null levels from the last, 0, upwards; -1 null)."""
    parts = []
    for output, levels in COMPARISONS:
        g = gammas.get(f"gamma_{output}")
        if g is None or g < 0:
            continue
        label = levels[len(levels) - 1 - int(g)][0]
        parts.append(f"{output}: {label}")
    return "; ".join(parts)


class _Union:
    def __init__(self, forbidden: dict[str, set[str]], names: dict[str, tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        self.forbid = {k: set(v) for k, v in forbidden.items()}
        self.names: dict[str, set[tuple[str, str]]] = {k: {v} for k, v in names.items()}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str, *, forced: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        fa, fb = self.forbid.get(ra), self.forbid.get(rb)
        if fa and any(self.find(x) == rb for x in fa):
            return False
        if fb and any(self.find(x) == ra for x in fb):
            return False
        na, nb = self.names.get(ra), self.names.get(rb)
        if not forced and na and nb and not all(names_agree(x, y) for x in na for y in nb):
            return False
        self.parent[rb] = ra
        if fb:
            self.forbid.setdefault(ra, set()).update(fb)
            del self.forbid[rb]
        if nb:
            self.names.setdefault(ra, set()).update(nb)
            del self.names[rb]
        return True


def cluster(
    ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    rejected: Iterable[tuple[str, str]] = (),
    *,
    names: dict[str, tuple[str, str]] | None = None,
    confirmed: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Each record's person id: connected components of the ``confirmed`` links, then
    of ``edges`` (taken in order, the strongest first), never joining the two records of
    a ``rejected`` pair, nor (except when confirmed) records whose known ``names``
    (pinyin, reversed) disagree, so a record without a name cannot chain two people
    who share a phone. A person id
    is ``P`` and 12 hex digits of a hash of its smallest record id (stable while that
    record stays in the person)."""
    forbidden: dict[str, set[str]] = {}
    for a, b in rejected:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)
    uf = _Union(forbidden, names or {})
    for a, b in confirmed:
        uf.union(a, b, forced=True)
    for a, b in edges:
        uf.union(a, b)
    members: dict[str, str] = {}
    all_ids = list(ids)
    for x in all_ids:
        root = uf.find(x)
        if root not in members or x < members[root]:
            members[root] = x
    return {x: person_id(members[uf.find(x)]) for x in all_ids}


def person_id(smallest: str) -> str:
    return "P" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id, not security


def gamma_json(row: dict[str, Any]) -> str:
    return json.dumps({k: row[k] for k in row if k.startswith("gamma_")})


def resolve(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float,
    model_path: Path,
    retrain: bool = False,
    decisions: Iterable[tuple[str, str | None, str]] = (),
) -> dict[str, Any]:
    """Steps 1-5 on ``src``: leaves ``links`` (every candidate pair with its rule,
    probability, evidence and whether it was accepted) and ``person_map(customer_id,
    person_id)`` in ``con``; returns counts for the report."""
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = round(now - clock, 1)
        clock = now

    records = prepare(con)
    deterministic_links(con)
    lap("prepare")
    info = probabilistic_links(con, model_path=model_path, retrain=retrain)
    lap("model")
    gammas = ", ".join(f"p.gamma_{c}" for c, _ in COMPARISONS)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE links AS
        SELECT least(coalesce(d.a, p.a), coalesce(d.b, p.b)) AS a,
               greatest(coalesce(d.a, p.a), coalesce(d.b, p.b)) AS b,
               coalesce(d.rule, 'model') AS rule,
               coalesce(p.probability, 1.0) AS probability, p.weight, {gammas},
               d.rule IS NOT NULL OR (p.probability >= {float(threshold)} AND p.beyond_mask)
                   AS accepted
        FROM det d FULL JOIN prob p
          ON least(d.a, d.b) = least(p.a, p.b) AND greatest(d.a, d.b) = greatest(p.a, p.b)"""
    )
    confirmed: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    split: set[str] = set()
    for a, b, decision in decisions:
        if decision == "confirm" and b is not None:
            confirmed.append((a, b))
        elif decision == "reject" and b is not None:
            rejected.append((a, b))
        elif decision == "split":
            split.add(a)
    ids = [r[0] for r in con.execute("SELECT customer_id FROM rec").fetchall()]
    accepted = con.execute(
        "SELECT a, b FROM links WHERE accepted ORDER BY rule = 'model', probability DESC, a, b"
    ).fetchall()
    known = set(ids)
    names = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            "SELECT customer_id, name_py, name_rev FROM rec WHERE name_py IS NOT NULL"
        ).fetchall()
    }
    edges = [(a, b) for a, b in accepted if a not in split and b not in split]
    mapping = cluster(
        ids,
        edges,
        rejected,
        names=names,
        confirmed=[(a, b) for a, b in confirmed if a in known and b in known],
    )
    con.register(
        "person_map_arrow",
        pa.table({"customer_id": list(mapping), "person_id": list(mapping.values())}),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE person_map AS SELECT * FROM person_map_arrow")
    con.unregister("person_map_arrow")
    lap("cluster")
    persons = len(set(mapping.values()))
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE accepted), count(*) FILTER (WHERE rule <> 'model'),"
        " count(*) FROM links"
    ).fetchone()
    assert counts is not None
    return {
        **info,
        "records": records,
        "persons": persons,
        "links": int(counts[0]),
        "deterministic": int(counts[1]),
        "candidates": int(counts[2]),
        "seconds": seconds,
    }
