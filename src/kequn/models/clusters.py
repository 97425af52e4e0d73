"""Discovered segments: k-means on standardised behaviour, described in words.

- **Features**: spend, purchase days, average order value, days since the last order and
  orders per year (each ``log1p``, as all are skewed), discount share and online share;
  buyers only, standardised.
- **k** from 3 to 8, chosen by the highest silhouette score on a sample of
  :data:`SILHOUETTE_SAMPLE` buyers (the criterion and every score are kept with the run).
- **Fit** (scikit-learn's ``StandardScaler`` and ``KMeans``) on a systematic sample of at
  most :data:`FIT_SAMPLE` buyers in customer-id order (the same rows on every engine);
  every buyer is then assigned to the nearest centre with the fitted means, scales and
  centres alone (numpy: :class:`kequn.models.scoring.NearestCentre`, so assigning with a
  stored model needs no scikit-learn; on Spark the executors assign, and only each
  cluster's size and medians reach the driver). Clusters are numbered by the sample's median
  spend, highest first, so a stored model keeps its numbering.
- **Stability**: the model is refitted on the other half of the sample with another
  seed; the adjusted Rand index between the two assignments of the whole sample is
  reported (1 = identical partitions, 0 = chance).
- **Words**: each cluster is described by its most distinctive features (centre furthest
  from the population mean, in standard deviations), in 中文 and English, with the
  cluster's own medians ("high spend (median 12,300), buys every ~30 days, mostly online").
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from kequn.features.ranks import distributed
from kequn.models.churn import CHURN_FEATURES, ChurnFit, ClosedForms, churn_risk_of, pull
from kequn.models.distributed import scores_in_batches
from kequn.models.scoring import NearestCentre, nearest_centre

if TYPE_CHECKING:  # imported where fitted: assigning stored clusters needs numpy only
    from sklearn.pipeline import Pipeline

COLUMNS = (
    "spend",
    "purchase_days",
    "avg_order_value",
    "days_since_last_order",
    "orders_per_year",
    "discount_share",
    "online_share",
)
LOGGED = frozenset(COLUMNS[:5])
#: the medians that describe a cluster
PROFILED = (*COLUMNS, "mean_days_between_orders")
K_RANGE = range(3, 9)
FIT_SAMPLE = 100_000
SILHOUETTE_SAMPLE = 5_000
MIN_BUYERS = 100
DISTINCT = 0.5  # standard deviations from the mean before a feature describes a cluster

Array = NDArray[np.float64]


def behaviour_matrix(table: pa.Table, *, column_major: bool = False) -> Array:
    """The features k-means sees, a missing value (NULL or NaN) as 0.

    Assigning asks for ``column_major``: filled column by column, without a row-major
    copy (the same values, 20 ms instead of 36 at 791k buyers; the nearest centre is
    found alike in either layout). Fitting keeps the row-major layout: scikit-learn's
    sums over another could differ in their last bits, and so the fitted model."""
    x = np.empty((table.num_rows, len(COLUMNS)), order="F" if column_major else "C")
    for j, name in enumerate(COLUMNS):
        values = table[name].cast(pa.float64()).to_numpy(zero_copy_only=False)
        # NULL arrives as NaN on Spark's executors (pandas), as NULL here: both are 0
        values = np.where(np.isnan(values), 0.0, values)  # a new array: changed in place
        if name in LOGGED:
            np.log1p(np.maximum(values, 0.0, out=values), out=values)
        x[:, j] = values
    return x


def cluster_model(k: int, random_state: int = 0) -> Pipeline:
    """Standardise, then k-means; a scikit-learn pipeline."""
    from sklearn.cluster import KMeans
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), KMeans(k, n_init=4, random_state=random_state))


def choose_k(x: Array) -> tuple[int | None, dict[int, float]]:
    """The k in :data:`K_RANGE` with the highest silhouette on an evenly spaced subsample;
    ``None`` when k-means finds a single group for every k (the buyers all alike)."""
    step = max(1, x.shape[0] // SILHOUETTE_SAMPLE)
    sample = x[::step]
    labelings: dict[int, NDArray[np.int64]] = {}
    scaled = sample
    for k in K_RANGE:
        if k >= sample.shape[0]:
            break
        model = cluster_model(k).fit(sample)
        # the scaler is fitted on the same sample for every k: the same scaled points
        scaled = model[0].transform(sample)
        if np.unique(model[-1].labels_).size >= 2:  # else no silhouette (every point alike)
            labelings[k] = model[-1].labels_
    scores = silhouettes(scaled, labelings)
    if not scores:
        return None, scores
    best = max(scores, key=lambda k: (scores[k], -k))
    return best, scores


def silhouettes(x: Array, labelings: dict[int, NDArray[np.int64]]) -> dict[int, float]:
    """scikit-learn's ``silhouette_score`` (euclidean) of each labelling of the same
    points, the pairwise distances computed once for all of them.

    ``silhouette_score`` computes every distance again for each labelling: six k took
    1.5 s of a refit on 5,000 points, this 0.2 s. The distances are scikit-learn's own
    (``pairwise_distances_chunked``, the diagonal zero); only the per-cluster sums are
    taken here, as matrix products, with the same definition (a singleton cluster's
    point scores 0); a test compares the two. Each labelling needs two clusters or more,
    as ``silhouette_score`` does."""
    from sklearn.metrics import pairwise_distances_chunked

    if not labelings:
        return {}
    ks = list(labelings)
    codes = [np.unique(labelings[k], return_inverse=True)[1] for k in ks]
    onehots = [np.eye(int(c.max()) + 1)[c] for c in codes]
    sizes = [onehot.sum(axis=0) for onehot in onehots]

    def reduce(chunk: Array, start: int) -> tuple[Array, ...]:
        rows = np.arange(chunk.shape[0])
        scores = []
        for code, onehot, size in zip(codes, onehots, sizes, strict=True):
            sums = chunk @ onehot  # each point's total distance to each cluster
            own = code[start : start + chunk.shape[0]]
            others = size[own] - 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                a = sums[rows, own] / others
                means = sums / size
                means[rows, own] = np.inf
                b = means.min(axis=1)
                s = (b - a) / np.maximum(a, b)
            s[others == 0] = 0.0  # alone in its cluster
            scores.append(np.nan_to_num(s))
        return tuple(scores)

    # 64 MB of distances at a time: the default (1 GB) held all of up to 9,999 sampled
    # points' distances at once, 0.8 GB, and was slower
    chunks = list(pairwise_distances_chunked(x, reduce_func=reduce, working_memory=64))
    return {k: float(np.concatenate([c[i] for c in chunks]).mean()) for i, k in enumerate(ks)}


@dataclass
class ClusterFit:
    """The fitted standardisation and centres (read from the scikit-learn pipeline) and
    the numbering of the clusters."""

    model: NearestCentre
    renumber: NDArray[np.int64]
    info: dict[str, Any]


def _buyers(features: ir.Table) -> ir.Table:
    return features.filter(features.orders > 0).select("customer_id", *PROFILED)


def fit_clusters(features: ir.Table) -> tuple[ClusterFit | None, dict[str, Any]]:
    """Choose k and fit on a sample of the buyers; ``None`` with too few buyers."""
    from sklearn.metrics import adjusted_rand_score

    sample = pull(_buyers(features), FIT_SAMPLE)
    if sample.num_rows < MIN_BUYERS:
        return None, {"status": f"skipped: fewer than {MIN_BUYERS} buyers"}
    x = behaviour_matrix(sample)
    k, scores = choose_k(x)
    if k is None:
        return None, {"status": "skipped: the buyers' behaviour forms a single group"}
    model = cluster_model(k).fit(x)
    # stability: the other half of the sample, another seed, compared on the whole sample
    other = cluster_model(k, random_state=1).fit(x[1::2])
    ari = float(adjusted_rand_score(model.predict(x), other.predict(x)))
    # number clusters by median spend in the sample, highest first, so ids mean the same
    # on every engine and stay put while the fitted model is reused
    raw = model.predict(x)
    spend = sample["spend"].cast(pa.float64()).to_numpy(zero_copy_only=False)
    medians = [float(np.median(spend[raw == c])) if (raw == c).any() else 0.0 for c in range(k)]
    order = np.argsort(-np.asarray(medians), kind="stable")
    renumber = np.empty(k, dtype=np.int64)
    renumber[order] = np.arange(1, k + 1)
    info: dict[str, Any] = {
        "status": "fitted",
        "k": k,
        "criterion": "silhouette (highest), k from 3 to 8",
        "silhouette": {str(key): value for key, value in scores.items()},
        "stability_ari": ari,
        "fit_sample": int(sample.num_rows),
        "features": list(COLUMNS),
    }
    return ClusterFit(nearest_centre(model), renumber, info), info


def assign_clusters(
    features: ir.Table, fit: ClusterFit, *, source: ir.Table | None = None
) -> tuple[ir.Table, dict[str, Any]]:
    """Add ``cluster`` to every buyer with ``fit``, and describe each cluster's members.
    ``source``: the same customers' :data:`PROFILED` columns in a table that is cheaper to
    read than ``features`` (the features before the predictions were joined to them).

    In process (DuckDB) the buyers are pulled and assigned here; on Spark the executors
    assign them (:mod:`kequn.models.distributed`) and only each cluster's size and
    medians (exact: ``percentile``, as ``numpy.median``) reach the driver."""
    if distributed(features):
        return _assign_on_engine(features, fit)
    everyone = pull(_buyers(features if source is None else source), limit=None, ordered=False)
    assigned, info = _assign(everyone, fit)
    table = pa.table({"customer_id": everyone["customer_id"], "cluster": pa.array(assigned)})
    joined = features.left_join(ibis.memtable(table), "customer_id")
    out = joined.select(*[joined[c] for c in features.columns], joined.cluster)
    return out, info


def _assign(everyone: pa.Table, fit: ClusterFit) -> tuple[NDArray[np.int64], dict[str, Any]]:
    """Each row's cluster, and the clusters' descriptions from these rows."""
    x = behaviour_matrix(everyone, column_major=True)
    raw = fit.model.predict(x) if everyone.num_rows else np.array([])
    raw = raw.astype(np.int64)
    assigned = fit.renumber[raw]
    # the rows in the clusters' order, each cluster's then a slice (a mask per cluster and
    # column was 0.16 s at 1M); sorted as the smallest integers that hold every centre's
    # index: a stable sort of integers of 16 bits or less is a radix sort (numpy.sort's
    # notes, https://numpy.org/doc/stable/reference/generated/numpy.sort.html), 6 ms at
    # 791k buyers where int64 took 19 ms; a stable order is the same whatever the sort
    k = len(fit.renumber)
    order = np.argsort(raw.astype(np.min_scalar_type(max(k - 1, 0))), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(raw, minlength=k))]).tolist()

    def medians(name: str) -> list[float | None]:
        """Each cluster's median of one column (of its values alone, whatever their order)."""
        values = _floats(everyone, name)[order]
        return [_median(values[bounds[i] : bounds[i + 1]]) for i in range(k)]

    # a column's conversion, reordering and partitions release the GIL: two columns at a
    # time (at 791k buyers 46 ms instead of 83 on two cores), the same numbers
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="kequn-medians") as pool:
        by_column = dict(zip(PROFILED, pool.map(medians, PROFILED), strict=True))
    profiles = {
        int(fit.renumber[i]): (
            bounds[i + 1] - bounds[i],
            {name: by_column[name][i] for name in PROFILED},
        )
        for i in range(k)
    }
    return assigned, {**fit.info, "clusters": _descriptions(fit, profiles, len(assigned))}


