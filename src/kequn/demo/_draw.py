"""What the demo's generators share: each customer's hidden traits, and drawing helpers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from kequn.demo._arrow import MONEY

DAY_US = 86_400_000_000


@dataclass
class Traits:
    b2b: np.ndarray
    buyer: np.ndarray
    browser: np.ndarray
    created_us: np.ndarray
    regular: np.ndarray
    bulk: np.ndarray
    price_sensitive: np.ndarray
    social: np.ndarray
    functional: np.ndarray
    online: np.ndarray
    spend_level: np.ndarray


def pick(
    rng: np.random.Generator, options: list[str], n: int, p: list[float] | None = None
) -> np.ndarray:
    weights = None if p is None else np.asarray(p, dtype=float) / np.sum(p)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=weights)]


def money(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    return pa.array(np.round(np.where(missing, 0, values), 2), pa.float64(), mask=missing).cast(
        MONEY, safe=False
    )
