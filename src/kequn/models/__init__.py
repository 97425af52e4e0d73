"""Predictive models, scikit-learn style: BG/NBD, Gamma-Gamma, and their validation report.

The names below are imported on first use: the models pull in scikit-learn and scipy
(seconds at start-up), which a run without models, or a command that only reads, never
needs (``import kequn.models.predict`` for ``without_predictions`` must stay cheap)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kequn.models.bgnbd import BetaGeoModel
    from kequn.models.gammagamma import GammaGammaModel
    from kequn.models.report import HoldoutReport, clv_holdout_report

__all__ = [
    "BetaGeoModel",
    "GammaGammaModel",
    "HoldoutReport",
    "TransactionsError",
    "clv_holdout_report",
]

_WHERE = {
    "BetaGeoModel": "kequn.models.bgnbd",
    "GammaGammaModel": "kequn.models.gammagamma",
    "HoldoutReport": "kequn.models.report",
    "clv_holdout_report": "kequn.models.report",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kequn.models' has no attribute {name!r}")


class TransactionsError(ValueError):
    """A transactions file ``kequn clv fit`` cannot fit: a column missing, no rows, too
    few repeat buyers, a holdout that ends before it starts. The message is translated
    and names the file (here, not in :mod:`kequn.models.report`, so that telling it
    imports no model)."""
