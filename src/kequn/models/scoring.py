"""Scoring fitted models with numpy alone, so a run that reuses stored models never
imports scikit-learn (two to four seconds of imports on a small machine, more than a
10k-customer run's work).

When a model is fitted, the scikit-learn object is read once into plain arrays, and only
those are stored with the workspace's models:

- :class:`TreeEnsemble`, from a binary ``HistGradientBoostingClassifier``: every tree's
  nodes (feature, threshold, where missing values go, children, leaf values) and the
  baseline. A row's raw score is the baseline plus, tree by tree in fitting order, the
  value of the leaf it reaches: at a split it goes left when its value is at most the
  threshold, and a missing value (NaN) goes the way the split learnt for missing values.
  The churn risk is the logistic link of the raw score. The sums are made in the order
  scikit-learn makes them, so the risks equal ``predict_proba`` to rounding.
- :class:`NearestCentre`, from a ``StandardScaler`` + ``KMeans`` pipeline: the scaler's
  means and scales and the centres (in standardised units); a row belongs to the centre
  nearest to its standardised values, as ``KMeans.predict`` assigns it.

The conversions read the fitted objects by their attributes (``_predictors``,
``_baseline_prediction``, ``mean_``, ``scale_``, ``cluster_centers_``) and import nothing
from scikit-learn; :func:`tree_ensemble` and :func:`nearest_centre` refuse what they
cannot reproduce (several classes, categorical splits, another pipeline shape).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Index = NDArray[np.intp]

#: rows scored per block, so the per-node row indices stay small at millions of buyers
BLOCK = 262_144

#: from this many rows × trees a tree ensemble is scored by a loop compiled with numba
#: (the same additions in the same order); below it numpy's node-by-node passes are
#: quicker than importing numba and loading the compiled loop from its cache (0.65 s;
#: 1.9 s to compile it the first time). 200 trees: numpy 0.36 s at 50k rows, and at
#: 791k buyers 5.5 s against the compiled walk's 1.8-2.1 s (the loop over the trees'
#: splits, :attr:`TreeEnsemble._splits`, which took its place for the churn model's
#: trees: 0.15-0.4 s at 644k rows and 181 trees). Where numpy stops being quicker was
#: measured with the walk; the cost of loading numba is what sets it.
COMPILED_WORK = 30_000_000

#: from this many rows × centres the nearest centres are found by a loop compiled with
#: numba (the same operations in the same order). numpy takes about 45 ns a row and
#: centre (0.21 s at 791k buyers and 6 centres, 0.28 s with 8), the loop 6-8 ms; loading
#: it from numba's cache costs 5 ms once numba is in use (the trees' walk at that size),
#: 0.4 s with numba's import, which runs make in their head start
#: (:func:`kequn.models.warm.scoring`). From 2M on numpy would take 90 ms or more.
NEAREST_COMPILED_WORK = 2_000_000


@dataclass(frozen=True)
class Tree:
    """One regression tree's nodes; node 0 is the root, leaves carry ``value``."""

    feature: Index
    threshold: Array
    missing_left: NDArray[np.bool_]
    left: Index
    right: Index
    is_leaf: NDArray[np.bool_]
    value: Array

    @property
    def depth(self) -> int:
        """The most splits from the root to a leaf."""
        deepest, pending = 0, [(0, 0)]
        while pending:
            node, depth = pending.pop()
            if self.is_leaf[node]:
                deepest = max(deepest, depth)
            else:
                pending += [(int(self.left[node]), depth + 1), (int(self.right[node]), depth + 1)]
        return deepest

    def add_to(self, raw: Array, columns: list[Array], rows: Index) -> None:
        """Add to ``raw[rows]`` the value of the leaf each of those rows reaches.

        Rows are split node by node (each internal node partitions the rows that reached
        it), so a tree costs about its depth in passes over the rows and one addition
        per row, the addition scikit-learn makes."""
        pending = [(0, rows)]
        while pending:
            node, here = pending.pop()
            if self.is_leaf[node]:
                raw[here] += self.value[node]
                continue
            values = columns[self.feature[node]][here]
            missing = np.isnan(values)
            # NaN <= threshold is False: a missing value goes right unless sent left
            go_left = values <= self.threshold[node]
            if self.missing_left[node]:
                go_left |= missing
            pending.append((int(self.right[node]), here[~go_left]))
            pending.append((int(self.left[node]), here[go_left]))


