"""The language a request is answered in (the errors' handlers need it before any route)."""

from __future__ import annotations

from starlette.requests import Request

from kequn.core.i18n import language_of

__all__ = ["LANG_COOKIE", "language_of", "request_lang"]

LANG_COOKIE = "kequn_lang"


def request_lang(request: Request) -> str:
    """``?lang=``, else the cookie, else the browser's preference, else English."""
    chosen = language_of(request.query_params.get("lang")) or language_of(
        request.cookies.get(LANG_COOKIE)
    )
    if chosen is not None:
        return chosen
    return accepted_lang(request.headers.get("accept-language")) or "en"


def accepted_lang(header: str | None) -> str | None:
    """The language kequn speaks that an ``Accept-Language`` header prefers, or None.

    The header is a weighted list (RFC 9110 §12.5.4,
    https://www.rfc-editor.org/rfc/rfc9110#section-12.5.4): ``ja, zh-CN;q=0.9, en;q=0.8``
    prefers Chinese of the two kequn speaks; ``en;q=0.1, zh;q=0.9`` too, whatever the
    order; ``zh;q=0`` refuses it. Only the first tag was read: a reader whose browser
    put another language first was answered in English, and ``q`` was not looked at. A
    weight that is not a number counts as 1 (a browser's slip is no refusal); of equal
    weights, the first listed wins."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.partition(";")
        lang = language_of(tag)
        if lang is None:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 1.0
        if not weight > 0:  # q=0 (and NaN): "not acceptable"
            continue
        if best is None or (weight, -position) > (best[0], -best[1]):
            best = (weight, position, lang)
    return best[2] if best else None
