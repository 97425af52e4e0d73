"""The feature state keys its kept attribute columns on the reference tables listed in
``attributes.REFERENCES``: that list must name every table the columns read, or an edit
to one would leave the kept columns stale."""

from __future__ import annotations

import datetime as dt

import ibis

from kequn.core.schema import CUSTOMERS, IBIS_TYPES
from kequn.features import attributes
from kequn.features.context import FeatureContext


def test_references_list_every_table_the_attribute_columns_read() -> None:
    ctx = FeatureContext(dt.date(2026, 9, 30))
    customers = ibis.table(
        {c.name: IBIS_TYPES[c.kind] for c in CUSTOMERS.columns}, name="customers"
    )
    attributes.attribute_columns(customers, ctx)
    assert ctx.references
    assert set(ctx.references) <= set(attributes.REFERENCES)
