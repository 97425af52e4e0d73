"""Evaluate a taxonomy on an engine, and explain any customer's labels afterwards.

One engine for every dimension: thresholds are derived first (each one scalar query),
then every label's rule is compiled to an Ibis boolean and the dimension becomes a
``CASE`` (exclusive: first match wins, else the fallback) or one boolean column per tag.
Later dimensions may use earlier ones by name, which is how the composite views (the
eleven customer types) are built without code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.rules import Rule, compile_rule, render_reason
from kequn.engines.base import Engine
from kequn.features.build import (
    FeatureContext,
    build_features,
    derive_purchase_cycle,
    discrete_quantile,
    normalise_city,
)
from kequn.features.catalogue import display_names
from kequn.i18n import pick
from kequn.taxonomy.model import Dimension, Taxonomy


@dataclass
class Classification:
    labels: ir.Table  # the materialised result: features + one column per dimension/tag
    params: dict[str, Any]
    counts: dict[str, dict[str, int]]
    customers: int
    models: dict[str, Any]


def derive_thresholds(
    engine: Engine,
    taxonomy: Taxonomy,
    features: ir.Table,
    orders: ir.Table,
    ctx: FeatureContext,
    rules: Mapping[tuple[str, str], Rule],
) -> dict[str, Any]:
    """Pinned values as they are; derived ones computed on the engine, then clamped."""
    settings = {
        "home_city": normalise_city(ctx.home_city),
        "home_province": normalise_city(ctx.home_province),
        "home_country": ctx.home_country.upper(),
    }
    params: dict[str, Any] = {}
    for name, th in taxonomy.thresholds.items():
        value: Any
        if th.value is not None:
            value = th.value
        elif th.derive == "setting":
            value = settings.get(th.setting or "", th.default)
        elif th.derive == "purchase_cycle":
            value = engine.scalar(derive_purchase_cycle(features))
        else:
            table = features
            if th.where:
                table = table.filter(
                    compile_rule(rules[("threshold", name)], table, params).fill_null(False)
                )
            assert th.of is not None
            assert th.q is not None
            value = engine.scalar(discrete_quantile(table, th.of, th.q))
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = th.default
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = float(value)
            if th.min is not None:
                value = max(value, th.min)
            if th.max is not None:
                value = min(value, th.max)
        params[name] = value
    return params


def classify(
    engine: Engine,
    taxonomy: Taxonomy,
    ctx: FeatureContext,
    workdir: Path,
    extra_features: Any = None,
    *,
    with_models: bool = True,
) -> Classification:
    """Features, thresholds and every dimension for every customer, materialised in ``workdir``."""
    rules = taxonomy.rules()
    tables = engine.tables()
    features = build_features(
        tables["customers"],
        tables["orders"],
        tables["events"],
        ctx,
        stage=lambda expr, name: engine.materialize(expr, workdir / f"{name}.parquet"),
    )
    features = engine.materialize(features, workdir / "features.parquet")
    # the models pull in scikit-learn and numba (seconds of imports): only when running
    from kequn.models.churn import add_churn_risk, feature_builder
    from kequn.models.clusters import add_clusters
    from kequn.models.predict import add_predictions, without_predictions

    if with_models:
        predicted, models = add_predictions(engine, features)
        features = engine.materialize(predicted, workdir / "features2.parquet")
        build = feature_builder(engine, tables, ctx, workdir)
        features, models["churn"] = add_churn_risk(features, build, tables["orders"], ctx.as_of)
        features, models["clusters"] = add_clusters(features)
        features = engine.materialize(features, workdir / "features3.parquet")
    else:
        features = without_predictions(features)
        models = {"status": "skipped: run without models"}
    params = derive_thresholds(engine, taxonomy, features, tables["orders"], ctx, rules)
    table = apply_taxonomy(features, taxonomy, params, rules)
    labels = engine.materialize(table, workdir / "labels.parquet")
    counts = count_labels(labels, taxonomy)
    customers = int(engine.scalar(labels.count()))
    return Classification(labels, params, counts, customers, models)


def apply_taxonomy(
    features: ir.Table,
    taxonomy: Taxonomy,
    params: Mapping[str, Any],
    rules: Mapping[tuple[str, str], Rule] | None = None,
) -> ir.Table:
    """Add every dimension's column(s) to a features table (an expression; nothing runs)."""
    rules = rules if rules is not None else taxonomy.rules()
    table = features
    for dim in taxonomy.dimensions:
        table = table.mutate(**_dimension_columns(dim, table, rules, dict(params)))
    return table


