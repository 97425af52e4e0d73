"""The customer page names the group of an order's channel as the shop wrote it (抖音:
线上), where the run's features hold no group: :func:`group_of` decides it in Python,
and must decide it as the run's expression does for the same words."""

from __future__ import annotations

import ibis
import pytest

from kequn.features.reference import channel_group_expr, source_group_expr
from kequn.features.reftables import group_of, load_reference

ODD = [
    "",
    "  ",
    None,
    "抖音",
    " 抖音直播间 ",
    "TikTok Shop",
    "線上",
    "展会",
    "Walk-in",
    "xyz",
    "门店A",
]


@pytest.mark.parametrize(
    ("name", "expr"), [("channels", channel_group_expr), ("sources", source_group_expr)]
)
def test_group_of_answers_as_the_runs_expression(name: str, expr: object) -> None:
    table = load_reference(name)
    words: list[str | None] = list(ODD)
    for spec in table["groups"].values():
        words += [str(w) for w in (*spec.get("exact", []), *spec.get("contains", []))]
        words += [f"x{w}y".upper() for w in spec.get("contains", [])]
    values = ibis.memtable({"v": words}, schema={"v": "string"})
    grouped = values.mutate(g=expr(values.v, table))  # type: ignore[operator]
    rows = ibis.duckdb.connect().to_pyarrow(grouped).to_pylist()
    run = {row["v"]: row["g"] for row in rows}
    assert {w: group_of(w, table) for w in run} == run
    assert group_of("抖音", load_reference("channels")) == "online"