@dataclass(frozen=True)
class TreeEnsemble:
    """A fitted binary gradient-boosting classifier as arrays: P(class 1) from
    ``baseline`` plus the trees' leaf values, through the logistic link."""

    baseline: float
    trees: tuple[Tree, ...]
    n_features: int

    def raw_score(self, x: Array, *, compiled: bool | None = None) -> Array:
        """The log-odds of class 1 for each row of ``x`` (rows × features, NaN missing).

        ``compiled``: score with the numba loop (default: from :data:`COMPILED_WORK` rows
        × trees on); both ways give the same numbers bit for bit."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} feature columns, got {x.shape}")
        if compiled is None:
            compiled = x.shape[0] * len(self.trees) >= COMPILED_WORK
        if compiled and self.trees:
            raw = np.empty(x.shape[0])
            if not (x.flags.c_contiguous or x.flags.f_contiguous):
                x = np.ascontiguousarray(x)  # (compiled for either layout)
            if self._splits is not None:
                _compiled_by_splits()(x, self.baseline, *self._splits, raw)
            else:
                _compiled_walk()(x, self.baseline, *self._flat, raw)
            return raw
        raw = np.full(x.shape[0], self.baseline)
        for start in range(0, x.shape[0], BLOCK):
            block = x[start : start + BLOCK]
            columns = [np.ascontiguousarray(block[:, j]) for j in range(self.n_features)]
            rows = np.arange(block.shape[0], dtype=np.intp)
            part = raw[start : start + BLOCK]  # a view: the trees add into raw
            for tree in self.trees:
                tree.add_to(part, columns, rows)
        return raw

    def probability(self, x: Array, *, compiled: bool | None = None) -> Array:
        """P(class 1) for each row of ``x``: ``1 / (1 + exp(-raw))``."""
        return 1.0 / (1.0 + np.exp(-self.raw_score(x, compiled=compiled)))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (stored with the workspace's models) without :attr:`_flat` and
        :attr:`_splits`, which are the trees again in other layouts (one doubled the
        stored file)."""
        state = dict(self.__dict__)
        state.pop("_flat", None)
        state.pop("_splits", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Read without any :attr:`_flat` the file holds: one stored before it was left
        out is in the layout of the kequn that wrote it, which the compiled loop no
        longer takes (it is made again from the trees when first needed)."""
        self.__dict__.update({k: v for k, v in state.items() if k not in ("_flat", "_splits")})

    @functools.cached_property
    def _flat(self) -> tuple[Any, ...]:
        """Every tree's nodes in one set of arrays, for the compiled loop
        (:func:`kequn.models._trees._walk`): each tree's root and depth, then per node
        its feature, threshold, missing-goes-left flag, two children (left, right; as
        positions in these arrays) and value. A leaf's children are itself and its
        feature 0, so a walk of a tree's depth ends on the leaf whatever the row."""
        offsets = np.cumsum([0, *(t.feature.size for t in self.trees[:-1])]).astype(np.intp)
        leaves = np.flatnonzero(np.concatenate([t.is_leaf for t in self.trees]))
        pairs = zip(self.trees, offsets, strict=True)
        child = np.concatenate([np.stack([t.left, t.right], axis=1) + o for t, o in pairs])
        child = child.astype(np.intp)
        child[leaves] = leaves[:, None]
        feature = np.concatenate([t.feature for t in self.trees]).astype(np.intp)
        feature[leaves] = 0
        return (
            offsets,
            np.array([t.depth for t in self.trees], dtype=np.intp),
            feature,
            np.concatenate([t.threshold for t in self.trees]),
            np.concatenate([t.missing_left for t in self.trees]),
            child,
            np.concatenate([t.value for t in self.trees]),
        )

    @functools.cached_property
    def _splits(self) -> tuple[Any, ...] | None:
        """Every tree as its splits and a table of its leaves, for the compiled loop that
        tests every split of a tree (:func:`kequn.models._trees._by_splits`): per tree the
        number of its splits, then per split (in the order of the tree's nodes) its
        feature, threshold and missing-goes-left flag, and the value of the leaf reached
        by each combination of the splits' answers (bit ``j`` set: split ``j`` sends the
        row left). None when a tree has more than :data:`MAX_TABLE_SPLITS` splits (its
        table would be too long): those are walked (:attr:`_flat`)."""
        inner = [np.flatnonzero(~t.is_leaf) for t in self.trees]
        most = max(len(k) for k in inner)
        if most > MAX_TABLE_SPLITS:
            return None
        size = len(self.trees)
        feature = np.zeros((size, most), dtype=np.intp)
        threshold = np.zeros((size, most))
        missing_left = np.zeros((size, most), dtype=np.bool_)
        leaf = np.zeros((size, 1 << most))
        for i, (tree, nodes) in enumerate(zip(self.trees, inner, strict=True)):
            feature[i, : len(nodes)] = tree.feature[nodes]
            threshold[i, : len(nodes)] = tree.threshold[nodes]
            missing_left[i, : len(nodes)] = tree.missing_left[nodes]
            position = {int(node): j for j, node in enumerate(nodes)}
            for number in range(1 << len(nodes)):
                node = 0
                while not tree.is_leaf[node]:
                    left = (number >> position[node]) & 1
                    node = int(tree.left[node] if left else tree.right[node])
                leaf[i, number] = tree.value[node]
        count = np.array([len(k) for k in inner], dtype=np.intp)
        return count, feature, threshold, missing_left, leaf


#: trees of at most this many splits are scored by testing each split for every row (a
#: table of 2 ** splits leaves per tree); the churn model's have six (seven leaves)
MAX_TABLE_SPLITS = 10


@functools.cache
def _compiled_by_splits() -> Callable[..., Any]:
    """The compiled loop :func:`kequn.models._trees.by_splits`, imported on first use."""
    from kequn.models._trees import by_splits

    return by_splits


@functools.cache
def _compiled_walk() -> Callable[..., Any]:
    """The compiled loop (:func:`kequn.models._trees.walk`), imported on first use: numba
    takes ~0.5 s to import, which a small run should not pay."""
    from kequn.models._trees import walk

    return walk


def tree_ensemble(model: Any) -> TreeEnsemble:
    """The arrays of a fitted binary ``HistGradientBoostingClassifier`` on numeric features."""
    if getattr(model, "n_trees_per_iteration_", None) != 1 or len(model.classes_) != 2:
        raise ValueError("only a binary classifier can be read into a TreeEnsemble")
    trees = []
    for iteration in model._predictors:
        (predictor,) = iteration
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        trees.append(
            Tree(
                feature=nodes["feature_idx"].astype(np.intp),
                threshold=nodes["num_threshold"].astype(np.float64),
                missing_left=nodes["missing_go_to_left"].astype(bool),
                left=nodes["left"].astype(np.intp),
                right=nodes["right"].astype(np.intp),
                is_leaf=nodes["is_leaf"].astype(bool),
                value=nodes["value"].astype(np.float64),
            )
        )
    baseline = float(np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1)[0])
    return TreeEnsemble(baseline, tuple(trees), int(model.n_features_in_))