def score_and_assign(
    features: ir.Table,
    churn: ChurnFit,
    closed_forms: ClosedForms,
    clusters: ClusterFit,
    *,
    source: ir.Table | None = None,
) -> tuple[ir.Table, dict[str, Any]]:
    """:func:`~kequn.models.churn.score_churn` then :func:`assign_clusters`, in process,
    with the same numbers: the buyers pulled once for both, and one join adding
    ``churn_risk`` and ``cluster`` (apart, each pulled the buyers and each join was
    made again by the thresholds and by the labels). Not for Spark, whose executors
    score (the two functions do that)."""
    read = features if source is None else source
    buyers = read.filter(read.orders > 0)
    names = list(dict.fromkeys((*CHURN_FEATURES, *PROFILED)))
    everyone = pull(buyers.select("customer_id", *names), limit=None, ordered=False)
    assigned, info = _assign(everyone, clusters)
    table = pa.table(
        {
            "customer_id": everyone["customer_id"],
            "churn_risk": churn_risk_of(everyone, churn, closed_forms),
            "cluster": pa.array(assigned),
        }
    )
    joined = features.left_join(ibis.memtable(table), "customer_id")
    kept = [joined[c] for c in features.columns]
    return joined.select(*kept, joined.churn_risk, joined.cluster), info


