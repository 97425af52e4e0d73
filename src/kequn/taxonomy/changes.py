"""Which dimensions two taxonomies (or two runs' settings) label differently by
definition, not by the data.

Between two runs a customer moves from one label to another because they did something,
or because someone changed the rules (a threshold raised in the editor, a label's rule
rewritten, labels reordered). The segment events of the two runs cannot tell these apart;
:func:`changed_dimensions` says which dimensions' labels may differ for the same customer
with the same features, so that what acts on movements (the journeys, see
:func:`kequn.automation.plan.process_run`) does not take a rule change for thousands of
customers moving at once.

A dimension's definition is its type, its labels in order with their rules, its fallback,
the thresholds its rules read (with every threshold those read in turn) and the
dimensions its rules read (a dimension may read the labels of those before it). Names,
reasons and strategies are not part of it: they change no label.
"""

from __future__ import annotations

import json
from typing import Any

from kequn.taxonomy.model import Taxonomy


def changed_dimensions(before: Taxonomy, after: Taxonomy) -> set[str]:
    """The ids of ``after``'s dimensions whose definition differs from ``before``'s
    (a dimension ``before`` does not have is changed)."""
    if before.source_text and before.source_text == after.source_text:
        return set()
    return {
        dim.id
        for dim in after.dimensions
        if _definition(before, dim.id, set()) != _definition(after, dim.id, set())
    }


def _definition(taxonomy: Taxonomy, dim_id: str, seen: set[str]) -> Any:
    """``dim_id``'s definition in ``taxonomy`` as plain data (None without it)."""
    dim = taxonomy.dimension(dim_id)
    if dim is None:
        return None
    seen = seen | {dim_id}
    rules = taxonomy.rules()
    names: set[str] = set()
    for label in dim.labels:
        names |= rules[(dim.id, label.id)].names
    readable = _label_columns(taxonomy)
    return {
        "type": dim.type,
        "labels": [[label.id, label.when] for label in dim.labels],
        "fallback": dim.fallback.id if dim.fallback else None,
        "thresholds": _thresholds(taxonomy, names),
        "reads": {
            name: _definition(taxonomy, readable[name], seen)
            for name in sorted(names)
            if name in readable and readable[name] not in seen
        },
    }


def _thresholds(taxonomy: Taxonomy, names: set[str]) -> str:
    """The thresholds ``names`` hold, with those their ``where`` reads, as JSON text."""
    rules = taxonomy.rules()
    found: dict[str, Any] = {}
    todo = sorted(n for n in names if n in taxonomy.thresholds)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = taxonomy.thresholds[name].model_dump(mode="json")
        where = rules.get(("threshold", name))
        if where is not None:
            todo += [n for n in where.names if n in taxonomy.thresholds and n not in found]
    return json.dumps(found, sort_keys=True)


def _label_columns(taxonomy: Taxonomy) -> dict[str, str]:
    """Each name a rule may read a dimension's labels by (an exclusive dimension's id, a
    tag's column) -> the dimension's id."""
    columns: dict[str, str] = {}
    for dim in taxonomy.dimensions:
        if dim.type == "exclusive":
            columns[dim.id] = dim.id
        else:
            columns |= {dim.tag_column(label.id): dim.id for label in dim.labels}
    return columns


def settings_changed(taxonomy: Taxonomy, before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The ids of ``taxonomy``'s dimensions whose rules read, directly or through other
    thresholds and dimensions, a threshold taken from the workspace's settings (``derive:
    setting``: the home city, province, country) whose value differs between two runs'
    thresholds ``before`` and ``after`` (each run's ``params``). Changing the home city in
    kequn.toml moves every customer of that city from local to domestic at once: the
    settings' doing, like a rule change. A value ``before`` did not record is not taken
    for a change."""
    moved = {
        name
        for name, threshold in taxonomy.thresholds.items()
        if threshold.derive == "setting" and name in before and before[name] != after.get(name)
    }
    if not moved:
        return set()
    return {dim.id for dim in taxonomy.dimensions if _reads(taxonomy, dim.id, set()) & moved}


def _reads(taxonomy: Taxonomy, dim_id: str, seen: set[str]) -> set[str]:
    """Every name ``dim_id``'s rules read: directly, through the thresholds they read
    (their ``where``) and through the dimensions whose labels they read."""
    dim = taxonomy.dimension(dim_id)
    if dim is None:
        return set()
    rules = taxonomy.rules()
    names: set[str] = set()
    for label in dim.labels:
        names |= rules[(dim.id, label.id)].names
    todo = sorted(n for n in names if n in taxonomy.thresholds)
    while todo:
        where = rules.get(("threshold", todo.pop()))
        if where is not None:
            todo += [n for n in where.names - names if n in taxonomy.thresholds]
            names |= where.names
    readable = _label_columns(taxonomy)
    seen = seen | {dim_id}
    for name in sorted(names):
        if name in readable and readable[name] not in seen:
            names |= _reads(taxonomy, readable[name], seen)
    return names
