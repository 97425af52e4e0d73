"""The probabilistic links: a Fellegi-Sunter model (splink 5 on DuckDB).

It compares name, phone, e-mail, city, address and birth date on the pairs that blocking
rules make (see :data:`BLOCKING`), so the work grows with the records, not their square.
Its u parameters come from random sampling, its m parameters from EM; the model is
stored and reused (``model_path``). Agreeing on a common name (张伟) counts for less
than on a rare one (term-frequency adjustment).

A scored pair is only *accepted* with ``match_probability >= threshold`` and names that
agree (both known and at most one pinyin edit apart, or one missing and the same e-mail
or the same full phone that no one else gives: ``beyond_mask``), so a masked phone on
its own never links two records, and neither does a phone a family shares (such pairs
are kept as candidates for review). A name as common in its city as 张伟 in 上海 counts
as no name there: with it, a masked phone needs a full phone, e-mail, address or birth
date to agree as well.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import duckdb

from kequn.identity.names import NAMES_AGREE

#: fewer records than this are linked deterministically only (no model to train)
MIN_RECORDS = 50
#: blocked pairs EM trains on, at most
EM_PAIRS = 1e6
#: pairs scored at or above this probability are kept as candidate links (for review)
REVIEW_FLOOR = 0.5


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
            (
                "missing",
                (
                    "(phone_full_l IS NULL AND phone_mask_l IS NULL)"
                    " OR (phone_full_r IS NULL AND phone_mask_r IS NULL)"
                ),
            ),
            ("same number", "phone_full_l = phone_full_r AND phone_own_l"),
            ("same number, shared", "phone_full_l = phone_full_r"),
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

#: pairs compared: near-linear in the records (a masked phone only with the same
#: initials, a name only within its city, and never the thousands of 张伟 of one city)
BLOCKING = [
    "l.phone_full = r.phone_full",
    "l.phone_mask = r.phone_mask AND l.name_inits = r.name_inits",
    "l.email = r.email",
    "l.name_city = r.name_city",
    "l.name_key = r.name_key AND l.birth_date = r.birth_date",
    "l.birth_date = r.birth_date AND l.city = r.city",
    "l.address = r.address",
]


#: levels whose weight depends on how common the value is (张伟 says less than 欧阳子轩)
TF_COLUMNS = {"same 汉字": "name_hz", "same pinyin": "name_key"}


def settings() -> dict[str, Any]:
    comparisons = []
    for output, levels in COMPARISONS:
        specs: list[dict[str, Any]] = []
        for i, (label, sql) in enumerate(levels):
            spec: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
            if i == 0:
                spec["is_null_level"] = True
            if output == "name" and label in TF_COLUMNS:
                spec["tf_adjustment_column"] = TF_COLUMNS[label]
                spec["tf_adjustment_weight"] = 1.0
            specs.append(spec)
        comparisons.append({"output_column_name": output, "comparison_levels": specs})
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "customer_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": BLOCKING,
        "retain_matching_columns": True,
        "additional_columns_to_retain": ["name_common"],
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
    }


def _compatible(path: Path) -> bool:
    """Whether a stored model compares and blocks as :func:`settings` does now (a model
    stored by an earlier version of these rules is trained again)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        rules = [r["blocking_rule"] for r in stored["blocking_rules_to_generate_predictions"]]
        levels = [
            [level["sql_condition"] for level in c["comparison_levels"]]
            for c in stored["comparisons"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        rules == BLOCKING
        and levels == [[sql for _, sql in spec] for _, spec in COMPARISONS]
        and stored.get("additional_columns_to_retain") == settings()["additional_columns_to_retain"]
    )


def _without_model(con: duckdb.DuckDBPyConnection, why: str) -> dict[str, Any]:
    """No probabilistic links (an empty ``prob``): the deterministic ones stand alone."""
    nulls = ", ".join(f"NULL::INTEGER AS gamma_{c}" for c, _ in COMPARISONS)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE prob AS SELECT NULL::VARCHAR AS a,
        NULL::VARCHAR AS b, NULL::DOUBLE AS probability, NULL::DOUBLE AS weight, {nulls},
        NULL::BOOLEAN AS beyond_mask LIMIT 0"""
    )
    return {"trained": False, "model": why}


def probabilistic_links(
    con: duckdb.DuckDBPyConnection,
    *,
    model_path: Path,
    retrain: bool,
    floor: float = REVIEW_FLOOR,
    seed: int = 1,
    seconds: dict[str, float] | None = None,
) -> dict[str, Any]:
    """``prob(a, b, probability, weight, gamma_*, …)``: scored pairs at or above
    ``floor``. Trains the model (u by sampling, m by EM) unless one is stored."""
    from splink import DuckDBAPI, Linker

    started = time.perf_counter()
    gammas = ", ".join(f"gamma_{c}" for c, _ in COMPARISONS)
    n = int(con.execute("SELECT count(*) FROM rec").fetchone()[0])  # type: ignore[index]
    if n < MIN_RECORDS:  # nothing to train on: deterministic links only
        return _without_model(con, "none: too few records")
    logging.getLogger("splink").setLevel(logging.ERROR)  # untrained-level notes are expected
    db_api = DuckDBAPI(connection=con)
    records = db_api.register("rec")
    trained = model_path.is_file() and not retrain and _compatible(model_path)
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
        prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
        if not 0 < prior < 1:
            # no two records share an e-mail or a full phone with their name (one source
            # of distinct customers, such as the demo's): nothing tells a match from a
            # non-match, and splink's EM would stop on log2(0) with a traceback
            return _without_model(con, "none: no two records share a contact and a name")
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(5e6, max(1e5, n * 20.0)), seed=seed
        )
        for rule in ("l.phone_mask = r.phone_mask", "l.name_city = r.name_city"):
            # m from at most EM_PAIRS blocked pairs (records sampled by a hash on each
            # side, so matches keep their share): a million records give millions
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS
            )
        model_path.parent.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(model_path), overwrite=True)
    trained_at = time.perf_counter()
    scored = linker.inference.predict(threshold_match_probability=floor)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE prob AS
        SELECT customer_id_l AS a, customer_id_r AS b, match_probability AS probability,
               match_weight AS weight, {gammas},
               CASE WHEN name_py_l IS NOT NULL AND name_py_r IS NOT NULL
                    THEN {NAMES_AGREE} AND NOT (
                        -- 张伟 of 上海 and a masked phone: as good as the masked phone alone
                        (name_common_l OR name_common_r)
                        AND coalesce(phone_full_l = phone_full_r, false) = false
                        AND coalesce(email_l = email_r OR address_l = address_r
                                     OR birth_date_l = birth_date_r, false) = false)
                    ELSE coalesce(email_l = email_r
                                  OR (phone_full_l = phone_full_r AND phone_own_l), false)
               END AS beyond_mask
        FROM {scored.physical_name}"""
    )
    scored.drop_table_from_database_and_remove_from_cache()
    if seconds is not None:
        seconds["train"] = round(trained_at - started, 1)
        seconds["score"] = round(time.perf_counter() - trained_at, 1)
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


def evidence_sql() -> str:
    """:func:`evidence_text` as a SQL expression over a row's ``gamma_*`` columns."""
    parts = []
    for output, levels in COMPARISONS:
        whens = " ".join(
            f"WHEN {len(levels) - 1 - i} THEN '{output}: {label}'"
            for i, (label, _) in enumerate(levels)
            if i > 0
        )
        parts.append(f"CASE gamma_{output} {whens} END")
    return f"concat_ws('; ', {', '.join(parts)})"
