"""The set-based clustering (DuckDB) gives exactly the reference union-find's persons."""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa
import pytest

from kequn.identity import clustering
from kequn.identity.names import name_key

#: names some of which agree (one edit apart) and some not, so components get cut
NAMES = [
    "张伟",
    "张玮",
    "Zhang Wei",
    "Wei Zhang",
    "张为",
    "李娜",
    "Li Na",
    "王小明",
    "王晓红",
    None,
]


def _graph(seed: int, n: int, m: int) -> tuple[list[str], dict, list, list, list, list]:
    rng = random.Random(seed)
    ids = [f"r{i:04d}" for i in range(n)]
    names: dict[str, tuple[str, str]] = {}
    for x in ids:
        name = rng.choice(NAMES)
        if name is not None:
            _, py, rev = name_key(name)
            assert py is not None
            assert rev is not None
            names[x] = (py, rev)
    edges = list({tuple(rng.sample(ids, 2)) for _ in range(m)})
    rng.shuffle(edges)
    rejected = [tuple(rng.sample(ids, 2)) for _ in range(n // 20)]
    confirmed = [tuple(rng.sample(ids, 2)) for _ in range(n // 30)]
    split = rng.sample(ids, n // 40)
    return ids, names, edges, rejected, confirmed, split  # type: ignore[return-value]


def _sql(ids, names, edges, rejected, confirmed, split) -> tuple[dict[str, str], dict]:  # type: ignore[no-untyped-def]
    con = duckdb.connect()
    con.register(
        "recs",
        pa.table(
            {
                "customer_id": ids,
                "name_py": [names.get(x, (None, None))[0] for x in ids],
                "name_rev": [names.get(x, (None, None))[1] for x in ids],
            }
        ),
    )
    con.register(
        "edges",
        pa.table(
            {
                "a": [e[0] for e in edges],
                "b": [e[1] for e in edges],
                "ord": list(range(len(edges))),
            }
        ),
    )
    counts = clustering.cluster_sql(
        con, records="recs", edges="edges", rejected=rejected, confirmed=confirmed, split=split
    )
    mapping = dict(con.execute("SELECT customer_id, person_id FROM person_map").fetchall())
    con.close()
    return mapping, counts


@pytest.mark.parametrize(
    ("seed", "n", "m"),
    [(1, 300, 200), (2, 300, 400), (3, 1000, 1500), (4, 200, 600), (5, 2000, 1200)],
)
def test_set_based_clustering_equals_the_reference(seed: int, n: int, m: int) -> None:
    ids, names, edges, rejected, confirmed, split = _graph(seed, n, m)
    kept = [(a, b) for a, b in edges if a not in split and b not in split]
    expected = clustering.cluster(ids, kept, rejected, names=names, confirmed=confirmed)
    got, counts = _sql(ids, names, edges, rejected, confirmed, split)
    assert got == expected
    # the random graphs are tangled enough that both ways of clustering are exercised
    assert counts["checked"] > 0
    assert counts["persons"] == len(set(expected.values())) < n


def test_long_chains_and_clean_components_need_no_reference() -> None:
    # one person in a chain of 500 records, all named alike: one component, no cut
    ids = [f"c{i:04d}" for i in range(500)]
    names = dict.fromkeys(ids, ("zhangwei", "weizhang"))
    edges = [(ids[i], ids[i + 1]) for i in range(499)]
    got, counts = _sql(ids, names, edges, [], [], [])
    assert set(got.values()) == {clustering.person_id("c0000")}
    assert counts["checked"] == 0
    assert counts["rounds"] < 20  # pointer jumping: rounds grow with log(length)


def test_person_ids_hash_non_ascii_ids_like_python() -> None:
    ids = ["天猫:001", "京东:002"]
    got, _ = _sql(ids, {}, [("天猫:001", "京东:002")], [], [], [])
    assert set(got.values()) == {clustering.person_id(min(ids))}