@dataclass(frozen=True)
class NearestCentre:
    """Standardise with ``mean`` and ``scale``, then the index of the nearest of
    ``centres`` (in standardised units), as a fitted scaler + k-means pipeline predicts."""

    mean: Array
    scale: Array
    centres: Array

    def standardise(self, x: Array) -> Array:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.scale

    def predict(self, x: Array, *, compiled: bool | None = None) -> NDArray[np.int64]:
        """The nearest centre of each row (the first of equally near ones).

        A row's distances do not depend on the rows scored with it (Spark's executors
        score a batch at a time): numpy sums each row's seven terms alone, in order, on
        row-major rows (fewer terms than its pairwise sums' blocks of eight) as on
        column-major ones (column after column); tests/models/test_scoring.py checks
        batches of 1 to 2,048 rows, in either layout, against each row summed alone.

        ``compiled``: with the numba loop (default: from :data:`NEAREST_COMPILED_WORK`
        rows × centres on), which makes the same operations in the same order for each
        row alone: the same distances bit for bit, the same centres."""
        x = np.asarray(x, dtype=np.float64)
        k, width = self.centres.shape[0], self.mean.shape[0]
        if compiled is None:
            compiled = x.shape[0] * k >= NEAREST_COMPILED_WORK
        # what numpy would refuse (other widths, no centres) is left to it to refuse
        if compiled and k and x.ndim == 2 and x.shape[1] == width == self.centres.shape[1]:
            out = np.empty(x.shape[0], dtype=np.int64)
            if not (x.flags.c_contiguous or x.flags.f_contiguous):
                x = np.ascontiguousarray(x)  # either layout is read as fast (compiled for each)
            arrays = (self.mean, self.scale, self.centres)
            _compiled_nearest()(x, *map(np.ascontiguousarray, arrays), out)
            return out
        z = self.standardise(x)
        if z.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        # squared distances to each centre; k is at most a handful, so a loop over centres
        # keeps memory at one column per centre
        distances = np.column_stack([((z - c) ** 2).sum(axis=1) for c in self.centres])
        return distances.argmin(axis=1).astype(np.int64)


@functools.cache
def _compiled_nearest() -> Callable[..., Any]:
    """The compiled loop (:func:`kequn.models._nearest.nearest`), imported on first use."""
    from kequn.models._nearest import nearest

    return nearest


def nearest_centre(pipeline: Any) -> NearestCentre:
    """The arrays of a fitted ``make_pipeline(StandardScaler(), KMeans(k))``."""
    scaler, kmeans = pipeline[0], pipeline[-1]
    standard = getattr(scaler, "with_mean", False) and getattr(scaler, "with_std", False)
    if len(pipeline) != 2 or not standard or not hasattr(kmeans, "cluster_centers_"):
        raise ValueError("expected a fitted StandardScaler + KMeans pipeline")
    return NearestCentre(
        mean=np.asarray(scaler.mean_, dtype=np.float64).copy(),
        scale=np.asarray(scaler.scale_, dtype=np.float64).copy(),
        centres=np.asarray(kmeans.cluster_centers_, dtype=np.float64).copy(),
    )
