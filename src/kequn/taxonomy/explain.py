"""Explaining a customer's labels after a run: each dimension's label with the reason and
the strategy (:func:`explain`), and why a customer does not carry a label (:func:`why_not`).

Separate from :mod:`kequn.taxonomy.evaluate` (which classifies, with Ibis): a customer's
page reads a run's files and needs none of Ibis (0.3-0.4 s to import)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlglot import exp

from kequn.core.i18n import did_you_mean, local, pick, t
from kequn.core.rules import (
    Condition,
    closest_paths,
    holds,
    render_node,
    render_reason,
)
from kequn.features.catalogue import FEATURES, PARAMETERS, display_names
from kequn.taxonomy.model import GOALS, TEAMS, Dimension, Label, Taxonomy
from kequn.taxonomy.reasons import choose_reason, fmt_value, render_template


def explain(
    taxonomy: Taxonomy,
    row: Mapping[str, Any],
    params: Mapping[str, Any],
    lang: str,
    *,
    currency: str = "CNY",
) -> list[dict[str, Any]]:
    """Every dimension's label(s) for one customer, with the reason and the strategy.

    The reason is the label's template (``reason`` in the taxonomy) with this customer's
    values; a label without one gets its rule rewritten with names and values."""
    names = display_names(lang, taxonomy.extra_names())
    values = {**params, **row}
    return [
        {
            "dimension": dim.id,
            "name": local(dim, lang),
            "type": dim.type,
            "labels": explain_dimension(taxonomy, dim, row, values, names, lang, currency),
        }
        for dim in taxonomy.dimensions
    ]


def explain_dimension(
    taxonomy: Taxonomy,
    dim: Dimension,
    row: Mapping[str, Any],
    values: Mapping[str, Any],
    names: Mapping[str, str],
    lang: str,
    currency: str = "CNY",
) -> list[dict[str, Any]]:
    """One dimension's label(s) for a customer's ``row`` (``values``: the run's parameters
    and the row; ``names``: :func:`display_names`), each with its reason and strategy."""
    if dim.type == "tags":
        chosen = [label for label in dim.labels if row.get(dim.tag_column(label.id))]
    else:
        label_id = row.get(dim.id)
        found = dim.label(str(label_id)) if label_id is not None else None
        chosen = [found] if found else []
    return [
        {
            "label": label.id,
            "name": local(label, lang),
            "reason": _reason(taxonomy, dim, label, values, names, lang, currency),
            "rule": label.when,
            "strategy": _strategy(label.strategy, lang) if label.strategy else None,
        }
        for label in chosen
    ]


def _reason(
    taxonomy: Taxonomy,
    dim: Dimension,
    label: Label,
    values: Mapping[str, Any],
    names: Mapping[str, str],
    lang: str,
    currency: str,
) -> str:
    chosen = choose_reason(taxonomy, dim.id, label, values)
    if chosen is not None:
        return render_template(local(label.reason[chosen], lang), values, taxonomy, lang, currency)
    rule = taxonomy.rules().get((dim.id, label.id))
    if rule is not None:
        return render_reason(rule, values, names, lang)
    return t("run.no_rule_matched", lang)


# -- why not, and what it would take -----------------------------------------------------
_OPS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "=": "=", "!=": "≠"}


def why_not(
    taxonomy: Taxonomy,
    row: Mapping[str, Any],
    params: Mapping[str, Any],
    dimension: str,
    label: str,
    lang: str = "en",
    *,
    currency: str = "CNY",
) -> dict[str, Any]:
    """Why a customer does not carry ``dimension=label``, and what it would take.

    Of the ways the label's rule can hold, the closest (fewest unmet conditions, then
    the smallest distance) is reported condition by condition: met or not and, for a
    customer's number against a threshold or a number, how far it is (``gap``, in
    ``direction`` up or down, to ``needed``). ``gap`` at the top is set when a single
    numeric condition decides; ``hint`` then says it in a line ("orders: 1 more makes
    this customer loyal"). ``blocked_by`` lists the labels of an exclusive dimension
    that come first and hold. Raises ``ValueError`` for an unknown dimension or label.
    """
    lang = "zh" if lang == "zh" else "en"
    dim = taxonomy.dimension(dimension)
    if dim is None:
        ids = [d.id for d in taxonomy.dimensions]
        said = t("segments.unknown_dimension", lang, dimension=dimension, known=", ".join(ids))
        raise ValueError(did_you_mean(said, dimension, ids, lang))
    target = dim.label(label)
    if target is None:
        ids = [lab.id for lab in [*dim.labels, *([dim.fallback] if dim.fallback else [])]]
        known = ", ".join(ids)
        said = t("segments.unknown_label", lang, dimension=dimension, label=label, known=known)
        raise ValueError(did_you_mean(said, label, ids, lang))
    values = {**params, **row}
    names = display_names(lang, taxonomy.extra_names())
    label_name = fmt_value(label, "label", lang, taxonomy=taxonomy, name=dim.id)
    if dim.type == "tags":
        current = [lab.id for lab in dim.labels if row.get(dim.tag_column(lab.id))]
        has = label in current
    else:
        current = [str(row.get(dim.id))] if row.get(dim.id) is not None else []
        has = label in current
    out: dict[str, Any] = {
        "dimension": dim.id,
        "dimension_name": local(dim, lang),
        "label": label,
        "name": local(target, lang),
        "current": [
            {"label": c, "name": local(dim.label(c) or target, lang) if dim.label(c) else c}
            for c in current
        ],
        "has": has,
        "met": has,
        "blocked_by": [],
        "conditions": [],
        "gap": None,
        "hint": None,
    }
    rules = taxonomy.rules()
    rule = rules.get((dim.id, label))
    if rule is None:  # the fallback: what is left when no label matches
        out["summary"] = t("whynot.fallback", lang, label=label_name)
        return out
    met = holds(rule, values)
    blocked = []
    if dim.type == "exclusive":
        for earlier in dim.labels[: dim.labels.index(target)]:
            if holds(rules[(dim.id, earlier.id)], values):
                blocked.append({"label": earlier.id, "name": local(earlier, lang)})
    fixed = set(params) | set(taxonomy.thresholds) | set(PARAMETERS)
    integers = {n for n, f in FEATURES.items() if f.format_kind in {"int", "days"}}
    best = closest_paths(rule, values, fixed, integers)[0]
    text_of = _label_text(taxonomy, lang)
    conditions = [
        _condition(c, taxonomy, values, names, lang, currency, text_of) for c in best.conditions
    ]
    out.update(met=met, blocked_by=blocked, conditions=conditions)
    out.update(_summary(out, label_name, lang))
    return out


def _summary(answer: dict[str, Any], label_name: str, lang: str) -> dict[str, Any]:
    """The one-line answer, and the gap and hint when a single number decides."""
    blocked = answer["blocked_by"]
    blockers = ("、" if lang == "zh" else ", ").join(b["name"] for b in blocked)
    unmet = [c for c in answer["conditions"] if not c["met"]]
    if answer["has"]:
        return {"summary": t("whynot.has", lang, label=label_name)}
    if answer["met"]:
        key = "whynot.blocked" if blocked else "whynot.met"
        return {"summary": t(key, lang, blockers=blockers)}
    if len(unmet) == 1 and unmet[0]["gap"] is not None and not blocked:
        gap = unmet[0]
        key = "whynot.gap_up" if gap["direction"] == "up" else "whynot.gap_down"
        hint = t(key, lang, subject=gap["subject"], gap=gap["gap_text"], label=label_name)
        return {"gap": gap, "hint": hint, "summary": hint}
    summary = t("whynot.unmet", lang, count=len(unmet))
    if blocked:
        summary += t("whynot.also_blocked", lang, blockers=blockers)
    return {"summary": summary}


def _label_text(taxonomy: Taxonomy, lang: str) -> Any:
    """A text value in a rule, for a person: a dimension's label id becomes its name."""

    def text(name: str | None, value: str) -> str:
        dim = taxonomy.dimension(name) if name else None
        found = dim.label(value) if dim else None
        return local(found, lang) if found else value

    return text


def _condition(
    c: Condition,
    taxonomy: Taxonomy,
    values: Mapping[str, Any],
    names: Mapping[str, str],
    lang: str,
    currency: str,
    text_of: Any,
) -> dict[str, Any]:
    met = c.met is True
    out: dict[str, Any] = {
        "met": met,
        "feature": c.subject_name,
        "subject": None,
        "value": c.value,
        "target": c.target_value,
        "gap": c.gap,
        "gap_text": None,
        "needed": c.needed,
        "direction": c.direction,
    }
    if c.subject is None or c.op is None:
        out["text"] = render_node(c.node, values, names, lang, text_of)
        return out
    fmt = taxonomy.format_of(c.subject_name) if c.subject_name else "number"
    if fmt not in {"days", "money", "pct", "int", "number"}:
        fmt = "number"

    def show(v: Any) -> str:
        return fmt_value(v, fmt, lang, currency=currency, taxonomy=taxonomy)

    subject = render_node(c.subject, None, names, lang)
    if c.op == "between":
        low, high = c.target_value
        op, target, desc = t("whynot.between", lang, low=show(low), high=show(high)), "", ""
    elif fmt in {"int", "days"} and c.needed is not None and c.op in {">", "<", ">=", "<="}:
        # whole steps: "orders > 2.5" needs 3, said as "≥ 3"
        op, target = ("≥" if c.op in {">", ">="} else "≤"), show(c.needed)
    else:
        op, target = _OPS[c.op], show(c.target_value)
    if c.op != "between":
        plain = isinstance(c.target, exp.Literal | exp.Neg)
        described = "" if plain else render_node(c.target, None, names, lang)
        desc = ("（{}）" if lang == "zh" else " ({})").format(described) if described else ""
    params = {"subject": subject, "value": show(c.value), "op": op, "target": target, "desc": desc}
    if met:
        out["text"] = t("whynot.holds", lang, **params)
    elif c.gap is not None:
        if fmt == "pct":
            gap_text = t("whynot.points", lang, n=fmt_value(c.gap * 100, "number", lang))
        else:
            gap_text = show(c.gap)
        key = "whynot.needs_up" if c.direction == "up" else "whynot.needs_down"
        out.update(gap_text=gap_text, text=t(key, lang, gap=gap_text, **params))
    else:
        out["text"] = t("whynot.needs", lang, **params)
    out["subject"] = subject
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
