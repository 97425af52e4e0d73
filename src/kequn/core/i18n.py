"""User-facing text in 中文 and English.

Every message a person reads goes through :func:`t`. Templates are ours (never user
text), and parameters are substituted with :meth:`str.format_map` over plain values.
An English noun after a count takes its number from it with a spec of the singular and
the plural (``{rows} {rows:row|rows}``: "1 row", "2 rows"; :class:`_Counted`): "read 1
rows" was printed; Chinese has no plural, and its templates need none.
The language comes from ``--lang``, else ``KEQUN_LANG``, else the POSIX locale.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, cast

from kequn.core.messages import MESSAGES  # the templates (data), kept apart from the logic

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_current: Lang | None = None
#: the language of the work in hand, where it is not the process's: a server's job
#: speaks its requester's language (:func:`speaking`)
_here: contextvars.ContextVar[Lang | None] = contextvars.ContextVar("kequn_lang", default=None)


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Messages made inside the block (in this thread or task) in ``lang`` (``None``: as
    outside); other threads keep theirs."""
    if lang is not None and lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    token = _here.set(cast(Lang | None, lang) or _here.get())
    try:
        yield
    finally:
        _here.reset(token)


#: whether the work in hand answers the dashboard or the API (:func:`on_web`)
_web: contextvars.ContextVar[bool] = contextvars.ContextVar("kequn_web", default=False)
#: what a message's web variant is registered as: ``import.no_header_row@web``
WEB_VARIANT = "@web"


@contextlib.contextmanager
def on_web() -> Iterator[None]:
    """Messages made inside the block (in this thread or task) as the dashboard and the
    API say them: where a message tells the command's user to pass an option
    (``--mapping``, ``--header-row``) and a web variant of it is registered
    (``key@web``), the variant says what to do on the dashboard or with the API's
    parameter instead."""
    token = _web.set(True)
    try:
        yield
    finally:
        _web.reset(token)


def current_lang() -> Lang:
    """The language in force: the work's (:func:`speaking`), else set for the process,
    else ``KEQUN_LANG``, else the locale."""
    here = _here.get()
    if here is not None:
        return here
    if _current is not None:
        return _current
    env = os.environ.get("KEQUN_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if env.lower().startswith("zh") else "en"


def language_of(tag: str | None) -> Lang | None:
    """The language of a tag as people write it (``zh-CN``, ``ZH``, ``zh_CN``, ``en-US``),
    or None for one kequn does not speak: what ``--lang``, ``?lang=`` and an export's
    ``--headers`` / ``headers=`` accept alike."""
    tag = (tag or "").strip().lower()
    for lang in LANGS:
        if tag == lang or tag.startswith((lang + "-", lang + "_")):
            return lang
    return None


def set_lang(lang: str | None) -> None:
    """Fix the language for this process (``None`` goes back to the environment)."""
    global _current  # noqa: PLW0603 - one process-wide setting chosen by the CLI flag
    if lang is None:
        _current = None
        return
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    _current = lang


def chosen() -> bool:
    """Whether the language was chosen (``--lang``, :func:`speaking` or ``KEQUN_LANG``),
    not guessed from the locale: a line a new user must read is then said once, in it."""
    return bool(_here.get() or _current or os.environ.get("KEQUN_LANG"))


#: the most of a text a user gave that a message quotes back (:func:`quoted`): more than
#: any id a business uses and the viewer's token of it (``c-…``, ~90 characters for a
#: 10-character id, ~160 for 100), which a viewer must see whole to recognise
QUOTED_MAX = 200


def quoted(given: str, most: int = QUOTED_MAX) -> str:
    """``given`` as a message quotes it back: its first ``most`` characters and an
    ellipsis when it is longer. A run or customer id of 3,000 characters came back whole
    in the API's 404 and the command's "not found", the message lost in it."""
    return given if len(given) <= most else given[:most] + "…"


#: a message's parameters naming what a user asked for by name (a dimension, a label, a
#: segment, a table: ``kequn segments NAME``, ``/api/history?dimension=``), quoted back
#: as :func:`shown_name` (they came back whole, 5,000 characters of them, escapes raw)
NAMED_KEYS = ("dimension", "label", "segment", "table")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown_name(given: str) -> str:
    """A name a user gave, as a message quotes it back: :func:`quoted` (short), its
    control characters written as escapes (``\\x1b``), never sent to a terminal raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", quoted(given))


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key`` and fill in ``params`` (its web variant, if any, on the web:
    :func:`on_web`). An ``id`` (a run's, a customer's, a journey's: what a user asked
    for, quoted back) is :func:`quoted`, short, in every message alike; a name of
    :data:`NAMED_KEYS` is :func:`shown_name`."""
    zh, en = MESSAGES[key]
    if _web.get():
        zh, en = MESSAGES.get(key + WEB_VARIANT, (zh, en))
    template = zh if (lang or current_lang()) == "zh" else en
    given = params.get("id")
    if isinstance(given, str) and len(given) > QUOTED_MAX:
        params = {**params, "id": quoted(given)}
    named = {k: shown_name(v) for k in NAMED_KEYS if isinstance(v := params.get(k), str)}
    if named:
        params = {**params, **named}
    if "|" in template:  # a noun of a count (:class:`_Counted`)
        return _COUNTED.vformat(template, (), _Params(params))
    return template.format_map(_Params(params))


def did_you_mean(said: str, given: str, known: Iterable[str], lang: str | None = None) -> str:
    """``said``, a message that ``given`` is none of ``known``, ending with the nearest of
    them if one is near (``lifecyle``: "...; did you mean lifecycle?")."""
    import difflib

    close = difflib.get_close_matches(given, list(known), n=1, cutoff=0.6)
    if not close:
        return said
    return said.rstrip(".。") + t("cli.did_you_mean", lang, close=close[0])


def local(item: object, lang: str | None = None) -> str:
    """The text of a bilingual item in the language in force: anything with ``zh`` and
    ``en`` attributes (a taxonomy label, a dimension, a platform profile) or keys.
    Messages are :func:`t`; data written in both languages is read with this."""
    if isinstance(item, Mapping):
        return pick(item, lang)
    return pick({"zh": getattr(item, "zh", "") or "", "en": getattr(item, "en", "") or ""}, lang)


def pick(texts: Mapping[str, str], lang: str | None = None) -> str:
    """Choose from a ``{"zh": ..., "en": ...}`` mapping, falling back to the other."""
    want = lang or current_lang()
    other = "en" if want == "zh" else "zh"
    return texts.get(want) or texts.get(other) or ""


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:  # a missing parameter shows, it never crashes
        return "{" + key + "}"


def _one(value: object) -> bool:
    """Whether a count is one: 1, 1.0, or the text of 1 as a message gives a count
    (``f"{n:,}"``)."""
    if isinstance(value, str):
        return value.replace(",", "").strip() in {"1", "1.0"}
    return isinstance(value, int | float) and value == 1


class _Counted(string.Formatter):
    """:meth:`str.format_map`, and a field whose spec is ``singular|plural`` gives the
    form its value's count takes (the count itself is a field of its own)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            singular, plural = format_spec.split("|", 1)
            return singular if _one(value) else plural
        return str(super().format_field(value, format_spec))


_COUNTED = _Counted()
