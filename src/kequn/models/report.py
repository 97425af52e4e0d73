"""Calibration/holdout validation of BG/NBD + Gamma-Gamma, as in Fader, Hardie & Lee (2005).

Fit on purchases up to the calibration end, predict each customer's repeat purchases in
the holdout period, and compare with what they actually did: in total, by number of
calibration repeat purchases (the paper's conditional-expectation figure), and week by
week. The numbers are the model's own; nothing is tuned toward the actual counts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np

from kequn.core.i18n import current_lang, t
from kequn.features.btyd import btyd_summary, holdout_counts
from kequn.models import TransactionsError
from kequn.models.bgnbd import BetaGeoModel
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.predict import MIN_REPEATERS

UNITS = {"day": 1.0, "week": 7.0}
_CUSTOMER = ("customer_id", "customer", "cust_id", "客户编号", "会员id", "id")
_DATE = ("date", "order_date", "ordered_at", "下单时间", "订单日期")
_AMOUNT = ("amount", "sales", "value", "revenue", "金额", "实付金额")


@dataclass
class HoldoutReport:
    calibration_end: str
    holdout_end: str
    unit: str
    customers: int
    bgnbd: dict[str, float]
    bgnbd_log_likelihood: float
    gamma_gamma: dict[str, float]
    predicted_holdout: float
    actual_holdout: int
    by_frequency: list[dict[str, Any]] = field(default_factory=list)
    weekly: list[dict[str, float]] = field(default_factory=list)
    #: why the BG/NBD fit cannot be trusted (too few repeat buyers, parameters at the
    #: optimiser's bounds, a flat likelihood); empty when it can
    unidentified: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save_plot(self, path: Path, lang: str | None = None) -> str | None:
        """Cumulative predicted vs actual repeat transactions per week of the holdout,
        its words in ``lang`` (default: the language in force); returns why they are
        in English instead (no font installed has the Chinese characters), else None."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager

        words = plot_words(lang, {font.name for font in font_manager.fontManager.ttflist})
        style: dict[str, Any] = {}
        if words.font is not None:
            style = {"font.family": "sans-serif", "font.sans-serif": [words.font]}
        weeks = [w["week"] for w in self.weekly]
        with plt.rc_context(style):
            fig, ax = plt.subplots(figsize=(7, 4))
            ax.plot(weeks, [w["actual"] for w in self.weekly], label=words.actual)
            ax.plot(weeks, [w["predicted"] for w in self.weekly], "--", label=words.predicted)
            ax.set_title(words.title)
            ax.set_xlabel(words.x)
            ax.set_ylabel(words.y)
            ax.legend()
            fig.tight_layout()
            fig.savefig(path, dpi=120)
            plt.close(fig)
        return words.note


#: font families that have the plot's Chinese, the first installed one drawing it
#: (Debian's fonts-noto-cjk, fonts-wqy-*, Adobe's, Windows' and macOS's); else any
#: family with "CJK" in its name. An older matplotlib may know a .ttc file by its first
#: font alone (Noto's: "Noto Sans CJK JP", which has the same Chinese characters)
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)


@dataclass(frozen=True)
class PlotWords:
    """The words on ``kequn clv fit --plot``'s PNG and the font to draw them with."""

    title: str
    x: str
    y: str
    actual: str
    predicted: str
    #: a family with their characters (None: matplotlib's own, DejaVu Sans)
    font: str | None = None
    #: why they are not in the language asked for, to be told beside the plot
    note: str | None = None


def plot_words(lang: str | None, fonts: set[str]) -> PlotWords:
    """The plot's words in ``lang``, given the font families installed: Chinese only
    with a font that has its characters (DejaVu Sans, matplotlib's, has none: each was
    drawn as an empty box), else English with a note saying why."""
    lang = lang or current_lang()
    font = None
    if lang == "zh":
        installed = [name for name in CJK_FONTS if name in fonts]
        installed += sorted(name for name in fonts if "CJK" in name)
        font = installed[0] if installed else None
    said = lang if font is not None else "en"
    title, x, y, actual, predicted = (
        t(f"clv.plot.{part}", said) for part in ("title", "x", "y", "actual", "predicted")
    )
    return PlotWords(
        title,
        x,
        y,
        actual,
        predicted,
        font=font,
        note=t("clv.plot.no_cjk_font", lang) if lang == "zh" and font is None else None,
    )


def _pick(columns: list[str], wanted: tuple[str, ...], what: str, where: str) -> str:
    lowered = {c.lower(): c for c in columns}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    raise TransactionsError(
        t(
            "clv.no_column",
            file=where,
            what=t(f"clv.column.{what}"),
            wanted=", ".join(wanted),
            found=", ".join(columns),
        )
    )


def _read_csv(path: Path) -> ir.Table:
    """The transactions file as DuckDB reads it (whole: a line it cannot read, such as
    GBK text or a workbook given for a CSV, is told with its number, not a traceback)."""
    import duckdb

    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip() and path.stat().st_size <= len(head):
        raise TransactionsError(t("clv.no_rows", file=path))
    try:
        table = ibis.duckdb.connect().read_csv(str(path))
        table.count().execute()  # reads every line: a bad one far down is found here
    except duckdb.Error as exc:
        line = re.search(r"CSV Error on Line: (\d+)", str(exc))
        where = t("clv.unreadable.line", line=line.group(1)) if line else ""
        raise TransactionsError(t("clv.unreadable", file=path, where=where)) from exc
    return table


