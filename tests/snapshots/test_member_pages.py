"""A segment page found from the run's features and labels, its customers' attributes
read after (RunInfo.page_sql), is the page the run's rows give: the same customers, in
the same order, ties by customer id."""

from __future__ import annotations

import dataclasses
import functools
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kequn.snapshots import lookup, read
from kequn.snapshots.lookup import MEMBER_COLUMNS
from kequn.snapshots.runs import RunInfo, get_run
from kequn.snapshots.tie_order import tie_order
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunInfo:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path_factory.mktemp("pages"), 400, seed=7)
    run_taxonomy(ws, with_models=False)  # as of the newest order: from the feature state
    found = get_run(Workspace.open(ws.root))
    assert found is not None
    assert found.attributes_path.is_file()  # the rows join three files
    return found


@functools.cache
def _con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


Row = tuple[Any, ...]


def _plain(
    run: RunInfo, columns: list[str], where: str, order: str, params: list[Any]
) -> list[Row]:
    """The page as segment pages asked the run's rows for it (ties as pages order them)."""
    shown = ", ".join(f'"{c}"' for c in columns)
    ties = tie_order(run.ws)
    query = f"SELECT {shown} FROM {run.rows_sql()} WHERE {where} ORDER BY {order}, {ties}"
    return _con().execute(query + " LIMIT ? OFFSET ?", params).fetchall()


def _split(
    run: RunInfo, columns: list[str], where: str, order: str, reads: list[str], params: list[Any]
) -> list[Row]:
    query = run.page_sql(columns, where, order, reads, tie_order(run.ws))
    assert query is not None
    return _con().execute(query, params).fetchall()


def test_every_page_is_the_page_of_the_rows(run: RunInfo) -> None:
    taxonomy = run.taxonomy()
    dims = [d.id for d in taxonomy.dimensions if d.type == "exclusive"]
    columns = [*MEMBER_COLUMNS, *dims]
    segments = [("lifecycle", label) for label in run.counts["lifecycle"]]
    tags = next(d for d in taxonomy.dimensions if d.type == "tags")
    segments += [(tags.id, label.id) for label in tags.labels[:3]]
    ties = 0
    compared = 0
    for dimension, label in segments:
        where, params = read.segment_where(taxonomy, dimension, label)
        column = read.segment_columns(taxonomy, dimension, label)
        for sort in ("spend", "orders", "days_since_last_order", "churn_risk", "customer_id"):
            for way in ("DESC", "ASC"):
                order = f'"{sort}" {way} NULLS LAST'
                for limit, offset in ((50, 0), (7, 5), (30, 150), (10, 10_000)):
                    bound = [*params, limit, offset]
                    want = _plain(run, columns, where, order, bound)
                    got = _split(run, columns, where, order, [*column, sort], bound)
                    assert got == want, (dimension, label, sort, way, limit, offset)
                    compared += len(want)
                    keys = [r[columns.index(sort)] for r in want]
                    ties += len(keys) - len(set(keys))
        # a search of the ids reads no attribute either
        searched = f"{where} AND customer_id ILIKE ? ESCAPE '\\'"
        bound = [*params, "%1%", 20, 3]
        want = _plain(run, columns, searched, '"spend" DESC NULLS LAST', bound)
        got = _split(
            run, columns, searched, '"spend" DESC NULLS LAST', [*column, "customer_id"], bound
        )
        assert got == want
    assert compared > 2000
    assert ties > 100  # orders and spend repeat: the order of ties was compared too
    names = [r[1] for r in _plain(run, columns, "true", '"spend" DESC', [50, 0])]
    assert any(names)  # the attributes were joined


def test_the_plain_query_where_the_attributes_are_read(run: RunInfo, tmp_path: Path) -> None:
    columns = list(MEMBER_COLUMNS)
    assert run.page_sql(columns, '"city" = ?', '"spend" DESC', ["city", "spend"]) is None
    assert run.page_sql(columns, "true", '"name" ASC', ["name"]) is None
    assert run.page_sql(columns, "true", '"spend" ASC', ["spend"]) is not None
    # a run without an attributes file: its rows are read as they are
    folder = tmp_path / "run"
    folder.mkdir()
    for file in (run.features_path, run.labels_path, run.taxonomy_path):
        shutil.copy(file, folder / file.name)
    alone = dataclasses.replace(run, path=str(folder))
    assert alone.page_sql(columns, "true", '"spend" ASC', ["spend"]) is None


def test_the_segment_page_reads_the_same_through_the_view(run: RunInfo) -> None:
    assert not lookup.is_ready(run)  # the pages query the run's Parquet
    label = max(run.counts["lifecycle"], key=lambda k: run.counts["lifecycle"][k])
    taxonomy = run.taxonomy()
    dims = [d.id for d in taxonomy.dimensions if d.type == "exclusive"]
    columns = [*MEMBER_COLUMNS, *dims]
    for sort, descending, offset in (("spend", True, 0), ("orders", False, 40)):
        page = read.members(
            run, "lifecycle", label, sort=sort, descending=descending, offset=offset
        )
        order = f'"{sort}" {"DESC" if descending else "ASC"} NULLS LAST'
        want = _plain(run, columns, '"lifecycle" = ?', order, [label, 50, offset])
        assert [r["customer_id"] for r in page["rows"]] == [w[0] for w in want]
        assert [r["name"] for r in page["rows"]] == [w[1] for w in want]
        assert len(want) == 50
