"""What the features depend on besides the data: the as-of date and the business's
settings and reference tables."""

from __future__ import annotations

import datetime as dt
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

    def reference(self, name: str) -> dict[str, Any]:
        if name not in self.references:
            self.references[name] = ref.load_reference(name)
        return self.references[name]
