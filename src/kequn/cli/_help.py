"""``--help`` in the language in force (``--lang``, else ``KEQUN_LANG``, else the locale).

The help texts are written in English in the commands (docstrings, ``help=``); their
Chinese is in :mod:`kequn.cli.help_zh`, keyed by the English text. Every command and
group of ``kequn`` is built by :class:`KequnTyper`, whose classes print their help with
the Chinese texts put in place for the time of printing when the language is zh, and
back as they were afterwards; in English nothing is touched.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import typer
from rich.text import Text
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from kequn.cli.help_zh import (
    ERRORS_ZH,
    HELP_ZH,
    METAVARS_ZH,
    OPTIONS_METAVAR_ZH,
    RANGE_ZH,
    RICH_ZH,
    SUBCOMMAND_METAVAR_ZH,
    USAGE_ERRORS_ZH,
    USAGE_ZH,
    VALUE_ERRORS_ZH,
)
from kequn.core import i18n
from kequn.errors import Interrupted


def key(text: str) -> str:
    """The English text as :data:`~kequn.cli.help_zh.HELP_ZH` knows it: whitespace
    (a docstring's line breaks and indentation) made single spaces."""
    return " ".join(text.split())


def chinese(text: str | None) -> str | None:
    """The Chinese of a help text (the text itself if it has none: tests see that every
    text has one)."""
    return HELP_ZH.get(key(text), text) if text else text


def _usage(command: Any, ctx: Any, formatter: Any) -> None:
    """Click's usage line, its "Usage: " prefix in the language of the help printed."""
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=command.usage_prefix)


#: CJK punctuation, ideographs and full-width forms
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class _Folding:
    """Typer's highlighter of help texts, a text with Chinese in it folded where a line
    is full: Rich breaks lines at spaces only, and a Chinese sentence has none, so in the
    tables of options and commands it was cut short with "…" (Chinese wraps anywhere).
    Option names, with no Chinese, are left as typer shows them."""

    def __init__(self, highlighter: Callable[[str | Text], Text]) -> None:
        self.highlighter = highlighter

    def __call__(self, text: str | Text) -> Text:
        shown = self.highlighter(text)
        if _CJK.search(shown.plain):
            shown.overflow = "fold"
        return shown


@contextlib.contextmanager
def _in_language(command: Any, ctx: Any) -> Iterator[None]:
    """While the block runs, ``command``'s help, its parameters' and its subcommands'
    help, and the words typer's Rich help prints (panel titles, "[default: …]") are
    Chinese if the language in force is zh."""
    if i18n.current_lang() != "zh":
        yield
        return
    from typer import rich_utils  # as typer does: imported when help is printed

    changes: list[tuple[object, str, object]] = [
        (command, "help", chinese(command.help)),
        (command, "usage_prefix", USAGE_ZH),
    ]
    changes += [
        (p, "help", chinese(p.help)) for p in command.get_params(ctx) if getattr(p, "help", None)
    ]
    for sub in getattr(command, "commands", {}).values():
        changes += [(sub, "help", chinese(sub.help)), (sub, "short_help", chinese(sub.short_help))]
    changes += [(rich_utils, name, text) for name, text in RICH_ZH.items()]
    changes.append((rich_utils, "highlighter", _Folding(rich_utils.highlighter)))
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        changes.append((command, "options_metavar", OPTIONS_METAVAR_ZH))
    if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        changes.append((command, "subcommand_metavar", SUBCOMMAND_METAVAR_ZH))
    before = [(target, name, getattr(target, name)) for target, name, _ in changes]
    # the types and bounds beside the parameters: methods of each, shadowed by the
    # instance's own attribute for the time of printing, and the attribute then removed
    shadows = [shadow for p in command.get_params(ctx) for shadow in _types_in_chinese(p, ctx)]
    try:
        for target, name, value in changes + shadows:
            setattr(target, name, value)
        yield
    finally:
        for target, name, value in reversed(before):
            setattr(target, name, value)
        for target, name, _ in shadows:
            with contextlib.suppress(AttributeError):
                delattr(target, name)


def _types_in_chinese(param: Any, ctx: Any) -> list[tuple[object, str, object]]:
    """What typer prints beside ``param`` in its Rich help, "<int range> [1<=x<=36500]",
    as "<整数> [1 至 36500]": its type (:data:`~kequn.cli.help_zh.METAVARS_ZH`; a type
    given as ``metavar=``, as a flag's empty one, is left) and its bounds."""
    if not hasattr(param, "display_type_rich"):  # (click's own, not typer's)
        return []
    shadows: list[tuple[object, str, object]] = []
    shown = param.display_type_rich(ctx)
    if param.metavar is None and shown and shown.startswith("<") and shown.endswith(">"):
        zh = METAVARS_ZH.get(shown[1:-1])
        if zh is not None:
            shadows.append((param, "display_type_rich", lambda ctx, zh=zh: f"<{zh}>"))
    if param._get_number_range_help_str() is not None:
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        which = "both" if low is not None and high is not None else "min" if high is None else "max"
        said = RANGE_ZH[which].format(min=low, max=high)
        shadows.append((param, "_get_number_range_help_str", lambda said=said: said))
    return shadows


def said_in_chinese(message: str) -> str:
    """A usage error of click's or typer's (English only) in Chinese, as far as
    :data:`~kequn.cli.help_zh.USAGE_ERRORS_ZH` knows it; else as it is."""
    return _first_match(USAGE_ERRORS_ZH, message)


