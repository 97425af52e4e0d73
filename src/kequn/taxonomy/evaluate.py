"""Evaluate a taxonomy on a features table (explaining a customer's labels afterwards:
:mod:`kequn.taxonomy.explain`).

One engine for every dimension: thresholds are derived first (together, in one query:
:mod:`kequn.taxonomy.thresholds`), then every label's rule is compiled to an Ibis boolean
and the dimension becomes a ``CASE`` (exclusive: first match wins, else the fallback) or
one boolean column per tag. Later dimensions may use earlier ones by name, which is how
the composite views (the eleven customer types) are built without code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kequn.core.compute import Engine
from kequn.core.rules import (
    Rule,
    compile_rule,
)
from kequn.features.attributes import join_attributes
from kequn.features.build import FeatureContext
from kequn.taxonomy.model import Dimension, Taxonomy
from kequn.taxonomy.thresholds import columns_read, derive_thresholds


@dataclass
class Classification:
    #: the materialised result: one column per dimension or tag, with the columns of the
    #: features not ``stored`` beside it (the models' predictions) and the customer id
    labels: ir.Table
    params: dict[str, Any]
    counts: dict[str, dict[str, int]]
    customers: int
    #: what the run says of its thresholds (:func:`~kequn.taxonomy.thresholds.derivation_note`)
    notes: list[dict[str, Any]] = field(default_factory=list)


def classify(
    engine: Engine,
    taxonomy: Taxonomy,
    features: ir.Table,
    ctx: FeatureContext,
    workdir: Path,
    stored: Sequence[str] = (),
    attributes: ir.Table | None = None,
    built: ir.Table | None = None,
) -> Classification:
    """Thresholds and every dimension for every customer of ``features`` (built, with the
    models' predictions, by :mod:`kequn.pipeline`), materialised in ``workdir`` as
    ``labels.parquet``: without the columns ``stored`` (those the run keeps in its
    features file) but the customer id.

    ``attributes``: the customers' attribute columns when ``features`` holds none of them
    (:func:`~kequn.features.attributes.join_attributes`); the thresholds read them only
    if one of them is derived from one (a join of every customer is 0.1-0.3 s at 1M).

    ``built``: the same customers' features before the predictions were joined, which
    the thresholds read when they need no prediction (in process the predictions are
    joined in each query that reads them: at 1M customers the thresholds spent 0.27 of
    their 0.74 CPU-s joining and ranking predictions none of them read)."""
    rules = taxonomy.rules()
    notes: list[dict[str, Any]] = []
    whole = features if attributes is None else join_attributes(features, attributes)
    needed = columns_read(taxonomy, rules)
    read = features if needed <= set(features.columns) else whole
    if built is not None and needed <= set(built.columns):
        read = built
    params = derive_thresholds(engine, taxonomy, read, ctx, rules, notes)
    # in process the SQL is kept between runs (kequn.engines.sqlcache): with the numbers
    # read from a one-row table, tomorrow's thresholds find today's SQL
    table = apply_taxonomy(
        whole, taxonomy, params, rules, numbers_from_table=engine.name == "duckdb"
    )
    if stored:
        table = table.select(
            "customer_id", *[c for c in table.columns if c not in set(stored) | {"customer_id"}]
        )
    categories = {k: v for k, v in label_values(taxonomy).items() if k in table.columns}
    labels = engine.materialize(table, workdir / "labels.parquet", categories)
    counts = count_labels(labels, taxonomy)
    # through the engine (what a test of the engine's plans records), not with the counts
    customers = int(engine.scalar(labels.count()))
    return Classification(labels, params, counts, customers, notes)


def label_values(taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Each exclusive dimension's column and the values it can hold: its labels and its
    fallback (what an engine may write as a category: :meth:`~kequn.core.compute.
    Engine.materialize`)."""
    return {
        dim.id: [label.id for label in dim.labels]
        + [dim.fallback.id if dim.fallback else "unknown"]
        for dim in taxonomy.dimensions
        if dim.type == "exclusive"
    }


#: the columns of the one-row table that brings the thresholds' numbers to the rules
_NUMBER_COLUMN = "__kequn_threshold_{}"


def apply_taxonomy(
    features: ir.Table,
    taxonomy: Taxonomy,
    params: Mapping[str, Any],
    rules: Mapping[tuple[str, str], Rule] | None = None,
    *,
    numbers_from_table: bool = False,
) -> ir.Table:
    """Add every dimension's column(s) to a features table (an expression; nothing runs).

    The thresholds are literals in the expression; with ``numbers_from_table`` the
    numbers (every threshold is a float once derived) are read instead from a one-row
    in-memory table joined to every row, so that the expression, and its SQL, do not
    change when only the data's quantiles and purchase cycle do (a day's new orders move
    them; compiling the labels' SQL again took 0.4-0.9 s a run, whatever the size). The
    labels are the same either way: a threshold's number is a DOUBLE in both
    (:func:`kequn.core.rules.threshold_value`)."""
    rules = rules if rules is not None else taxonomy.rules()
    table = features
    columns: dict[str, str] = {}
    if numbers_from_table:
        numbers = {name: v for name, v in params.items() if isinstance(v, float)}
        columns = {name: _NUMBER_COLUMN.format(i) for i, name in enumerate(numbers)}
        if columns:
            row = pa.table({columns[n]: pa.array([v], pa.float64()) for n, v in numbers.items()})
            table = table.cross_join(ibis.memtable(row))
    # the dimensions are added in as few projections as their references allow: one
    # mutate per dimension stacked one projection per dimension, and Ibis's compiler
    # rewrites each over all those below it (quadratic): with 200 dimensions of 5 rules
    # (1,000 rules) at 49k customers a run compiled its SQL for 48 s of its 60 s, 80
    # dimensions 7 s against 2.6 s for 20. A dimension starts a new projection only
    # when its rules read a column one in the current projection adds (a dimension
    # used by a later one, by its id or as <dimension>_<label>)
    batch: dict[str, ir.Value] = {}
    for dim in taxonomy.dimensions:
        read = set().union(*(rules[(dim.id, label.id)].names for label in dim.labels))
        adds = {dim.id} if dim.type != "tags" else {dim.tag_column(lb.id) for lb in dim.labels}
        if (read | adds) & batch.keys():
            table, batch = table.mutate(**batch), {}
        values = {**params, **{name: table[column] for name, column in columns.items()}}
        batch |= _dimension_columns(dim, table, rules, values)
    table = table.mutate(**batch) if batch else table
    return table.drop(*columns.values()) if columns else table


def _dimension_columns(
    dim: Dimension, table: ir.Table, rules: Mapping[tuple[str, str], Rule], params: dict[str, Any]
) -> dict[str, ir.Value]:
    conditions = [
        (label, compile_rule(rules[(dim.id, label.id)], table, params)) for label in dim.labels
    ]
    if dim.type == "tags":
        # a tag is true or false, never unknown
        return {dim.tag_column(label.id): cond.fill_null(False) for label, cond in conditions}
    # a rule that is NULL (a missing value) does not match, as SQL's CASE has it: without
    # COALESCE(rule, FALSE) around each of its ~80 rules the labels file of a daily run at
    # 1M customers took 1.42-1.47 s against 2.0-2.25 (the same 1M rows, EXCEPT ALL both
    # ways empty)
    fallback = dim.fallback.id if dim.fallback else "unknown"
    return {dim.id: ibis.cases(*[(cond, label.id) for label, cond in conditions], else_=fallback)}


def count_labels(labels: ir.Table, taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """Customers per label of every dimension: the exclusive dimensions' labels counted
    by one group-by each, all in one query (a union), and the tags summed in another.
    A sum per label of ``dimension = label`` compared every row with every label (~100
    string comparisons a row: 0.33 s of a daily run at 1M customers, against 0.2 s)."""
    groups = [
        labels.group_by(value=labels[dim.id].cast("string"))
        .aggregate(n=labels.count())
        .mutate(dimension=ibis.literal(dim.id))
        .select("dimension", "value", "n")
        for dim in taxonomy.dimensions
        if dim.type == "exclusive"
    ]
    found: dict[tuple[str, str], int] = {}
    if groups:
        rows = ibis.union(*groups) if len(groups) > 1 else groups[0]
        for row in rows.to_pyarrow().to_pylist():
            if row["value"] is not None:
                found[(row["dimension"], row["value"])] = int(row["n"] or 0)
    tags = [
        (dim.id, label.id, dim.tag_column(label.id))
        for dim in taxonomy.dimensions
        if dim.type == "tags"
        for label in dim.labels
    ]
    if tags:
        sums = {f"t{i}": labels[column].cast("int64").sum() for i, (*_, column) in enumerate(tags)}
        row = labels.aggregate(**sums).to_pyarrow().to_pylist()[0]
        found |= {(d, lab): int(row[f"t{i}"] or 0) for i, (d, lab, _) in enumerate(tags)}
    counts: dict[str, dict[str, int]] = {}
    exclusive = label_values(taxonomy)
    for dim in taxonomy.dimensions:
        options = exclusive.get(dim.id) or [label.id for label in dim.labels]
        counts[dim.id] = {label_id: found.get((dim.id, label_id), 0) for label_id in options}
    return counts
