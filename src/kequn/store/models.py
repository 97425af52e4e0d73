"""Fitted models kept in the workspace, and when to fit them again.

A run that fits the predictive models keeps them in ``models/fitted.pkl`` (with a
readable ``models/fitted.json`` beside it): the BTYD fits, the chosen churn model and the
cluster model, with the as-of date they were fitted at, the training sizes, their quality
figures, and the means and spreads of the buyers' features at the time. A later run
scores with them while they are fresh and fits again (:func:`refit_reason`) when

- there are none, or they were written by other versions of kequn or scikit-learn;
- ``kequn run --refit`` asks for it;
- they are older than ``refit_days`` (``[run]`` in ``kequn.toml``, default 7) as of the
  run's date, or were fitted as of a later date than the run's;
- the data changed shape: a buyer feature's mean moved by more than
  :data:`DRIFT_LIMIT` of its standard deviation at fitting time, or the number of buyers
  changed by more than :data:`COUNT_LIMIT`.

The file is a pickle written by kequn itself (atomically: written aside, then renamed);
like the workspace's database, it is trusted as the workspace's own data. It holds no
scikit-learn objects (format 2): the churn classifier and the cluster model are kept as
the numpy arrays :mod:`kequn.models.scoring` scores with, so a run that reuses them never
imports scikit-learn. A file of format 1 (scikit-learn objects, before that change) is
still read: :func:`load` reads its objects into the same arrays (importing scikit-learn
for that run only), and the next refit writes format 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kequn import __version__
from kequn.models.scoring import NearestCentre, TreeEnsemble, nearest_centre, tree_ensemble
from kequn.store.workspace import Workspace

#: 2: churn and cluster models as numpy arrays; 1: as scikit-learn objects (read, upgraded)
FORMAT = 2
#: a feature whose mean moved this many (fitting-time) standard deviations is drift
DRIFT_LIMIT = 0.25
#: a relative change in the number of buyers beyond this is drift
COUNT_LIMIT = 0.25
#: the buyer features whose means are compared
DRIFT_FEATURES = (
    "orders",
    "purchase_days",
    "spend",
    "avg_order_value",
    "days_since_first_order",
    "days_since_last_order",
    "orders_365d",
    "discount_share",
    "online_share",
)


def versions() -> dict[str, str]:
    """The versions the models were fitted with (scikit-learn's from its installed
    metadata: importing it to ask would cost seconds)."""
    return {"kequn": __version__, "scikit-learn": importlib.metadata.version("scikit-learn")}


@dataclass
class StoredModels:
    """What a run fitted, and what is needed to judge whether it still fits the data."""

    as_of: str
    created_at: str
    stats: dict[str, Any]
    fitted: dict[str, Any]  # name -> fitted object (or None where the model fell back)
    info: dict[str, Any]  # the run's models info at fitting time
    versions: dict[str, str] = field(default_factory=versions)
    format: int = FORMAT

    def summary(self) -> dict[str, Any]:
        """The readable part: dates, versions, sizes and quality, no fitted objects."""
        info = self.info
        churn = info.get("churn") or {}
        clusters = info.get("clusters") or {}
        return {
            "format": self.format,
            "as_of": self.as_of,
            "created_at": self.created_at,
            "versions": self.versions,
            "models": sorted(name for name, value in self.fitted.items() if value is not None),
            "training": {
                "buyers": info.get("buyers"),
                "churn_rows": churn.get("trained_on"),
                "cluster_sample": clusters.get("fit_sample"),
            },
            "quality": {
                "bgnbd_log_likelihood": info.get("bgnbd_log_likelihood"),
                "churn_auc": churn.get("auc"),
                "churn_basis": churn.get("basis"),
                "cluster_stability_ari": clusters.get("stability_ari"),
            },
            "stats": self.stats,
        }


def models_dir(ws: Workspace) -> Path:
    return ws.root / "models"


def load(ws: Workspace) -> StoredModels | None:
    """The stored models, or ``None`` when there are none or they cannot be read."""
    path = models_dir(ws) / "fitted.pkl"
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            stored = pickle.load(f)  # noqa: S301 - written by kequn into its own workspace
    except Exception:  # an unreadable file is the same as none: fit again
        return None
    if not isinstance(stored, StoredModels):
        return None
    if stored.format == 1:
        try:
            return upgrade(stored)
        except Exception:  # objects it cannot read: the same as none, fit again
            return None
    return stored


def upgrade(stored: StoredModels) -> StoredModels:
    """Format 1's scikit-learn objects read into the numpy scorers of format 2 (the same
    predictions: :mod:`kequn.models.scoring`)."""
    fitted = dict(stored.fitted)
    churn = fitted.get("churn")
    if churn is not None and churn.model is not None and not isinstance(churn.model, TreeEnsemble):
        fitted["churn"] = dataclasses.replace(churn, model=tree_ensemble(churn.model))
    clusters = fitted.get("clusters")
    if clusters is not None and not isinstance(clusters.model, NearestCentre):
        fitted["clusters"] = dataclasses.replace(clusters, model=nearest_centre(clusters.model))
    return dataclasses.replace(stored, fitted=fitted, format=FORMAT)


def save(ws: Workspace, stored: StoredModels) -> None:
    """Write the models aside and rename them into place (a reader sees old or new)."""
    folder = models_dir(ws)
    folder.mkdir(parents=True, exist_ok=True)
    tag = f".{os.getpid()}.tmp"
    pkl, readable = folder / f"fitted.pkl{tag}", folder / f"fitted.json{tag}"
    with pkl.open("wb") as f:
        pickle.dump(stored, f, protocol=pickle.HIGHEST_PROTOCOL)
    readable.write_text(
        json.dumps(stored.summary(), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    pkl.replace(folder / "fitted.pkl")
    readable.replace(folder / "fitted.json")


def drift(before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """The largest standardised move of a feature mean, and the buyer count's change."""
    worst, feature = 0.0, None
    for name, (mean, sd) in before.get("features", {}).items():
        current = now.get("features", {}).get(name)
        if current is None or mean is None or current[0] is None:
            continue
        moved = abs(current[0] - mean) / sd if sd and sd > 0 else 0.0
        if moved > worst:
            worst, feature = moved, name
    buyers_before, buyers_now = before.get("buyers") or 0, now.get("buyers") or 0
    count = abs(buyers_now - buyers_before) / buyers_before if buyers_before else 0.0
    return {"max_sd": worst, "feature": feature, "buyers_change": count}


