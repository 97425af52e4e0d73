"""``kequn clv fit``: the BTYD models fitted on a transactions file and checked against a
holdout period, as the lifetimes library's users do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kequn.cli._app import JsonOpt, _print_json, clv_app, console, err, output_file
from kequn.core.i18n import t


@clv_app.command("fit")
def clv_fit(
    transactions: Annotated[
        Path,
        typer.Argument(
            help="CSV with customer id, date and amount columns", exists=True, dir_okay=False
        ),
    ],
    calibration_end: Annotated[str, typer.Option("--calibration-end", help="YYYY-MM-DD")],
    holdout_end: Annotated[
        str | None, typer.Option("--holdout-end", help="YYYY-MM-DD (default: last date)")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Save a PNG of cumulative predicted vs actual")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit BG/NBD + Gamma-Gamma and compare predicted with actual holdout transactions."""
    from kequn.models.report import clv_holdout_report

    if plot:
        _plot_checked(plot)
    report = clv_holdout_report(
        transactions,
        _day(calibration_end, "--calibration-end"),
        _day(holdout_end, "--holdout-end") if holdout_end else None,
    )
    if plot:
        note = report.save_plot(plot)
        if note:
            err.print(note, style="yellow", soft_wrap=True)
    data = report.to_dict()
    if as_json:
        _print_json(data)
        return
    _print_clv(data)


def _plot_checked(path: Path) -> None:
    """``--plot``, refused before the fit: a path that cannot be written, and matplotlib,
    which draws it and is no dependency of kequn, missing (the fit ended in its
    ModuleNotFoundError's traceback)."""
    import importlib.util

    output_file(path)
    if importlib.util.find_spec("matplotlib") is None:
        raise typer.BadParameter(t("clv.plot_needs_matplotlib"), param_hint="--plot")


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(t("clv.bad_date", value=text), param_hint=option) from None


def _print_clv(data: dict[str, Any]) -> None:
    """The holdout report as a person reads it: parameters, fit, holdout by frequency."""
    console.print(
        t(
            "clv.header",
            customers=data["customers"],
            calibration_end=data["calibration_end"],
            holdout_end=data["holdout_end"],
            unit=t(f"clv.unit.{data['unit']}"),
        )
    )
    params = Table(title=t("clv.parameters"))
    params.add_column(t("clv.model"))
    params.add_column(t("clv.parameter"))
    params.add_column(t("clv.value"), justify="right")
    for model, values in (("BG/NBD", data["bgnbd"]), ("Gamma-Gamma", data["gamma_gamma"])):
        for name, value in values.items():
            params.add_row(model, name, f"{value:.4f}")
    console.print(params)
    console.print(t("clv.loglik", value=f"{data['bgnbd_log_likelihood']:,.2f}"))
    console.print(
        t(
            "clv.holdout",
            predicted=f"{data['predicted_holdout']:,.1f}",
            actual=f"{data['actual_holdout']:,}",
        )
    )
    freq = Table(title=t("clv.by_frequency"))
    for key in ("clv.repeats", "col.count", "clv.actual_mean", "clv.predicted_mean"):
        freq.add_column(t(key), justify="right")
    for row in data["by_frequency"]:
        freq.add_row(
            row["calibration_repeats"],
            f"{row['customers']:,}",
            f"{row['actual_mean']:.3f}",
            f"{row['predicted_mean']:.3f}",
        )
    console.print(freq)
