"""Predictive models, scikit-learn style: BG/NBD, Gamma-Gamma, and their validation report."""

from kequn.models.bgnbd import BetaGeoModel
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.report import HoldoutReport, clv_holdout_report

__all__ = ["BetaGeoModel", "GammaGammaModel", "HoldoutReport", "clv_holdout_report"]