def _check_values(table: ir.Table, column: str, kind: str, where: str) -> None:
    """A date or amount column DuckDB did not type as such holds values that are not
    dates or numbers: the first is told with its row (the file's line, the header the
    first), rather than as a conversion error of the engine's half-way through the fit."""
    col = table[column]
    typed = col.type().is_temporal() if kind == "date" else col.type().is_numeric()
    if typed:
        return
    bad = col.notnull() & (col.cast("string").strip().length() > 0)
    bad &= col.try_cast("date" if kind == "date" else "float64").isnull()
    found = table.select(value=col.cast("string"), bad=bad).to_pyarrow()
    flags = found.column("bad").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(flags)
    if len(rows):
        first = int(rows[0])
        raise TransactionsError(
            t(
                "clv.bad_value",
                file=where,
                row=first + 2,
                column=column,
                value=found.column("value")[first].as_py(),
                what=t(f"clv.kind.{kind}"),
                count=len(rows),
            )
        )


def clv_holdout_report(
    transactions: ir.Table | str | Path,
    calibration_end: dt.date,
    holdout_end: dt.date | None = None,
    *,
    unit: str = "week",
) -> HoldoutReport:
    """Fit on the calibration period and compare predictions with the holdout."""
    if isinstance(transactions, str | Path):
        table, where = _read_csv(Path(transactions)), str(transactions)
    else:
        table, where = transactions, "transactions"
    cols = list(table.columns)
    customer, date, amount = (
        _pick(cols, _CUSTOMER, "customer", where),
        _pick(cols, _DATE, "date", where),
        _pick(cols, _AMOUNT, "amount", where),
    )
    _check_values(table, date, "date", where)
    _check_values(table, amount, "number", where)
    orders = table.select(
        customer_id=table[customer].cast("string"),
        order_date=table[date].cast("date"),
        amount=table[amount],
    )
    if holdout_end is None:
        holdout_end = orders.order_date.max().to_pyarrow().as_py()
    if holdout_end is None:
        raise TransactionsError(t("clv.no_rows", file=where))
    if holdout_end <= calibration_end:
        raise TransactionsError(
            t("clv.holdout_before", holdout_end=holdout_end, calibration_end=calibration_end)
        )
    unit_days = UNITS[unit]
    summary = btyd_summary(orders, calibration_end, unit_days=unit_days)
    counts = holdout_counts(orders, calibration_end, holdout_end)
    joined = summary.left_join(counts, "customer_id")
    data = joined.select(
        summary.frequency,
        summary.recency,
        summary.T,
        summary.monetary_value,
        actual=counts.holdout_purchases.fill_null(0),
    ).to_pyarrow()
    x = data["frequency"].to_numpy()
    t_x = data["recency"].to_numpy()
    big_t = data["T"].to_numpy()
    money = data["monetary_value"].to_numpy()
    actual = data["actual"].to_numpy()

    try:
        model = BetaGeoModel().fit(x, t_x, big_t)
        spend = GammaGammaModel().fit(x, money)
    except ValueError as exc:  # too few (repeat) buyers before the calibration end
        raise TransactionsError(
            t("clv.cannot_fit", file=where, calibration_end=calibration_end, detail=exc)
        ) from exc
    horizon = (holdout_end - calibration_end).days / unit_days
    predicted = model.expected_purchases(horizon, x, t_x, big_t)

    by_frequency = []
    for k in range(8):
        mask = x == k if k < 7 else x >= 7
        if mask.any():
            by_frequency.append(
                {
                    "calibration_repeats": str(k) if k < 7 else "7+",
                    "customers": int(mask.sum()),
                    "actual_mean": float(actual[mask].mean()),
                    "predicted_mean": float(predicted[mask].mean()),
                }
            )
    weekly = []
    week_days = 7.0 / unit_days
    weeks = int(np.floor(horizon / week_days))
    days_table = orders.filter(
        (orders.order_date > ibis.date(calibration_end))
        & (orders.order_date <= ibis.date(holdout_end))
    )
    days_table = days_table.filter(days_table.customer_id.isin(summary.customer_id))
    per_day = days_table.select("customer_id", "order_date").distinct()
    per_week = (
        per_day.group_by(
            week=(per_day.order_date.delta(ibis.date(calibration_end), unit="day") - 1) // 7 + 1
        )
        .aggregate(n=per_day.count())
        .to_pyarrow()
        .to_pylist()
    )
    actual_by_week = {int(r["week"]): int(r["n"]) for r in per_week}
    running = 0
    for w in range(1, weeks + 1):
        running += actual_by_week.get(w, 0)
        weekly.append(
            {
                "week": w,
                "actual": float(running),
                "predicted": float(model.expected_purchases(w * week_days, x, t_x, big_t).sum()),
            }
        )
    return HoldoutReport(
        calibration_end=calibration_end.isoformat(),
        holdout_end=holdout_end.isoformat(),
        unit=unit,
        customers=int(x.size),
        bgnbd=model.params_,
        bgnbd_log_likelihood=model.log_likelihood_,
        gamma_gamma=spend.params_,
        predicted_holdout=float(predicted.sum()),
        actual_holdout=int(actual.sum()),
        by_frequency=by_frequency,
        weekly=weekly,
        unidentified=model.unidentified(MIN_REPEATERS),
    )
