"""The numpy scorers equal scikit-learn's predictions on real fitted models."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from kequn.demo import demo_workspace
from kequn.features.build import FeatureContext, build_features
from kequn.models import churn, clusters
from kequn.models.scoring import NearestCentre, nearest_centre, tree_ensemble
from kequn.pipeline import make_engine
from kequn.store.workspace import Workspace

CALIBRATION_END = dt.date(1997, 9, 30)
HOLDOUT_END = dt.date(1998, 6, 30)
TRAIN_DAY = dt.date(1997, 6, 30)


def test_tree_ensemble_equals_predict_proba_on_cdnow(cdnow_ws: Workspace, tmp_path: Path) -> None:
    """The churn classifier as kequn fits it (closed-form features included, so some
    columns are missing for some buyers), trained on the CDNOW split: the arrays give
    sklearn's raw scores and probabilities, with the data's own NaNs and with a tenth
    of every column knocked out (each split's learnt direction for missing values)."""
    with make_engine(cdnow_ws) as engine:
        tables = engine.tables()
        build = churn.feature_builder(engine, tables, FeatureContext(CALIBRATION_END), tmp_path)
        train = churn.pull(
            churn.labelled(build(TRAIN_DAY), tables["orders"], TRAIN_DAY, CALIBRATION_END)
        )
        test = churn.pull(
            churn.labelled(build(CALIBRATION_END), tables["orders"], CALIBRATION_END, HOLDOUT_END)
        )
    train = churn.closed_form(train, (CALIBRATION_END - TRAIN_DAY).days)
    test = churn.closed_form(test, (HOLDOUT_END - CALIBRATION_END).days)
    model = churn.churn_model(0, churn.MODEL_FEATURES).fit(
        churn.matrix(train, churn.MODEL_FEATURES), train["churned"].to_numpy(zero_copy_only=False)
    )
    ensemble = tree_ensemble(model)
    assert len(ensemble.trees) == model.n_iter_ > 10

    x = churn.matrix(test, churn.MODEL_FEATURES)
    assert np.isnan(x).any()  # one-time buyers have no days between orders
    rng = np.random.default_rng(19)
    holed = x.copy()
    holed[rng.random(x.shape) < 0.1] = np.nan
    for rows in (x, holed):
        np.testing.assert_allclose(
            ensemble.raw_score(rows), model.decision_function(rows), rtol=0, atol=1e-12
        )
        np.testing.assert_allclose(
            ensemble.probability(rows), model.predict_proba(rows)[:, 1], rtol=0, atol=1e-12
        )
        # the compiled loop (used from COMPILED_WORK rows x trees on) makes the same additions
        assert np.array_equal(
            ensemble.raw_score(rows, compiled=True), ensemble.raw_score(rows, compiled=False)
        )
    # the missing values mattered: some splits send them left, and scores moved
    assert any(tree.missing_left[~tree.is_leaf].any() for tree in ensemble.trees)
    assert not np.allclose(ensemble.probability(holed), ensemble.probability(x))
    # a single row, and none
    np.testing.assert_allclose(
        ensemble.probability(holed[:1]), model.predict_proba(holed[:1])[:, 1], atol=1e-12
    )
    assert ensemble.probability(x[:0]).shape == (0,)
    assert ensemble.probability(x[:0], compiled=True).shape == (0,)
    many = np.vstack([holed, x, holed[::-1]])  # several of the compiled loop's blocks
    assert many.shape[0] > 2 * 1024 + 1
    assert np.array_equal(ensemble.raw_score(many, compiled=True), ensemble.raw_score(many))
    # column-major (how churn.matrix builds the rows) and strided views walk alike
    for layout in (np.asfortranarray(many), many[::2], np.asfortranarray(many)[::3]):
        assert np.array_equal(
            ensemble.raw_score(layout, compiled=True), ensemble.raw_score(layout, compiled=False)
        )
    with pytest.raises(ValueError, match="feature columns"):
        ensemble.probability(x[:, :3])


def test_nearest_centre_equals_the_pipeline_on_demo_buyers(tmp_path: Path) -> None:
    """Standardise + k-means fitted on demo buyers: the same cluster for every buyer,
    and the centres kequn describes clusters with are the pipeline's."""
    ws = demo_workspace(tmp_path, 3000, seed=8)
    with make_engine(ws) as engine:
        tables = engine.tables()
        ctx = FeatureContext(dt.date(2026, 9, 30))
        features = engine.materialize(
            build_features(tables["customers"], tables["orders"], tables["events"], ctx),
            tmp_path / "f.parquet",
        )
        buyers = churn.pull(features.filter(features.orders > 0), limit=None)
    x = clusters.behaviour_matrix(buyers)
    assert x.shape[0] > 1000
    for k in (3, 6):
        pipeline = clusters.cluster_model(k).fit(x[::2])
        scorer = nearest_centre(pipeline)
        assert np.array_equal(scorer.predict(x), pipeline.predict(x))
        np.testing.assert_array_equal(scorer.centres, pipeline[-1].cluster_centers_)
        np.testing.assert_array_equal(scorer.standardise(x), pipeline[0].transform(x))
        assert len(set(scorer.predict(x).tolist())) == k


def test_what_the_scorers_cannot_reproduce_is_refused() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    three = HistGradientBoostingClassifier(max_iter=3).fit(x, rng.integers(0, 3, 300))
    with pytest.raises(ValueError, match="binary"):
        tree_ensemble(three)
    from sklearn.cluster import KMeans
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler

    other = make_pipeline(MinMaxScaler(), KMeans(3, n_init=1, random_state=0)).fit(x)
    with pytest.raises(ValueError, match="StandardScaler"):
        nearest_centre(other)


def test_a_rows_cluster_does_not_depend_on_the_rows_scored_with_it() -> None:
    """Spark's executors assign a batch at a time: each row's squared distances must have
    the same bits whatever the batch, ties included (the first nearest centre wins), and
    whatever the layout of the rows (a run assigns them column-major)."""
    rng = np.random.default_rng(4)
    centres = rng.normal(size=(5, 7))
    scorer = NearestCentre(mean=rng.normal(size=7), scale=rng.uniform(0.5, 2, 7), centres=centres)
    z = rng.normal(size=(3000, 7))
    z[:200] = (centres[1] + centres[3]) / 2  # equally near two centres, up to rounding
    z[200:300] = centres[2]  # on a centre
    x = z * scorer.scale + scorer.mean
    whole = scorer.predict(x, compiled=False)
    # numpy's passes and numba's loop, on row-major and on column-major rows
    for compiled, rows in itertools.product((False, True), (x, np.asfortranarray(x))):
        assert np.array_equal(scorer.predict(rows, compiled=compiled), whole)
        for size in (1, 7, 1000, 2048):
            parts = [
                scorer.predict(rows[i : i + size], compiled=compiled) for i in range(0, 3000, size)
            ]
            assert np.array_equal(np.concatenate(parts), whole), (compiled, size)
    # the reference: each row alone, in Python floats, feature by feature
    expected = []
    for row in scorer.standardise(x):
        distances = []
        for centre in centres:
            total = 0.0
            for value, c in zip(row.tolist(), centre.tolist(), strict=True):
                total += (value - c) * (value - c)
            distances.append(total)
        expected.append(distances.index(min(distances)))
    assert whole.tolist() == expected
    assert set(whole[200:300].tolist()) == {2}


def test_the_compiled_loop_is_chosen_by_work_and_not_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Enough rows × trees take the compiled loop by default (the same numbers), and a
    stored ensemble does not carry the loop's copy of its trees."""

    from kequn.models import scoring

    rng = np.random.default_rng(7)
    x = rng.normal(size=(600, 3))
    x[rng.random(x.shape) < 0.2] = np.nan
    y = (np.nan_to_num(x[:, 0]) + rng.normal(size=600) > 0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, early_stopping=False).fit(x, y)
    ensemble = tree_ensemble(model)
    calls = _count_calls(monkeypatch, scoring, "_compiled_walk")
    monkeypatch.setattr(scoring, "COMPILED_WORK", 600 * len(ensemble.trees))
    np.testing.assert_allclose(ensemble.raw_score(x), model.decision_function(x), atol=1e-12)
    assert calls == [1]
    ensemble.raw_score(x[:599])  # one row less: numpy's passes
    assert calls == [1]
    stored = pickle.dumps(ensemble)
    assert "_flat" in ensemble.__dict__
    assert b"_flat" not in stored
    again = pickle.loads(stored)
    assert np.array_equal(again.raw_score(x, compiled=True), ensemble.raw_score(x, compiled=False))


def test_the_compiled_nearest_centre_equals_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """numba's nearest-centre loop assigns every row as numpy does, bit for bit: exact
    ties (a centre twice: the first wins), rows halfway between two centres, NaN (the
    first NaN distance wins, as ``argmin``'s), infinities and overflows, either memory
    layout; it is chosen by rows × centres, and never for fewer."""
    from kequn.models import scoring

    rng = np.random.default_rng(11)
    for trial in range(12):
        k = int(rng.integers(1, 9))
        centres = rng.normal(size=(k, 7)) * rng.lognormal(0, 2)
        centres = np.vstack([centres, centres[::-1]]) if trial % 2 else centres
        scorer = NearestCentre(rng.normal(size=7), rng.uniform(0.1, 3, 7), centres)
        z = rng.normal(size=(40_000, 7)) * rng.lognormal(0, 2, size=(40_000, 1))
        z[:8000] = (centres[0] + centres[-1]) / 2
        z[8000:9000] = centres[k // 2]
        x = z * scorer.scale + scorer.mean
        holes = rng.random(x.shape) < (0.01 if trial % 3 else 0)
        x[holes] = rng.choice([np.nan, np.inf, -np.inf, 1e308, -0.0], holes.sum())
        x = np.asfortranarray(x) if trial % 4 == 3 else x
        with np.errstate(all="ignore"):
            expected = scorer.predict(x, compiled=False)
            assert np.array_equal(scorer.predict(x, compiled=True), expected), trial
    assert scorer.predict(np.zeros((0, 7)), compiled=True).shape == (0,)
    with pytest.raises(ValueError, match="broadcast"):  # another width: numpy refuses it
        scorer.predict(np.zeros((3, 6)), compiled=True)

    calls = _count_calls(monkeypatch, scoring, "_compiled_nearest")
    monkeypatch.setattr(scoring, "NEAREST_COMPILED_WORK", 100 * len(centres))
    assert np.array_equal(scorer.predict(x[:100]), expected[:100])
    assert calls == [1]
    assert np.array_equal(scorer.predict(x[:99]), expected[:99])  # one row less: numpy
    assert calls == [1]


def _add(a: float, b: float) -> float:
    return a + b


def test_numba_without_a_cache_location_compiles_in_memory() -> None:
    """A function numba can find no cache folder for (here: its file is not a file; in
    use: a read-only install and no writable home) is compiled without the cache instead
    of failing the run."""
    import types

    import numba

    from kequn.models._compile import compiled

    orphan = types.FunctionType(_add.__code__.replace(co_filename="<no file>"), globals(), "add")
    with pytest.raises(RuntimeError, match="cannot cache"):
        numba.njit(cache=True)(orphan)
    assert compiled(orphan, nogil=True)(2.0, 3.5) == 5.5


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """``module.name`` (a function returning the compiled loop) replaced by one that
    returns the same loop and counts its calls in the list returned."""
    calls: list[int] = []
    loop = getattr(module, name)()

    def counted() -> object:
        calls.append(1)
        return loop

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("leaves", [2, 3, 7, 11, 12])
def test_trees_of_few_splits_are_scored_by_their_table_as_walked(
    leaves: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trees of at most MAX_TABLE_SPLITS splits are scored by testing every split of a
    tree for each row and looking the leaf up in a table (leaves - 1 splits: 1, 2, 6,
    10); one more (11) and they are walked. Either way the same numbers as numpy's
    node-by-node passes, bit for bit, on values lying exactly on the thresholds, missing
    ones and infinities, in both layouts."""
    from kequn.models import scoring

    rng = np.random.default_rng(leaves)
    x = rng.normal(size=(5000, 4))
    x[rng.random(x.shape) < 0.15] = np.nan
    y = np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 1]) * rng.normal(size=5000) > 0
    model = HistGradientBoostingClassifier(
        max_iter=25, max_leaf_nodes=leaves, early_stopping=False, random_state=0
    ).fit(x, y.astype(int))
    ensemble = tree_ensemble(model)
    splits = max(int((~tree.is_leaf).sum()) for tree in ensemble.trees)
    assert splits == leaves - 1
    assert (ensemble._splits is not None) == (splits <= scoring.MAX_TABLE_SPLITS)
    called = _count_calls(monkeypatch, scoring, "_compiled_by_splits")
    walked = _count_calls(monkeypatch, scoring, "_compiled_walk")
    on = np.concatenate([t.threshold[~t.is_leaf] for t in ensemble.trees])  # on a threshold
    rows = np.vstack([x, np.tile(on[: 4 * (len(on) // 4)].reshape(-1, 4), (3, 1))])
    rows[:7] = [np.inf, -np.inf, np.nan, 0.0]
    for layout in (rows, np.asfortranarray(rows), rows[::3]):
        expected = ensemble.raw_score(layout, compiled=False)
        np.testing.assert_allclose(expected, model.decision_function(layout), atol=1e-12)
        assert np.array_equal(ensemble.raw_score(layout, compiled=True), expected)
    assert (called, walked) == (([1, 1, 1], []) if ensemble._splits is not None else ([], [1] * 3))
    kept = pickle.dumps(ensemble)  # the loops' copies of the trees are not stored
    assert b"_splits" not in kept
    assert b"_flat" not in kept
    again = pickle.loads(kept).raw_score(rows, compiled=True)
    assert np.array_equal(again, ensemble.raw_score(rows, compiled=False))
