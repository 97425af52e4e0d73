"""The BTYD summary from transaction arrays against the Ibis summary on DuckDB and CDNOW."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from kequn.features.btyd import btyd_summary
from kequn.models.transactions import (
    INSERTION_SORT_MAX,
    dictionary_codes,
    summarise_transactions,
)

CDNOW = Path(__file__).parent.parent / "data" / "cdnow"
EPOCH = dt.date(1970, 1, 1)


def reference(orders: pa.Table, as_of: dt.date, unit_days: float = 1.0) -> pa.Table:
    """btyd_summary (Ibis, on DuckDB) of ``orders``, by customer id."""
    summary = btyd_summary(ibis.memtable(orders), as_of, unit_days=unit_days)
    return ibis.duckdb.connect().to_pyarrow(summary.order_by("customer_id"))


def ours(orders: pa.Table, as_of: dt.date, **options: object) -> dict[str, np.ndarray]:
    """summarise_transactions of ``orders`` (codes from the ids), sorted by customer id."""
    ids, codes = dictionary_codes(orders["customer_id"])
    days = orders["order_date"].combine_chunks().view(pa.int32()).to_numpy()
    amount = options.pop("amount", orders["amount"].to_numpy())
    summary = summarise_transactions(
        codes, days, amount, (as_of - EPOCH).days, n_customers=len(ids), **options
    )
    customer = ids.take(summary.customer).to_numpy(zero_copy_only=False)
    order = np.argsort(customer)
    columns = {
        "customer_id": customer,
        "frequency": summary.frequency,
        "recency": summary.recency,
        "T": summary.T,
        "monetary_value": summary.monetary_value,
        "first_day": summary.first_day,
    }
    return {name: np.asarray(values)[order] for name, values in columns.items()}


def assert_same(got: dict[str, np.ndarray], expected: pa.Table) -> None:
    np.testing.assert_array_equal(got["customer_id"], expected["customer_id"].to_numpy())
    for name in ("frequency", "recency", "T"):
        np.testing.assert_array_equal(got[name], expected[name].to_numpy(), err_msg=name)
    np.testing.assert_allclose(
        got["monetary_value"], expected["monetary_value"].to_numpy(), rtol=1e-12, atol=1e-12
    )
    first = expected["first_day"].combine_chunks().view(pa.int32()).to_numpy()
    np.testing.assert_array_equal(got["first_day"], first)


def test_cdnow_summary_equals_the_ibis_summary_and_the_papers() -> None:
    raw = pacsv.read_csv(CDNOW / "cdnow_sample_transactions.csv")
    orders = pa.table(
        {
            "customer_id": pc.cast(raw["customer_id"], pa.string()),
            "order_date": raw["date"],
            "amount": raw["amount"],
        }
    )
    as_of = dt.date(1997, 9, 30)
    got = ours(orders, as_of, unit_days=7)
    assert_same(got, reference(orders, as_of, unit_days=7))
    papers = pacsv.read_csv(CDNOW / "cdnow_customers_summary_with_monetary.csv")
    by_id = np.argsort(papers["ID"].to_numpy().astype(str))
    np.testing.assert_array_equal(got["frequency"], papers["x"].to_numpy()[by_id])


def random_orders(seed: int) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """Orders in no particular order: several on one day, customers with long runs (the
    sorted path), amounts in cents; with which are paid and which come after the as-of."""
    rng = np.random.default_rng(seed)
    n = 20_000
    customer = rng.integers(0, 1_500, n)
    customer[:600] = 7  # a run far longer than an insertion sort's
    customer[600:640] = 8
    day = rng.integers(0, 400, n)
    day[:300] = rng.integers(0, 5, 300)  # many orders on the same few days
    cents = rng.integers(-500, 100_000, n)  # a refund-like negative amount now and then
    paid = rng.random(n) < 0.9
    ids = np.array([f"C{c:05d}" for c in customer])
    orders = pa.table(
        {
            "customer_id": ids,
            "order_date": pa.array(day.astype(np.int32)).view(pa.date32()),
            "amount": cents / 100,
        }
    )
    return orders, cents, paid


@pytest.mark.parametrize("seed", [1, 2])
def test_random_orders_equal_the_ibis_summary(seed: int) -> None:
    orders, cents, paid = random_orders(seed)
    assert max(np.unique(orders["customer_id"].to_numpy(), return_counts=True)[1]) > (
        INSERTION_SORT_MAX
    )
    as_of = EPOCH + dt.timedelta(days=350)  # later orders are left out
    expected = reference(orders.filter(pa.array(paid)), as_of)
    # the amounts as cents with their scale (exact sums), and as floats
    assert_same(ours(orders, as_of, amount=cents, scale=100, keep=paid), expected)
    assert_same(ours(orders, as_of, keep=paid), expected)


def test_dictionary_codes_across_row_groups_and_plain_chunks(tmp_path: Path) -> None:
    ids = pa.array([f"C{i % 37:03d}" for i in range(1_000)][::-1])
    path = tmp_path / "ids.parquet"
    pq.write_table(pa.table({"customer_id": ids}), path, row_group_size=128)
    read = pq.read_table(path, read_dictionary=["customer_id"])["customer_id"]
    assert read.num_chunks > 1
    assert pa.types.is_dictionary(read.type)
    for column in (read, pa.chunked_array([ids[:500], ids[500:]]), ids):
        values, codes = dictionary_codes(column)
        assert len(values) == 37 == len(set(values.to_pylist()))
        assert values.take(codes).to_pylist() == ids.to_pylist()


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="null"):
        dictionary_codes(pa.array(["a", None]))
    with pytest.raises(ValueError, match="codes must be in"):
        summarise_transactions([0, 3], [1, 2], [1.0, 2.0], 5, n_customers=3)
    with pytest.raises(TypeError, match="integer"):
        summarise_transactions([0.0, 1.0], [1, 2], [1.0, 2.0], 5)
    with pytest.raises(ValueError, match="same length"):
        summarise_transactions([0, 1], [1], [1.0, 2.0], 5)
    with pytest.raises(ValueError, match="keep"):
        summarise_transactions([0, 1], [1, 2], [1.0, 2.0], 5, keep=[True])