#: the reasons that come before the stored models' date is looked at
_UNDATED = ("models.refit.forced", "models.refit.none", "models.refit.version")


def dated_reason(
    stored: StoredModels | None, as_of: dt.date, *, refit_days: int, forced: bool = False
) -> dict[str, Any] | None:
    """Why the models must be fitted again, from what is known before the run's features
    are (forced, none stored, other versions, too old or fitted after ``as_of``); ``None``
    when only the features' drift can still tell (:func:`refit_reason`)."""
    if forced:
        return {"key": "models.refit.forced", "params": {}}
    if stored is None or stored.format != FORMAT or stored.versions != versions():
        return {
            "key": "models.refit.none" if stored is None else "models.refit.version",
            "params": {},
        }
    age = (as_of - dt.date.fromisoformat(stored.as_of)).days
    if age < 0:
        return {"key": "models.refit.backdated", "params": {"fitted": stored.as_of}}
    if age > refit_days:
        return {
            "key": "models.refit.stale",
            "params": {"fitted": stored.as_of, "age": age, "days": refit_days},
        }
    return None


def refit_reason(
    stored: StoredModels | None,
    as_of: dt.date,
    stats: dict[str, Any],
    *,
    refit_days: int,
    forced: bool = False,
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Why the models must be fitted again (a message key and its parameters), or
    ``None`` when the stored ones may be reused; and the drift measured."""
    reason = dated_reason(stored, as_of, refit_days=refit_days, forced=forced)
    if stored is None or (reason is not None and reason["key"] in _UNDATED):
        return reason, {}
    moved = drift(stored.stats, stats)
    if reason is not None:
        return reason, moved
    if moved["max_sd"] > DRIFT_LIMIT:
        params = {"fitted": stored.as_of, "feature": moved["feature"], "sd": moved["max_sd"]}
        return {"key": "models.refit.drift", "params": params}, moved
    if moved["buyers_change"] > COUNT_LIMIT:
        params = {"fitted": stored.as_of, "change": moved["buyers_change"]}
        return {"key": "models.refit.buyers", "params": params}, moved
    return None, moved
