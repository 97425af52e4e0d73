"""The typer application, shared options and output helpers."""

from __future__ import annotations

import datetime as dt
import errno
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from kequn.cli._help import KequnTyper
from kequn.core import i18n

app = KequnTyper(
    help="kequn (客群): classify customers the way good CRM teams do, with reasons and strategies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
taxonomy_app = KequnTyper(help="Inspect and validate the workspace taxonomy.", no_args_is_help=True)
clv_app = KequnTyper(
    help="Customer lifetime value models (BG/NBD + Gamma-Gamma).", no_args_is_help=True
)
app.add_typer(taxonomy_app, name="taxonomy")
app.add_typer(clv_app, name="clv")
#: no Rich markup: what is printed holds users' text (ids, names, file names, status
#: words from their exports), and "[/]" in it stopped a command with a MarkupError while
#: "[sales]" vanished as a style; styles are given as ``style=`` or :class:`~rich.text.Text`
console = Console(markup=False)
err = Console(stderr=True, markup=False)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (else $KEQUN_WORKSPACE, else the current folder).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD, 'latest' or 'today'")]
#: the most rows a listing's --limit (or deliver's --batch) may ask for: more than a
#: workspace holds, within the database's 64-bit counts (``--limit 99999999999999999999``
#: stopped ``kequn worklist`` with an engine error that blamed the taxonomy's arithmetic)
ROWS_MAX = 1_000_000_000
#: the most days an option may count, as for kequn.toml's ``*_days`` settings: a day
#: further than Python's dates reach stopped ``kequn privacy purge --days`` with a traceback
DAYS_MAX = 36500
#: the longest conversion window, as journeys.yaml's ``conversion_days`` allows
#: (:class:`kequn.automation.journeys.Journey`; not imported here, where commands are
#: registered: a test sees the two agree). ``journeys report --days`` took up to 36,500
CONVERSION_DAYS_MAX = 3650
ConversionDaysOpt = Annotated[
    int | None,
    typer.Option(
        help="Conversion window (default: each journey's)", min=1, max=CONVERSION_DAYS_MAX
    ),
]
BatchOpt = Annotated[int | None, typer.Option(help="Messages per batch", min=1, max=ROWS_MAX)]


def _set_lang(lang: str | None) -> str | None:
    """``--lang``, in force as soon as it is read: it is eager, so ``kequn --lang zh
    --help`` prints the help in Chinese (click handles an eager ``--help`` while parsing,
    before the callback of ``kequn`` runs)."""
    if lang:
        # written as ?lang= and KEQUN_LANG take it: ZH, zh-CN, en_US
        chosen = i18n.language_of(lang)
        if chosen is None:
            # told in the language of the environment (KEQUN_LANG, else the locale)
            raise typer.BadParameter(i18n.t("cli.bad_lang", value=lang), param_hint="--lang")
        i18n.set_lang(chosen)
        return chosen
    return lang


@app.callback()
def _main(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of messages: zh or en.", is_eager=True, callback=_set_lang
        ),
    ] = None,
) -> None:
    pass  # --lang is taken by its callback, _set_lang (a docstring here would be help)


def parse_as_of(
    text: str | None, option: str = "--as-of", today: dt.date | None = None
) -> dt.date | None:
    """The command line's as-of date as a date (None: the workspace's rule, by default the
    latest date in the data; "today" is ``today``, the workspace's). Dates are dates
    from here inward. A date that is none is a usage error naming ``option`` (it said
    "Invalid value" of no option)."""
    from kequn.pipeline import as_of_from_text

    try:
        return as_of_from_text(text, today)
    except ValueError as exc:
        raise typer.BadParameter(i18n.t("cli.bad_date", value=text), param_hint=option) from exc


def given_id(what: str) -> Any:
    """A callback for an id argument or option: an empty one (``kequn show ""``, or only
    spaces) is a usage error saying so, exit 2; it was looked up and "not found" named
    no id. ``what`` is the kind of id asked for, a key under ``cli.id.``."""

    def check(value: str | None) -> str | None:
        from kequn.core.invisible import blank  # its pydantic is not a command's to load

        if value is not None and blank(value):
            said = i18n.t("cli.empty_id", what=i18n.t(f"cli.id.{what}"))
            raise typer.BadParameter(said)
        return value

    return check


#: an empty run id (``--run ""``, ``--run "$RUN"`` with RUN unset) is a usage error: as a
#: prefix it matched every run, and was "ambiguous" (or the only run)
RunOpt = Annotated[
    str | None,
    typer.Option(
        "--run",
        help="Run id (or prefix); default: the run with the latest as-of date (of one date, "
        "the one made last).",
        callback=given_id("run"),
    ),
]
CustomerIdArg = Annotated[str, typer.Argument(help="Customer id", callback=given_id("customer"))]
CustomerOpt = Annotated[
    str | None, typer.Option(help="One customer's events", callback=given_id("customer"))
]


class UsageMistake(Exception):  # noqa: N818 - what the user did, not a fault
    """A command line asking what cannot be (a table that is not one, options that
    contradict each other), told in one line as kequn's own errors are, and exit 2 as a
    usage error (:func:`kequn.errors.exit_status`): the command did nothing."""

    usage = True


def one_of(value: str, known: Any, option: str) -> str:
    """``value`` if it is one of ``known``, else a usage error naming them (an unknown
    team or status listed nothing, as if there were nothing to list)."""
    if value not in known:
        said = i18n.t("cli.bad_choice", value=value, known=", ".join(known))
        raise typer.BadParameter(said, param_hint=option)
    return value


def output_file(path: Path) -> Path:
    """``path``, checked as a file a command may write before it starts: a folder, or a
    file in a folder that does not exist, is refused as the operating system would
    (told by :func:`kequn.errors.user_message`), not by a writer's traceback."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path.parent))
    return path


def _ws(path: Path | None) -> Any:
    from kequn.store.access import unfinished_erasures
    from kequn.store.settings import CONFIG_NAME, unknown_settings
    from kequn.store.workspace import Workspace

    ws = Workspace.open(path)
    unknown = unknown_settings(ws.root / CONFIG_NAME)
    if unknown:
        said = i18n.t("settings.unknown", keys=", ".join(unknown))
        err.print(said, style="yellow", soft_wrap=True)
    # every command says so until it is finished: the person may still be in the runs
    for subject, when in unfinished_erasures(ws):
        err.print(
            i18n.t("privacy.erase_unfinished", subject=subject, when=when),
            style="yellow",
            soft_wrap=True,
        )
    return ws


def lazy_module(name: str) -> ModuleType:
    """``name``, imported on first use (registering a command must not import what only
    running it needs: ibis, DuckDB, the snapshot readers)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None, name
    assert spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _lang() -> str:
    return i18n.current_lang()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
