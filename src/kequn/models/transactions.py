"""The BTYD summary from transaction arrays held in memory: one counting pass, no sort.

:func:`kequn.features.btyd.btyd_summary` computes the same summary as an Ibis expression,
on whatever engine holds the orders. This is for orders already in memory as columns
(read from a Parquet file, say): customers as integer codes (a dictionary-encoded
column's indices), days as integers. Grouping by (customer, day) on an engine means
hashing a string and a date for each of ten million orders into nine million groups;
here one compiled pass counts the orders of each customer, a second places each order in
its customer's run, and a third walks the runs: the first and last purchase day, the
distinct days, the total and the first day's amount. Linear in the orders, whatever
their order; a customer's run (a dozen orders) is sorted by insertion.

The definitions are :func:`~kequn.features.btyd.btyd_summary`'s (Fader, Hardie & Lee
2005), and lifetimes' ``summary_data_from_transaction_data``: several orders on one day
are one transaction, their amounts summed; ``frequency`` is the distinct purchase days
minus one, ``recency`` the first to the last purchase day, ``T`` the first purchase day
to ``as_of``, ``monetary_value`` the mean amount of the repeat days (0 without any).
Orders after ``as_of`` are left out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Codes = NDArray[np.int64]

#: a run longer than this is sorted with numpy's sort instead of by insertion
INSERTION_SORT_MAX = 32


@dataclass(frozen=True)
class TransactionSummary:
    """Per customer with a purchase by the as-of day, in the order of their codes.

    ``customer`` holds the codes given (index the dictionary with them for the ids);
    ``first_day`` is a day number as given.
    """

    customer: Codes
    frequency: Array
    recency: Array
    T: Array
    monetary_value: Array
    first_day: Codes


def dictionary_codes(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, NDArray[np.int32]]:
    """The distinct values of an Arrow column and each row's index into them.

    A column read from Parquet with ``read_dictionary`` arrives in chunks that share a
    dictionary per row group (the file's own): the dictionaries, a few hundred thousand
    values, are encoded together once and each chunk's indices translated, which costs
    far less than hashing every row's value (what ``dictionary_encode`` does, and in
    effect ``unify_dictionaries``, once per chunk). Plain chunks are encoded first.

    Raises
    ------
    ValueError
        When the column has nulls.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if column.null_count:
        raise ValueError(f"{column.null_count} null values: every row needs a value")
    encoded = [c if pa.types.is_dictionary(c.type) else pc.dictionary_encode(c) for c in chunks]
    # chunks of one row group hold the same dictionary (the same buffers): encode it once
    dictionaries: dict[tuple[int, ...], pa.Array] = {}
    for chunk in encoded:
        dictionaries.setdefault(_identity(chunk.dictionary), chunk.dictionary)
    if not dictionaries:
        kind = column.type
        return pa.array([], type=getattr(kind, "value_type", kind)), np.zeros(0, dtype=np.int32)
    together = pc.dictionary_encode(pa.concat_arrays(list(dictionaries.values())))
    indices = together.indices.to_numpy()
    translate, at = {}, 0
    for key, dictionary in dictionaries.items():
        translate[key] = indices[at : at + len(dictionary)]
        at += len(dictionary)
    codes = [translate[_identity(c.dictionary)][c.indices.to_numpy()] for c in encoded]
    return together.dictionary, np.concatenate(codes).astype(np.int32, copy=False)


def _identity(array: pa.Array) -> tuple[int, ...]:
    """Which buffers, and which part of them, an array is: equal for the same array."""
    addresses = tuple(b.address if b is not None else 0 for b in array.buffers())
    return (*addresses, array.offset, len(array))


