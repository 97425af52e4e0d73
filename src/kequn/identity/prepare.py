"""Normalising source records, and the links their keys make deterministically.

:func:`prepare` makes ``rec`` from ``src`` (one row per customer record: customer_id,
origin, name, phone, email, city, address, birth_date, attributes): the name as 汉字
and as pinyin (:mod:`kequn.identity.names`), the phone as digits without +86
(``phone_full``) and as its first 3 and last 4 digits (``phone_mask``: what a masked
137****7151 still shows), the e-mail in lower case, the city without 市, the address
without spaces, the WeChat unionid and a platform buyer id from the attributes.

:func:`deterministic_links`: the same WeChat unionid or platform buyer id; the same full
phone or e-mail *and* the same name; the same full phone that is a person's own
(``phone_own``: given by at most :data:`SHARED_PHONE` records, no two of them with names
that disagree), which links a record without a name. A phone a family shares is left to
the model, and a masked phone is never a key.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from kequn.identity.names import agree_sql, name_key

#: a name shared by more records of a city than this is as good as no name with a masked
#: phone (张伟 in 上海)
COMMON_NAME = 200
#: a name (with its city) is a blocking key on its own when this few records of the city
#: share it: then its rarity (TF) can tell; two-character names recur by the dozen in a
#: city of a million records, and their pairs sharing nothing else are never accepted
RARE_NAME = 10
#: a phone given by more records than this is taken as shared, whatever their names (a
#: person is in a handful of sources; a shop's own number is given by many)
SHARED_PHONE = 8

UNIONID_KEYS = ("wechat_unionid", "unionid", "union_id", "微信unionid")
BUYER_KEYS = ("buyer_id", "platform_buyer_id", "买家ID", "买家会员名")


def prepare(con: duckdb.DuckDBPyConnection) -> int:
    """Make ``rec`` (normalised columns) from ``src``; returns its row count."""
    names = [
        r[0] for r in con.execute("SELECT DISTINCT name FROM src WHERE name IS NOT NULL").fetchall()
    ]
    keyed = [name_key(n) for n in names]
    # typed: with no names (an orders-only workspace, its buyers derived) the columns
    # were of type null, and name_py[1] a binder error's traceback
    con.register(
        "name_keys_arrow",
        pa.table(
            {
                "name": names,
                "name_hz": [k[0] for k in keyed],
                "name_py": [k[1] for k in keyed],
                "name_rev": [k[2] for k in keyed],
            },
            schema=pa.schema(
                [(c, pa.string()) for c in ("name", "name_hz", "name_py", "name_rev")]
            ),
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
               least(name_py[1], name_rev[1]) || greatest(name_py[1], name_rev[1])
                   AS name_inits,
               CASE WHEN city IS NOT NULL
                         AND count(*) OVER (PARTITION BY name_key, city) <= {RARE_NAME}
                    THEN name_key || '|' || city END AS name_city,
               coalesce(count(*) OVER (PARTITION BY name_key, city) > {COMMON_NAME}
                        AND name_key IS NOT NULL AND city IS NOT NULL, false) AS name_common,
               CASE WHEN length(d) >= 7 AND d NOT LIKE '%*%' THEN d END AS phone_full,
               CASE WHEN length(d) = 11 AND d[1:3] NOT LIKE '%*%' AND d[8:11] NOT LIKE '%*%'
                    THEN d[1:3] || d[8:11] END AS phone_mask,
               CASE WHEN email LIKE '%_@_%' THEN email END AS email,
               city, address, birth_date, unionid, buyer_id
        FROM phones
        """
    )
    # a phone that records with names that disagree share (a family's), or that very
    # many records give (a shop's own number): it says less about who a record is
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE shared_phones AS
        WITH sized AS (
            SELECT customer_id, phone_full, name_py, name_rev,
                   count(*) OVER (PARTITION BY phone_full) AS k
            FROM rec WHERE phone_full IS NOT NULL
        )
        SELECT DISTINCT phone_full FROM sized WHERE k > {SHARED_PHONE}
        UNION
        SELECT x.phone_full FROM sized x JOIN sized y
            ON x.phone_full = y.phone_full AND x.customer_id < y.customer_id
            WHERE x.k BETWEEN 2 AND {SHARED_PHONE}
              AND NOT {agree_sql("x.name_py", "y.name_py", "y.name_rev")}
        """
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE rec AS
        SELECT r.*, r.phone_full IS NOT NULL AND s.phone_full IS NULL AS phone_own
        FROM rec r LEFT JOIN shared_phones s ON s.phone_full = r.phone_full"""
    )
    con.execute("DROP TABLE shared_phones")
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
            SELECT customer_id, 'phone (own)', phone_full FROM rec WHERE phone_own
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