def _assign_on_engine(features: ir.Table, fit: ClusterFit) -> tuple[ir.Table, dict[str, Any]]:
    model, renumber = fit.model, fit.renumber

    def assign(columns: list[Array]) -> NDArray[np.int64]:
        orders, *values = columns
        buyers = orders > 0
        out = np.zeros(orders.shape[0], dtype=np.int64)
        if buyers.any():
            x = behaviour_matrix(
                pa.table(dict(zip(COLUMNS, (v[buyers] for v in values), strict=True)))
            )
            out[buyers] = renumber[model.predict(x)]
        return out

    inputs = [features.orders, *(features[c] for c in COLUMNS)]
    cluster = scores_in_batches("kequn_cluster", assign, inputs, "int64")
    out = features.mutate(
        cluster=ibis.cases((features.orders > 0, cluster), else_=ibis.null("int64"))
    )
    buyers = out.filter(out.orders > 0)

    def median(name: str) -> ir.FloatingScalar:
        values = buyers[name].cast("float64")
        # NaN left out, as numpy's median is taken here (a filter on percentile's input
        # is compiled into its percentage, which Spark refuses)
        return ibis.cases((values.isnan(), ibis.null("float64")), else_=values).median()

    stats = (
        buyers.group_by("cluster")
        .aggregate(_customers=buyers.count(), **{name: median(name) for name in PROFILED})
        .to_pyarrow()
        .to_pylist()
    )
    profiles = {
        int(row["cluster"]): (
            int(row["_customers"]),
            {name: None if row[name] is None else float(row[name]) for name in PROFILED},
        )
        for row in stats
    }
    total = sum(size for size, _ in profiles.values())
    return out, {**fit.info, "clusters": _descriptions(fit, profiles, total)}