def summarise_transactions(
    customer: ArrayLike,
    day: ArrayLike,
    amount: ArrayLike,
    as_of: int,
    *,
    keep: ArrayLike | None = None,
    n_customers: int | None = None,
    scale: float = 1.0,
    unit_days: float = 1.0,
) -> TransactionSummary:
    """Frequency, recency, T and monetary value per customer from one row per order.

    Parameters
    ----------
    customer
        Each order's customer as an integer code from 0 (a dictionary column's indices).
    day
        Each order's day as an integer (days since 1970-01-01, say).
    amount
        Each order's amount: floats, or integers in minor units (cents) with ``scale``
        the number of them in a unit (100), which keeps the sums exact.
    as_of
        The last day observed (same numbering as ``day``); later orders are left out.
    keep
        Which orders count (the paid ones, say); every order when None.
    n_customers
        How many codes there are (the dictionary's length); one more than the largest
        code when None.
    scale
        What the amounts are divided by, once, at the end.
    unit_days
        Days per unit of ``recency`` and ``T`` (7 for weeks).
    """
    codes = np.ascontiguousarray(customer)
    days = np.ascontiguousarray(day)
    amounts = np.ascontiguousarray(amount)
    if not (
        np.issubdtype(codes.dtype, np.integer)
        and np.issubdtype(days.dtype, np.integer)
        and (np.issubdtype(amounts.dtype, np.integer) or np.issubdtype(amounts.dtype, np.floating))
    ):
        raise TypeError("customer and day must be integer arrays, amount integer or float")
    if not codes.shape == days.shape == amounts.shape or codes.ndim != 1:
        raise ValueError("customer, day and amount must be 1-D arrays of the same length")
    mask = (
        np.ones(codes.size, dtype=np.bool_)
        if keep is None
        else np.ascontiguousarray(keep, dtype=np.bool_)
    )
    if mask.shape != codes.shape:
        raise ValueError("keep must have one entry per order")
    low, high = (int(codes.min()), int(codes.max())) if codes.size else (0, -1)
    count = high + 1 if n_customers is None else int(n_customers)
    if low < 0 or high >= count:
        raise ValueError(f"customer codes must be in [0, {count}), found {low}..{high}")
    if amounts.dtype.kind in "ui":
        amounts = amounts.astype(np.int64, copy=False)
    else:
        amounts = amounts.astype(np.float64, copy=False)
    group, walk = _compiled()
    buyers, first, last, n_days, total, first_amount = walk(
        *group(codes, days, amounts, mask, count, int(as_of))
    )
    frequency = (n_days - 1).astype(np.float64)
    repeat = frequency > 0
    spent = (total - first_amount).astype(np.float64) / scale
    monetary = np.divide(spent, frequency, out=np.zeros_like(frequency), where=repeat)
    unit = float(unit_days)
    return TransactionSummary(
        customer=buyers,
        frequency=frequency,
        recency=(last - first).astype(np.float64) / unit,
        T=(int(as_of) - first).astype(np.float64) / unit,
        monetary_value=monetary,
        first_day=first,
    )


@functools.cache
def _compiled() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """:func:`_group` and :func:`_walk` compiled by numba (cached on disk), on first use:
    numba takes ~0.5 s to import, which importing this module should not cost."""
    from kequn.models._compile import compiled

    return compiled(_group, nogil=True), compiled(_walk, nogil=True)


def _group(
    customer: Any, day: Any, amount: Any, keep: NDArray[np.bool_], n_customers: int, as_of: int
) -> tuple[Codes, Any, Any, int]:
    """The orders that count, each customer's in a run of their own (in the order given):
    the runs' starts (``n_customers + 1`` of them), their days and amounts, and how many
    customers have one. Two passes: count, then place."""
    start = np.zeros(n_customers + 1, dtype=np.int64)
    for i in range(customer.size):
        if keep[i] and day[i] <= as_of:
            start[customer[i] + 1] += 1
    buyers = 0
    for c in range(n_customers):
        if start[c + 1] > 0:
            buyers += 1
        start[c + 1] += start[c]
    days = np.empty(start[n_customers], dtype=day.dtype)
    amounts = np.empty(start[n_customers], dtype=amount.dtype)
    filled = start[:n_customers].copy()
    for i in range(customer.size):
        if keep[i] and day[i] <= as_of:
            at = filled[customer[i]]
            days[at] = day[i]
            amounts[at] = amount[i]
            filled[customer[i]] = at + 1
    return start, days, amounts, buyers


def _walk(
    start: Codes, days: Any, amounts: Any, buyers: int
) -> tuple[Codes, Codes, Codes, Codes, Any, Any]:
    """Per customer with a run: the code, first and last day, distinct days, total and the
    first day's amount. Sorts each run's days in place, to count them."""
    codes = np.empty(buyers, dtype=np.int64)
    first = np.empty(buyers, dtype=np.int64)
    last = np.empty(buyers, dtype=np.int64)
    n_days = np.empty(buyers, dtype=np.int64)
    total = np.zeros(buyers, dtype=amounts.dtype)
    first_amount = np.zeros(buyers, dtype=amounts.dtype)
    k = 0
    for c in range(start.size - 1):
        lo, hi = start[c], start[c + 1]
        if hi == lo:
            continue
        low, high = days[lo], days[lo]
        for i in range(lo + 1, hi):
            low = min(low, days[i])
            high = max(high, days[i])
        for i in range(lo, hi):
            total[k] += amounts[i]
            if days[i] == low:
                first_amount[k] += amounts[i]
        run = days[lo:hi]
        if run.size <= INSERTION_SORT_MAX:
            for i in range(1, run.size):
                current = run[i]
                j = i - 1
                while j >= 0 and run[j] > current:
                    run[j + 1] = run[j]
                    j -= 1
                run[j + 1] = current
        else:
            run[:] = np.sort(run)
        distinct = 1
        for i in range(1, run.size):
            distinct += run[i] != run[i - 1]
        codes[k], first[k], last[k], n_days[k] = c, low, high, distinct
        k += 1
    return codes, first, last, n_days, total, first_amount
