"""Links on multi-source data with known truth: the F1 target, and what must never link."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from kequn.identity import resolve, synthetic
from kequn.identity.model import COMPARISONS, evidence_sql

#: records that share only a masked phone (and a city) with another person's record
MASKED = [
    {"customer_id": "jd:M1", "name": "李娜", "phone": "137****7151", "city": "上海"},
    {"customer_id": "tmall:M2", "name": "王芳", "phone": "137****7151", "city": "上海"},
    {"customer_id": "pdd:M3", "name": None, "phone": "137****7151", "city": "上海"},
    {"customer_id": "store:M4", "name": "赵敏", "phone": "13712347151", "city": "上海"},
]
#: more 张伟 in 上海 than a name can tell apart (each its own person), two of whom show
#: the same masked phone and nothing else in common
COMMON = [
    {"customer_id": f"crm:Z{i:03d}", "name": "张伟", "phone": f"159{i:08d}", "city": "上海"}
    for i in range(260)
] + [
    {"customer_id": "jd:Z1", "name": "张伟", "phone": "138****0001", "city": "上海"},
    {"customer_id": "tmall:Z2", "name": "Zhang Wei", "phone": "138****0001", "city": "上海市"},
]


def _load(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    con.register("data", table)
    con.execute(
        """CREATE TEMP TABLE src AS SELECT customer_id, origin, name, phone, email, city,
        address, CAST(birth_date AS DATE) AS birth_date,
        CASE WHEN wechat_unionid IS NULL THEN MAP {}::MAP(VARCHAR, VARCHAR)
             ELSE MAP {'wechat_unionid': wechat_unionid} END AS attributes
        FROM data"""
    )


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], pa.Table, dict]:
    data = synthetic.generate(2000, seed=11)
    extra = [
        {c: row.get(c) for c in data.column_names} | {"truth": -1 - i, "origin": "x"}
        for i, row in enumerate(MASKED + COMMON)
    ]
    table = pa.concat_tables([data, pa.Table.from_pylist(extra, schema=data.schema)])
    con = duckdb.connect()
    _load(con, table)
    model = Path(tmp_path_factory.mktemp("model")) / "model.json"
    info = resolve.resolve(con, threshold=0.95, model_path=model, retrain=True)
    assert model.is_file()  # the trained parameters are stored
    mapping = dict(con.execute("SELECT customer_id, person_id FROM person_map").fetchall())
    return mapping, table, info


def test_links_reach_the_f1_target(linked: tuple[dict[str, str], pa.Table, dict]) -> None:
    mapping, table, info = linked
    assert info["records"] == table.num_rows > 4000
    ids = table["customer_id"].to_pylist()
    scores = synthetic.pair_scores([mapping[i] for i in ids], table["truth"].to_pylist())
    assert scores["f1"] >= 0.97, scores
    assert scores["precision"] >= 0.98, scores


def test_a_masked_phone_alone_never_links(linked: tuple[dict[str, str], pa.Table, dict]) -> None:
    mapping, _, _ = linked
    persons = [mapping[r["customer_id"]] for r in MASKED]  # type: ignore[index]
    assert len(set(persons)) == len(persons), persons


def test_a_masked_phone_and_a_common_name_never_link(
    linked: tuple[dict[str, str], pa.Table, dict],
) -> None:
    mapping, _, _ = linked
    assert mapping["jd:Z1"] != mapping["tmall:Z2"]
    assert len({mapping[str(r["customer_id"])] for r in COMMON}) == len(COMMON)


def test_a_stored_model_of_other_rules_is_trained_again(tmp_path: Path) -> None:
    con = duckdb.connect()
    _load(con, synthetic.generate(300, seed=3))
    model = tmp_path / "model.json"
    assert resolve.resolve(con, threshold=0.95, model_path=model)["trained"]
    assert not resolve.resolve(con, threshold=0.95, model_path=model)["trained"]  # reused
    stored = json.loads(model.read_text(encoding="utf-8"))
    stored["blocking_rules_to_generate_predictions"][0]["blocking_rule"] = "l.x = r.x"
    model.write_text(json.dumps(stored), encoding="utf-8")
    assert resolve.resolve(con, threshold=0.95, model_path=model)["trained"]


def test_names_in_hanzi_pinyin_and_traditional_meet() -> None:
    keys = {resolve._name_key(n)[1:] for n in ("王小明", "王曉明", "王晓明")}
    assert keys == {("wangxiaoming", "xiaomingwang")}
    hanzi = resolve._name_key("王小明")[1:]
    latin = [resolve._name_key(n)[1:] for n in ("Wang Xiaoming", "Xiaoming Wang", "Wang Xiaomng")]
    assert all(resolve.names_agree(hanzi, x) for x in latin)  # type: ignore[arg-type]
    assert not resolve.names_agree(hanzi, resolve._name_key("王晓红")[1:])  # type: ignore[arg-type]


def test_clustering_keeps_rejected_pairs_and_different_names_apart() -> None:
    names = {"a": ("zhangwei", "weizhang"), "c": ("lina", "nali")}
    # b has no name and shares a phone with both: it must not chain a and c together
    mapping = resolve.cluster("abc", [("a", "b"), ("b", "c")], names=names)
    assert mapping["a"] == mapping["b"] != mapping["c"]
    mapping = resolve.cluster("abc", [("a", "b"), ("b", "c")], rejected=[("a", "b")])
    assert mapping["a"] != mapping["b"] == mapping["c"]
    forced = resolve.cluster("ac", [], names=names, confirmed=[("a", "c")])
    assert forced["a"] == forced["c"]


def test_evidence_in_sql_reads_as_in_python() -> None:
    con = duckdb.connect()
    for levels in itertools.product(*[range(-1, len(spec) - 1) for _, spec in COMPARISONS]):
        gammas = {f"gamma_{c}": g for (c, _), g in zip(COMPARISONS, levels, strict=True)}
        if sum(levels) % 7:  # a spread of the combinations, not all of them
            continue
        cols = ", ".join(f"{g}::INTEGER AS {k}" for k, g in gammas.items())
        row = con.execute(f"SELECT {evidence_sql()} FROM (SELECT {cols})").fetchone()
        assert row is not None
        assert row[0] == resolve.evidence_text(gammas)
