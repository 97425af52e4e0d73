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

from kequn.cli.help_zh import HELP_ZH, RICH_ZH, USAGE_ZH
from kequn.core import i18n


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
    before = [(target, name, getattr(target, name)) for target, name, _ in changes]
    try:
        for target, name, value in changes:
            setattr(target, name, value)
        yield
    finally:
        for target, name, value in reversed(before):
            setattr(target, name, value)


class KequnCommand(TyperCommand):
    """A command whose help is printed in the language in force."""

    usage_prefix: str | None = None  # None: click's "Usage: "

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with _in_language(self, ctx):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _usage(self, ctx, formatter)


class KequnGroup(TyperGroup):
    """A group whose help (with its commands' one-line help) is printed in the language
    in force."""

    usage_prefix: str | None = None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with _in_language(self, ctx):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _usage(self, ctx, formatter)


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