def _dimension_columns(
    dim: Dimension, table: ir.Table, rules: Mapping[tuple[str, str], Rule], params: dict[str, Any]
) -> dict[str, ir.Value]:
    conditions = [
        (label, compile_rule(rules[(dim.id, label.id)], table, params).fill_null(False))
        for label in dim.labels
    ]
    if dim.type == "tags":
        return {dim.tag_column(label.id): cond for label, cond in conditions}
    fallback = dim.fallback.id if dim.fallback else "unknown"
    return {dim.id: ibis.cases(*[(cond, label.id) for label, cond in conditions], else_=fallback)}


def count_labels(labels: ir.Table, taxonomy: Taxonomy) -> dict[str, dict[str, int]]:
    """Customers per label of every dimension, in one aggregate query."""
    metrics: dict[str, ir.Scalar] = {}
    keys: list[tuple[str, str, str]] = []
    for d_index, dim in enumerate(taxonomy.dimensions):
        options = [
            *dim.labels,
            *([dim.fallback] if dim.fallback and dim.type == "exclusive" else []),
        ]
        for l_index, label in enumerate(options):
            key = f"m{d_index}_{l_index}"
            if dim.type == "tags":
                metrics[key] = labels[dim.tag_column(label.id)].cast("int64").sum()
            else:
                metrics[key] = (labels[dim.id] == label.id).cast("int64").sum()
            keys.append((key, dim.id, label.id))
        if dim.type == "exclusive" and not dim.fallback:
            key = f"m{d_index}_unknown"
            metrics[key] = (labels[dim.id] == "unknown").cast("int64").sum()
            keys.append((key, dim.id, "unknown"))
    row = labels.aggregate(**metrics).to_pyarrow().to_pylist()[0]
    counts: dict[str, dict[str, int]] = {}
    for key, dim_id, label_id in keys:
        counts.setdefault(dim_id, {})[label_id] = int(row[key] or 0)
    return counts


# -- explanations ------------------------------------------------------------------------
def explain(
    taxonomy: Taxonomy, row: Mapping[str, Any], params: Mapping[str, Any], lang: str
) -> list[dict[str, Any]]:
    """Every dimension's label(s) for one customer, with the reason and the strategy."""
    rules = taxonomy.rules()
    names = display_names(lang, taxonomy.extra_names())
    values = {**params, **row}
    out: list[dict[str, Any]] = []
    for dim in taxonomy.dimensions:
        if dim.type == "tags":
            chosen = [label for label in dim.labels if row.get(dim.tag_column(label.id))]
        else:
            label_id = row.get(dim.id)
            found = dim.label(str(label_id)) if label_id is not None else None
            chosen = [found] if found else []
        entries = []
        for label in chosen:
            rule = rules.get((dim.id, label.id))
            if rule is not None:
                reason = render_reason(rule, values, names, lang)
            else:
                reason = (
                    "没有规则匹配（数据不足或不适用）"
                    if lang == "zh"
                    else "no rule matched (data missing or not applicable)"
                )
            entries.append(
                {
                    "label": label.id,
                    "name": label.zh if lang == "zh" else label.en,
                    "reason": reason,
                    "rule": label.when,
                    "strategy": _strategy(label.strategy, lang) if label.strategy else None,
                }
            )
        out.append(
            {
                "dimension": dim.id,
                "name": dim.zh if lang == "zh" else dim.en,
                "type": dim.type,
                "labels": entries,
            }
        )
    return out


def _strategy(strategy: Any, lang: str) -> dict[str, Any]:
    from kequn.taxonomy.model import GOALS, TEAMS

    index = 0 if lang == "zh" else 1
    return {
        "text": pick({"zh": strategy.zh, "en": strategy.en}, lang),
        "team": strategy.team,
        "team_name": TEAMS[strategy.team][index],
        "goal": strategy.goal,
        "goal_name": GOALS[strategy.goal][index],
        "actions": list(strategy.actions),
        "priority": strategy.priority,
    }


def latest_date(engine: Engine) -> dt.date | None:
    """The latest order or event date in the data: the default as-of date."""
    tables = engine.tables()
    last_order = engine.scalar(tables["orders"].ordered_at.max())
    last_event = engine.scalar(tables["events"].occurred_at.max())
    dates = [d for d in (last_order, last_event) if d is not None]
    if not dates:
        return None
    return max(d.date() if isinstance(d, dt.datetime) else d for d in dates)
