"""A taxonomy's thresholds for one run: pinned values as they are, derived ones computed on
the engine, then clamped.

The derived ones (the purchase cycle and the quantiles) are computed together, one query
for all of them, rather than one query each: six thresholds cost six compilations and
six round trips, a tenth of a small shop's run, and on Spark six jobs. A threshold whose
``where`` uses a derived threshold waits for it: the ones before are computed first, so
a taxonomy that chains thresholds takes one query per link of the chain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine
from kequn.core.rules import Rule, compile_rule
from kequn.features.attributes import home_city_norm, normalise_country
from kequn.features.btyd import MIN_REPEATERS
from kequn.features.build import FeatureContext, derive_purchase_cycle, discrete_quantile
from kequn.features.catalogue import FEATURES, PARAMETERS
from kequn.features.places import normalise_province
from kequn.taxonomy.model import Taxonomy, Threshold


def derive_thresholds(
    engine: Engine,
    taxonomy: Taxonomy,
    features: ir.Table,
    ctx: FeatureContext,
    rules: Mapping[tuple[str, str], Rule],
    notes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every threshold's value for ``features``, in the taxonomy's order.

    ``engine`` is the run's: the derived values are read through it, in as few queries
    as the ``where`` rules allow (:func:`scalars`). Given ``notes``, a derived value that
    could not be derived (its default used) or fell outside its ``min``/``max`` adds a
    note there (:func:`derivation_note`): a reason saying "the purchase cycle (about 30
    days)" does not tell that 30 is the default for a shop without repeat buyers."""
    home_country = normalise_country(ctx.home_country)  # unset: no country
    settings = {
        # as customers' city_norm: 杭州市 is 杭州, Shanghai is 上海
        "home_city": home_city_norm(ctx.home_city),
        # compared with the customers' province_norm: 浙江省, Zhejiang and (in China) ZJ
        "home_province": normalise_province(ctx.home_province, home_country),
        "home_country": home_country,
        # the money conversions the company size used, which its reason shows
        "cny_per_unit": ctx.cny_per_unit,
        "eur_per_unit": ctx.eur_per_unit,
    }
    params: dict[str, Any] = {}
    pending: dict[str, ir.Scalar] = {}
    #: the purchase cycles' counts of the repeat buyers each is the median of, read in
    #: the same query as the cycles, under their name and this suffix (no threshold's
    #: name has a space: those are identifiers)
    repeaters = " repeaters"

    def compute() -> None:
        found = scalars(engine, pending)
        for name, value in found.items():
            if name.endswith(repeaters):
                continue
            params[name] = finish(taxonomy.thresholds[name], value)
            note = derivation_note(name, taxonomy.thresholds[name], value, params[name])
            if note is None and name + repeaters in found:
                counted = found[name + repeaters]
                note = few_repeaters_note(name, taxonomy.thresholds[name], counted, value)
            if note is not None and notes is not None:
                notes.append(note)
        pending.clear()

    # how many of the workspace's money units one CNY or one EUR is
    per_unit = {"CNY": ctx.cny_per_unit, "EUR": ctx.eur_per_unit}
    for name, th in taxonomy.thresholds.items():
        if th.value is not None and th.currency and isinstance(th.value, int | float):
            # a line set in CNY (a yearly income of ¥300,000), in the workspace's money
            params[name] = finish(th, th.value / per_unit[th.currency])
        elif th.value is not None:
            params[name] = finish(th, th.value)
        elif th.derive == "setting":
            params[name] = finish(th, settings.get(th.setting or "", th.default))
        elif th.derive == "purchase_cycle":
            pending[name] = derive_purchase_cycle(features)
            pending[name + repeaters] = features.mean_days_between_orders.count()
        else:
            table = features
            if th.where:
                rule = rules[("threshold", name)]
                if rule.names & pending.keys():
                    compute()  # the rule needs a value not computed yet
                table = table.filter(compile_rule(rule, table, params).fill_null(False))
            assert th.of is not None
            if th.top is not None:
                pending[name] = top_line(table, th.of, th.top)
            else:
                assert th.q is not None
                pending[name] = discrete_quantile(table, th.of, th.q)
    compute()
    return {name: params[name] for name in taxonomy.thresholds}


