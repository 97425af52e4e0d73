"""What the features depend on besides the data: the as-of date and the business's
settings and reference tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import ibis
import ibis.expr.types as ir

from kequn.features import reference as ref

#: a day: a date, or an expression of one (:meth:`FeatureContext.day`)
DateLike: TypeAlias = "dt.date | ir.DateValue"


def day_value(day: DateLike) -> ir.DateValue:
    """``day`` as an expression: a literal for a date, the expression itself otherwise."""
    return day if isinstance(day, ir.Expr) else ibis.date(day)


@dataclass(frozen=True)
class FeatureContext:
    """What the features depend on besides the data: the date and the business."""

    as_of: dt.date
    home_city: str = "上海"
    home_province: str = "上海"
    home_country: str = "CN"
    cny_per_unit: float = 1.0
    eur_per_unit: float = 0.13
    references: dict[str, Any] = field(default_factory=dict)
    #: the data's distinct channel spellings and their groups, when the caller can find
    #: them (:func:`kequn.features.build.channel_spellings`, called when first needed);
    #: without, each order's channel is grouped by itself
    spellings: Callable[[], dict[str, str] | None] | None = field(
        default=None, compare=False, repr=False
    )

    #: how a date is written into the queries, when the engine has its own way (DuckDB: a
    #: variable set on the connection, so that the SQL holding the as-of date is the same
    #: every day and is found compiled in the engine's cache); without, a literal
    dates: Callable[[dt.date], ir.DateValue] | None = field(default=None, compare=False, repr=False)

    @property
    def day(self) -> ir.DateValue:
        """``as_of`` as it goes into the queries."""
        return self.dates(self.as_of) if self.dates is not None else ibis.date(self.as_of)

    def reference(self, name: str) -> dict[str, Any]:
        if name not in self.references:
            self.references[name] = ref.load_reference(name)
        return self.references[name]

    def channel_spellings(self) -> dict[str, str] | None:
        """The channel groups by exact spelling, or None."""
        return self.spellings() if self.spellings is not None else None
