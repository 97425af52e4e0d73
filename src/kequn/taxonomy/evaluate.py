"""Evaluate a taxonomy on a features table, and explain any customer's labels afterwards.

One engine for every dimension: thresholds are derived first (each one scalar query),
then every label's rule is compiled to an Ibis boolean and the dimension becomes a
``CASE`` (exclusive: first match wins, else the fallback) or one boolean column per tag.
Later dimensions may use earlier ones by name, which is how the composite views (the
eleven customer types) are built without code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine
from kequn.core.i18n import local, pick, t
from kequn.core.rules import Rule, compile_rule, render_reason
from kequn.features.build import (
    FeatureContext,
    derive_purchase_cycle,
    discrete_quantile,
    normalise_city,
)
from kequn.features.catalogue import display_names
from kequn.taxonomy.model import GOALS, TEAMS, Dimension, Taxonomy


@dataclass
class Classification:
    labels: ir.Table  # the materialised result: features + one column per dimension/tag
    params: dict[str, Any]
    counts: dict[str, dict[str, int]]
    customers: int


def derive_thresholds(
    engine: Engine,
    taxonomy: Taxonomy,
    features: ir.Table,
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
    features: ir.Table,
    ctx: FeatureContext,
    workdir: Path,
) -> Classification:
    """Thresholds and every dimension for every customer of ``features`` (built, with the
    models' predictions, by :mod:`kequn.pipeline`), materialised in ``workdir``."""
    rules = taxonomy.rules()
    params = derive_thresholds(engine, taxonomy, features, ctx, rules)
    table = apply_taxonomy(features, taxonomy, params, rules)
    labels = engine.materialize(table, workdir / "labels.parquet")
    counts = count_labels(labels, taxonomy)
    customers = int(engine.scalar(labels.count()))
    return Classification(labels, params, counts, customers)


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
                reason = t("run.no_rule_matched", lang)
            entries.append(
                {
                    "label": label.id,
                    "name": local(label, lang),
                    "reason": reason,
                    "rule": label.when,
                    "strategy": _strategy(label.strategy, lang) if label.strategy else None,
                }
            )
        out.append(
            {
                "dimension": dim.id,
                "name": local(dim, lang),
                "type": dim.type,
                "labels": entries,
            }
        )
    return out


def _strategy(strategy: Any, lang: str) -> dict[str, Any]:
    team, goal = TEAMS[strategy.team], GOALS[strategy.goal]
    return {
        "text": local(strategy, lang),
        "team": strategy.team,
        "team_name": pick({"zh": team[0], "en": team[1]}, lang),
        "goal": strategy.goal,
        "goal_name": pick({"zh": goal[0], "en": goal[1]}, lang),
        "actions": list(strategy.actions),
        "priority": strategy.priority,
    }