def top_line(table: ir.Table, column: str, top: float) -> ir.FloatingScalar:
    """The smallest value of the top ``top`` share of ``column``'s values: the
    ⌈top·n⌉-th largest (ties with it are in the top too), so that ``value >= line`` holds
    for ⌈top·n⌉ of n distinct values: 2 of 10 for the top 20%, 1 of 5, 1 of 3. It is
    the discrete quantile of the values negated (:func:`discrete_quantile`: exact, and
    the same on every engine)."""
    negated = table.mutate(_top_line=-table[column].cast("float64"))
    return -discrete_quantile(negated, "_top_line", top)


def columns_read(taxonomy: Taxonomy, rules: Mapping[tuple[str, str], Rule]) -> set[str]:
    """The columns :func:`derive_thresholds` reads for ``taxonomy``: each derived
    threshold's ``of`` and its ``where`` rule's names that are no thresholds, and the
    purchase cycle's."""
    names: set[str] = set()
    for name, th in taxonomy.thresholds.items():
        if th.value is not None or th.derive == "setting":
            continue
        if th.derive == "purchase_cycle":
            names.add("mean_days_between_orders")
            continue
        if th.of:
            names.add(th.of)
        if th.where:
            names |= set(rules[("threshold", name)].names)
    return names - set(taxonomy.thresholds)


def scalars(engine: Engine, exprs: Mapping[str, ir.Scalar]) -> dict[str, Any]:
    """The values of several scalar expressions (of the engine's backend) from one query:
    each a one-row table, cross-joined, read as one struct through the engine (so what
    runs is what the engine runs, and what a test of the engine's plans sees)."""
    if not exprs:
        return {}
    tables = [expr.name(name).as_table() for name, expr in exprs.items()]
    row = tables[0]
    for other in tables[1:]:
        row = row.cross_join(other)
    value = engine.scalar(ibis.struct({name: row[name] for name in exprs}).first())
    found = value if isinstance(value, Mapping) else {}
    return {name: found.get(name) for name in exprs}


def derivation_note(name: str, th: Threshold, raw: Any, used: Any) -> dict[str, Any] | None:
    """What a run says of a derived threshold whose value is not the one derived: its
    default (nothing to derive it from) or its ``min``/``max`` (the derived value beyond
    it); None when the derived value is used. The note keeps the threshold's names and
    how its values are shown (a message key and params, rendered in the reader's
    language by :func:`kequn.snapshots.reports.run_notes`)."""
    if not isinstance(used, int | float) or isinstance(used, bool):
        return None
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        key = "threshold.default"
    elif isinstance(raw, int | float) and float(raw) < float(used):
        key = "threshold.floor"
    elif isinstance(raw, int | float) and float(raw) > float(used):
        key = "threshold.ceiling"
    else:
        return None
    if th.derive == "purchase_cycle":
        shown = PARAMETERS.get("purchase_cycle_days")
    else:
        shown = FEATURES.get(th.of or "")
    fmt = shown.fmt if shown is not None and shown.fmt else "number"
    derived = None if key == "threshold.default" else float(raw)
    params = {"threshold": name, "zh": th.zh, "en": th.en, "fmt": fmt}
    return {"key": key, "params": {**params, "raw": derived, "value": float(used)}}


def few_repeaters_note(
    name: str, th: Threshold, repeaters: Any, used: Any
) -> dict[str, Any] | None:
    """What a run says of a purchase cycle derived (and used as derived) from fewer
    repeat buyers than :data:`~kequn.features.btyd.MIN_REPEATERS`: the median of one or
    two customers' cycles is theirs, not the business's. The derived value is still used:
    it is this business's own evidence, where the default is no one's, and a cycle that
    switched to the default below the minimum would jump, and move every customer's
    lifecycle, on the day one more customer came back."""
    count = int(repeaters or 0)
    if count <= 0 or count >= MIN_REPEATERS or not isinstance(used, int | float):
        return None
    shown = PARAMETERS.get("purchase_cycle_days")
    fmt = shown.fmt if shown is not None and shown.fmt else "number"
    params = {"threshold": name, "zh": th.zh, "en": th.en, "fmt": fmt}
    return {
        "key": "threshold.few_repeaters",
        "params": {**params, "value": float(used), "repeaters": count, "minimum": MIN_REPEATERS},
    }


def finish(th: Threshold, value: Any) -> Any:
    """The default for a missing value; a number as a float, within ``min`` and ``max``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = th.default
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = float(value)
        if th.min is not None:
            value = max(value, th.min)
        if th.max is not None:
            value = min(value, th.max)
    return value