def _first_match(patterns: list[tuple[str, str]], message: str) -> str:
    """The Chinese of the first pattern ``message`` matches whole (its ``inner`` part, what
    a value was wrong about, put through :data:`~kequn.cli.help_zh.VALUE_ERRORS_ZH`);
    else ``message``."""
    for pattern, chinese_text in patterns:
        matched = re.fullmatch(pattern, message, re.DOTALL)
        if matched is not None:
            parts = matched.groupdict()
            if parts.get("inner") is not None:
                parts["inner"] = _first_match(VALUE_ERRORS_ZH, parts["inner"])
            return chinese_text.format(**parts)
    return message


#: what :func:`_error_in_language` changed, put back when ``kequn``'s main returns
_changed: list[tuple[object, str, object]] = []


def _error_in_language(exc: BaseException) -> None:
    """Before typer prints ``exc`` (a usage error, or an abort): its message, the words
    around it ("Error", "Try ... for help.", "Usage:") in Chinese when the language in
    force is zh. Done when the error happens, so a command that runs imports nothing
    more for it (typer's Rich printer, ~50 ms)."""
    if i18n.current_lang() != "zh" or getattr(exc, "_kequn_said", False):
        return
    from typer import rich_utils

    changes: list[tuple[object, str, object]] = [
        (rich_utils, name, text) for name, text in ERRORS_ZH.items()
    ]
    command = getattr(getattr(exc, "ctx", None), "command", None)
    if command is not None and hasattr(command, "usage_prefix"):
        changes.append((command, "usage_prefix", USAGE_ZH))
        if getattr(command, "options_metavar", None) == "[OPTIONS]":
            changes.append((command, "options_metavar", OPTIONS_METAVAR_ZH))
        if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
            changes.append((command, "subcommand_metavar", SUBCOMMAND_METAVAR_ZH))
    for target, name, value in changes:
        _changed.append((target, name, getattr(target, name)))
        setattr(target, name, value)
    english = getattr(exc, "format_message", None)
    if callable(english):
        chinese_text = said_in_chinese(str(english()))
        # (an instance's attribute before the class's method: what typer prints)
        exc.format_message = lambda: chinese_text  # type: ignore[attr-defined]
    exc._kequn_said = True  # type: ignore[attr-defined]


def _errors_said_in_language(step: Callable[..., Any], *args: Any, **options: Any) -> Any:
    try:
        return step(*args, **options)
    except typer.Exit:
        raise
    except typer.Abort as exc:
        # a prompt answered "no" or Ctrl-D (``kequn privacy erase``): typer's main prints
        # "Aborted." itself, before :class:`KequnGroup`'s main could change its words
        _error_in_language(exc)
        raise
    except KeyboardInterrupt as exc:
        # typer turns it into a silent exit 130; kequn's main() says what it means
        raise Interrupted from exc
    except Exception as exc:
        if hasattr(exc, "exit_code") and hasattr(exc, "format_message"):  # click's
            _error_in_language(exc)
        raise


class KequnCommand(TyperCommand):
    """A command whose help, and usage errors, are printed in the language in force."""

    usage_prefix: str | None = None  # None: click's "Usage: "

    def make_context(self, *args: Any, **options: Any) -> Any:
        return _errors_said_in_language(super().make_context, *args, **options)

    def invoke(self, ctx: Any) -> Any:
        # (a value the command itself checks: typer.BadParameter)
        return _errors_said_in_language(super().invoke, ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _flags_take_no_value(self, ctx)
        with _in_language(self, ctx):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _usage(self, ctx, formatter)


def _flags_take_no_value(command: Any, ctx: Any) -> None:
    """Show a flag (``--json``, ``--refit``, ``--models/--no-models``) without a type:
    typer lists it as ``--json <bool>``, as if it took a value, and ``kequn run --refit
    true`` then fails on the stray argument."""
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


class KequnGroup(TyperGroup):
    """A group whose help (with its commands' one-line help), and usage errors, are
    printed in the language in force."""

    usage_prefix: str | None = None

    def main(self, *args: Any, **options: Any) -> Any:
        try:
            return super().main(*args, **options)
        except typer.Abort as exc:  # (typer prints it in standalone mode)
            _error_in_language(exc)
            raise
        finally:
            while _changed:
                target, name, value = _changed.pop()
                setattr(target, name, value)

    def make_context(self, *args: Any, **options: Any) -> Any:
        return _errors_said_in_language(super().make_context, *args, **options)

    def resolve_command(self, *args: Any, **options: Any) -> Any:
        return _errors_said_in_language(super().resolve_command, *args, **options)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _flags_take_no_value(self, ctx)
        with _in_language(self, ctx), _summaries_on_one_line(self):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _usage(self, ctx, formatter)


@contextlib.contextmanager
def _summaries_on_one_line(group: Any) -> Iterator[None]:
    """While the block runs, each subcommand's line in the group's help is its help's first
    paragraph as one line: typer's Rich help keeps a docstring's line breaks there, so
    "…with their meaning: the catalogue's, and the" ended a line of the table and
    "thresholds of the workspace's taxonomy." started the next. (Chinese help is one
    line already: :func:`_in_language` put it in place.)"""
    subs = [
        sub
        for sub in getattr(group, "commands", {}).values()
        if sub.short_help is None and sub.help and i18n.current_lang() != "zh"
    ]
    for sub in subs:
        sub.short_help = key(sub.help.split("\n\n", 1)[0])
    try:
        yield
    finally:
        for sub in subs:
            sub.short_help = None


class KequnTyper(typer.Typer):
    """``typer.Typer`` whose groups and commands are :class:`KequnGroup` and
    :class:`KequnCommand`: every app of ``kequn`` is one."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("cls", KequnGroup)
        super().__init__(**options)

    def command(
        self, *args: Any, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        options.setdefault("cls", KequnCommand)
        return super().command(*args, **options)
