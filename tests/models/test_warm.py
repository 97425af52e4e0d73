"""The models step's head start (:mod:`kequn.models.warm`) prepares exactly what a run then
uses: the compiled loops for the argument types the run passes, in the pipeline's thread."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numba
import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from kequn.demo import demo_workspace
from kequn.models import _likelihood, _nearest, _trees, scoring, warm
from kequn.models.scoring import NearestCentre, TreeEnsemble, tree_ensemble
from kequn.pipeline import run
from kequn.store import models as store


class Recorder:
    """Stands for a numba dispatcher: notes the argument types of each call and of each
    ``compile``, by whether the pipeline's head-start thread made it."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.ahead: set[tuple[Any, ...]] = set()
        self.called: set[tuple[Any, ...]] = set()

    @staticmethod
    def _ahead() -> bool:
        return threading.current_thread().name.startswith("kequn-models")

    def __call__(self, *args: Any) -> Any:
        types = tuple(numba.typeof(a) for a in args)
        (self.ahead if self._ahead() else self.called).add(types)
        return self.real(*args)

    def compile(self, signature: tuple[Any, ...]) -> None:
        assert self._ahead()
        self.ahead.add(tuple(signature))


def test_the_head_start_compiles_what_the_run_then_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that fits: the thread evaluates the likelihoods' loops with the types the
    fits then pass. A run on the stored models (here every scoring takes a compiled
    loop): the thread compiles the trees' loop for the types the scoring then passes."""
    ws = demo_workspace(tmp_path, 3000, seed=8)
    rows, spend = Recorder(_likelihood._row_sums), Recorder(_likelihood._spend_sums)
    monkeypatch.setattr(_likelihood, "_compiled_row_sums", lambda: rows)
    monkeypatch.setattr(_likelihood, "_compiled_spend_sums", lambda: spend)
    run(ws, refit=True)
    for loop in (rows, spend):
        assert loop.called, "the fits use the compiled loop"
        assert loop.called <= loop.ahead

    stored = store.load(ws)
    assert stored is not None
    assert isinstance(stored.fitted["churn"].model, TreeEnsemble)
    assert isinstance(stored.fitted["clusters"].model, NearestCentre)
    # the churn model's trees have few splits: scored by testing each (not walked)
    assert stored.fitted["churn"].model._splits is not None
    trees, nearest = Recorder(_trees.by_splits), Recorder(_nearest.nearest)
    monkeypatch.setattr(_trees, "by_splits", trees)  # what the thread compiles
    monkeypatch.setattr(scoring, "_compiled_by_splits", lambda: trees)  # what scoring calls
    monkeypatch.setattr(scoring, "COMPILED_WORK", 1)
    monkeypatch.setattr(_nearest, "nearest", nearest)
    monkeypatch.setattr(scoring, "_compiled_nearest", lambda: nearest)
    monkeypatch.setattr(scoring, "NEAREST_COMPILED_WORK", 1)
    again = run(ws)
    assert again.models is not None
    assert {"churn", "clusters"} <= set(again.models["stored"]["reused"])
    assert trees.called, "the stored churn model scores with the compiled loop"
    assert trees.called <= trees.ahead
    assert nearest.called, "the stored clusters are assigned with the compiled loop"
    assert nearest.called <= nearest.ahead


def test_scoring_is_prepared_only_for_enough_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the work the compiled walk is used from (rows x trees), nothing is compiled;
    nor for a fit without trees (the closed form chosen) or without a fit. Likewise the
    nearest centre (rows x centres)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] + rng.normal(size=400) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=20, early_stopping=False).fit(x, y)
    fit = SimpleNamespace(model=tree_ensemble(model))
    signatures: list[object] = []
    monkeypatch.setattr(_trees, "walk", SimpleNamespace(compile=signatures.append))
    enough = -(-scoring.COMPILED_WORK // 20)  # rows for 20 trees to reach the work
    warm.scoring(fit, enough - 1)
    warm.scoring(SimpleNamespace(model=TreeEnsemble(0.0, (), 3)), 10**9)
    warm.scoring(None, 10**9)
    assert signatures == []
    warm.scoring(fit, enough)
    assert len(signatures) == 1

    clusters = SimpleNamespace(model=NearestCentre(np.zeros(7), np.ones(7), np.zeros((4, 7))))
    compiled: list[object] = []
    monkeypatch.setattr(_nearest, "nearest", SimpleNamespace(compile=compiled.append))
    rows = -(-scoring.NEAREST_COMPILED_WORK // 4)
    warm.scoring(None, rows - 1, clusters)
    warm.scoring(None, 10**9, None)
    assert compiled == []
    warm.scoring(None, rows, clusters)
    assert len(compiled) == 1
    assert len(signatures) == 1  # no trees: their walk is not compiled again
