"""Linking source records to persons, on DuckDB with splink 5.

The steps, on a scratch DuckDB connection holding ``src`` (one row per customer record:
customer_id, origin, name, phone, email, city, address, birth_date, attributes):

1. **Normalise** (:func:`kequn.identity.prepare.prepare`): names as 汉字 and pinyin,
   phones as full digits and as their visible digits, e-mail, city, address, unionid.
2. **Deterministic links** (:func:`kequn.identity.prepare.deterministic_links`): the
   same WeChat unionid or platform buyer id; the same full phone or e-mail *and* name.
3. **Probabilistic links** (:func:`kequn.identity.model.probabilistic_links`): a
   Fellegi-Sunter model trained by EM, on blocked pairs; accepted at ``threshold`` only
   when the names agree too, so a masked phone alone never links two records.
4. **Clustering** (:func:`kequn.identity.clustering.cluster_sql`): links strongest first
   into connected components, set-based in DuckDB, never joining a rejected pair nor
   (unless confirmed) records whose names disagree.

The functions of the steps are importable from here as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from kequn.identity.clustering import cluster, cluster_sql, person_id
from kequn.identity.model import (
    BLOCKING,
    COMPARISONS,
    MIN_RECORDS,
    REVIEW_FLOOR,
    evidence_text,
    probabilistic_links,
    settings,
)
from kequn.identity.names import (
    NAMES_AGREE,
    name_distance,
    name_key,
    names_agree,
    record_names,
)
from kequn.identity.prepare import (
    BUYER_KEYS,
    COMMON_NAME,
    UNIONID_KEYS,
    deterministic_links,
    prepare,
)

_name_key = name_key  # the name it had before the split

__all__ = [
    "BLOCKING",
    "BUYER_KEYS",
    "COMMON_NAME",
    "COMPARISONS",
    "MIN_RECORDS",
    "NAMES_AGREE",
    "REVIEW_FLOOR",
    "UNIONID_KEYS",
    "cluster",
    "cluster_sql",
    "decisions_of",
    "deterministic_links",
    "evidence_text",
    "name_distance",
    "name_key",
    "names_agree",
    "person_id",
    "prepare",
    "probabilistic_links",
    "record_names",
    "resolve",
    "settings",
]


def decisions_of(
    decisions: Iterable[tuple[str, str | None, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], set[str]]:
    """(confirmed pairs, rejected pairs, split records) from people's decisions."""
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
    return confirmed, rejected, split


def resolve(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float,
    model_path: Path,
    retrain: bool = False,
    decisions: Iterable[tuple[str, str | None, str]] = (),
) -> dict[str, Any]:
    """Steps 1-4 on ``src``: leaves ``links`` (every candidate pair with its rule,
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
    info = probabilistic_links(con, model_path=model_path, retrain=retrain, seconds=seconds)
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
    confirmed, rejected, split = decisions_of(decisions)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE accepted_links AS
        SELECT a, b, row_number() OVER (ORDER BY rule = 'model', probability DESC, a, b) AS ord
        FROM links WHERE accepted"""
    )
    counted = cluster_sql(
        con,
        records="rec",
        edges="accepted_links",
        rejected=rejected,
        confirmed=confirmed,
        split=split,
    )
    con.execute("DROP TABLE accepted_links")
    lap("cluster")
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE accepted), count(*) FILTER (WHERE rule <> 'model'),"
        " count(*) FROM links"
    ).fetchone()
    assert counts is not None
    return {
        **info,
        "records": records,
        "persons": counted["persons"],
        "links": int(counts[0]),
        "deterministic": int(counts[1]),
        "candidates": int(counts[2]),
        "checked_components": counted["checked"],
        "rounds": counted["rounds"],
        "seconds": seconds,
    }
