"""A segment export's values named for a person (``kequn export --headers zh`` / ``en``,
the dashboard's export buttons): each dimension's labels by the run's taxonomy, the codes
the value catalogue names (a customer's kind, a run's source group, a company's size...)
and countries in the language, true and false as yes and no, a discovered cluster's number
with its description ("1 — mostly offline, large orders"). In English a name begins with a
capital, as the labels do (the catalogue's names, said within sentences, are lower case:
"small" stood beside the Company size column's "Small"). Columns with nothing to name
(numbers, dates, a customer's own words) stay as they are.

The names are looked up once per distinct value and put in place with Arrow's kernels, so
an export of any size costs a few column passes, never a Python step per row."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kequn.core import display
from kequn.core.i18n import local, t
from kequn.taxonomy.model import Taxonomy


def code_names(column: str, lang: str) -> dict[str, str]:
    """Every code the catalogue names in a column of customers
    (:data:`~kequn.core.display.FIELD_DOMAINS`) or of a run's derived ones
    (:data:`~kequn.core.display.FEATURE_DOMAINS`, and their
    :data:`~kequn.core.display.UNGROUPED`), each with its name in ``lang``; {} for a
    column whose values are not codes."""
    ungrouped: dict[str, str] = {}
    domain = display.FEATURE_DOMAINS.get(column)
    if domain is not None:
        ungrouped = {code: display.value("channel", code, lang) for code in display.UNGROUPED}
    else:
        domain = display.FIELD_DOMAINS.get(column)
    if domain is None:
        return {}
    return ungrouped | {code: display.value(domain, code, lang) for code in display.VALUES[domain]}


def _namers(taxonomy: Taxonomy, lang: str) -> dict[str, Callable[[str], str | None]]:
    """For each column with values to name, the name of one value (None: keep it)."""
    from kequn.features.countries import country_name

    namers: dict[str, Callable[[str], str | None]] = {
        column: names.get
        for column in (*display.FIELD_DOMAINS, *display.FEATURE_DOMAINS)
        if (names := code_names(column, lang))
    }
    namers["country_norm"] = lambda code: country_name(code, lang)
    for dim in taxonomy.dimensions:  # a dimension's column is its labels, whatever else
        if dim.type == "exclusive":
            labels = [*dim.labels, *([dim.fallback] if dim.fallback else [])]
            namers[dim.id] = {lab.id: local(lab, lang) for lab in labels}.get
    return namers


def _renamed(column: pa.ChunkedArray, name: Callable[[str], str | None]) -> pa.ChunkedArray:
    """``column`` with each value ``name`` names replaced by its name."""
    names = {}
    for code in pc.unique(column).drop_null().to_pylist():
        named = name(code)
        if named is not None and named != code:
            names[code] = named
    if not names:
        return column
    codes = pa.array(list(names), column.type)
    where = pc.index_in(column, value_set=codes)
    named_values = pc.take(pa.array(list(names.values()), column.type), where)
    return pc.coalesce(named_values, column)


def _capital(name: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """``name``, each name begun with a capital (English in a table's cell)."""

    def capital(code: str) -> str | None:
        named = name(code)
        return named[:1].upper() + named[1:] if named else named

    return capital


def _clusters(column: pa.ChunkedArray, clusters: Sequence[Mapping[str, Any]], lang: str) -> Any:
    """A run's discovered-cluster numbers, each with its description in ``lang`` (a
    number the run's models do not describe: as it is, as text)."""
    said = {
        int(c["id"]): t("export.cluster", lang, number=c["id"], description=local(c, lang))
        for c in clusters
    }
    numbers = pc.cast(column, pa.string())
    if not said:
        return numbers
    codes = pa.array([str(n) for n in said], pa.string())
    where = pc.index_in(numbers, value_set=codes)
    return pc.coalesce(pc.take(pa.array(list(said.values()), pa.string()), where), numbers)


def named_values(
    table: pa.Table,
    taxonomy: Taxonomy,
    lang: str,
    clusters: Sequence[Mapping[str, Any]] = (),
) -> pa.Table:
    """``table`` (a run's labels) with its values named in ``lang`` (zh or en);
    ``clusters``: the run's discovered clusters (the models' ``clusters``), to describe
    the ``cluster`` column's numbers."""
    namers = _namers(taxonomy, lang)
    yes_no = display.yes_no(True, lang), display.yes_no(False, lang)
    if lang == "en":
        namers = {column: _capital(name) for column, name in namers.items()}
        yes_no = yes_no[0].capitalize(), yes_no[1].capitalize()
    yes, no = pa.scalar(yes_no[0]), pa.scalar(yes_no[1])
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_boolean(field.type):
            columns.append(pc.if_else(column, yes, no))
        elif field.name == "cluster" and pa.types.is_integer(field.type):
            columns.append(_clusters(column, clusters, lang))
        elif field.name in namers and (
            pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        ):
            columns.append(_renamed(column, namers[field.name]))
        else:
            columns.append(column)
    return pa.table(columns, names=table.column_names)
