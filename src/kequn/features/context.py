"""What the features depend on besides the data: the as-of date and the business's
settings and reference tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kequn.features import reference as ref


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

    def reference(self, name: str) -> dict[str, Any]:
        if name not in self.references:
            self.references[name] = ref.load_reference(name)
        return self.references[name]

    def channel_spellings(self) -> dict[str, str] | None:
        """The channel groups by exact spelling, or None."""
        return self.spellings() if self.spellings is not None else None