def _descriptions(
    fit: ClusterFit, profiles: dict[int, tuple[int, dict[str, float | None]]], total: int
) -> list[dict[str, Any]]:
    """Each cluster described, in its number's order, from its size and medians."""
    empty: tuple[int, dict[str, float | None]] = (0, dict.fromkeys(PROFILED))
    centres = fit.model.centres  # in standard deviations from the sample mean
    described = []
    for raw_id in np.argsort(fit.renumber):
        cluster_id = int(fit.renumber[raw_id])
        size, profile = profiles.get(cluster_id, empty)
        described.append(_describe(cluster_id, centres[raw_id], profile, size, total))
    return described


def add_clusters(features: ir.Table) -> tuple[ir.Table, dict[str, Any]]:
    """Add ``cluster`` (1 = highest median spend; NULL for customers who never ordered)."""
    fit, info = fit_clusters(features)
    if fit is None:
        return features.mutate(cluster=ibis.null("int64")), info
    return assign_clusters(features, fit)


def _floats(table: pa.Table, column: str) -> NDArray[np.float64]:
    """A column as float64 (NULL as NaN)."""
    return table[column].cast(pa.float64()).to_numpy(zero_copy_only=False)


def _median(values: NDArray[np.float64]) -> float | None:
    values = values[~np.isnan(values)]  # a copy: the median may reorder it
    return float(np.median(values, overwrite_input=True)) if values.size else None


def _describe(
    cluster_id: int, centre: Array, profile: dict[str, float | None], size: int, total: int
) -> dict[str, Any]:
    ranked = sorted(range(len(COLUMNS)), key=lambda i: -abs(centre[i]))
    phrases_en, phrases_zh = [], []
    for i in ranked[:3]:
        if abs(centre[i]) < DISTINCT:
            break
        en, zh = _phrase(COLUMNS[i], centre[i] > 0, profile)
        phrases_en.append(en)
        phrases_zh.append(zh)
    if not phrases_en:
        phrases_en, phrases_zh = ["close to the average buyer"], ["接近一般买家"]
    return {
        "id": cluster_id,
        "customers": size,
        "share": size / total if total else 0.0,
        "en": ", ".join(phrases_en),
        "zh": "，".join(phrases_zh),
        "centre_sd": {name: float(centre[i]) for i, name in enumerate(COLUMNS)},
        "profile": profile,
    }


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:,.0f}"


#: per feature: (high in English, high in Chinese, low in English, low in Chinese);
#: {m} is the cluster's median of the feature, {gap} its median days between orders
PHRASES: dict[str, tuple[str, str, str, str]] = {
    "spend": (
        "high spend (median {m})",
        "消费高（中位数{m}）",
        "low spend (median {m})",
        "消费低（中位数{m}）",
    ),
    "purchase_days": (
        "many purchases (median {m})",
        "购买次数多（中位数{m}次）",
        "one or few purchases",
        "仅购买一两次",
    ),
    "avg_order_value": (
        "large orders (median {m})",
        "客单价高（中位数{m}）",
        "small orders (median {m})",
        "客单价低（中位数{m}）",
    ),
    "days_since_last_order": (
        "not seen for ~{m} days",
        "约{m}天未购买",
        "bought recently (~{m} days ago)",
        "近期购买过（约{m}天前）",
    ),
    "orders_per_year": ("buys every ~{gap} days", "约每{gap}天购买一次", "buys rarely", "很少购买"),
    "discount_share": ("mostly on discount", "多在打折时购买", "pays full price", "多按原价购买"),
    "online_share": ("mostly online", "以线上为主", "mostly offline", "以线下为主"),
}


def _phrase(name: str, high: bool, profile: dict[str, float | None]) -> tuple[str, str]:
    values = {"m": _fmt(profile.get(name)), "gap": _fmt(profile.get("mean_days_between_orders"))}
    high_en, high_zh, low_en, low_zh = PHRASES[name]
    en, zh = (high_en, high_zh) if high else (low_en, low_zh)
    return en.format_map(values), zh.format_map(values)
