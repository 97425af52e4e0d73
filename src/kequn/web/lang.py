"""The language a request is answered in (the errors' handlers need it before any route)."""

from __future__ import annotations

from starlette.requests import Request

LANG_COOKIE = "kequn_lang"


def request_lang(request: Request) -> str:
    """``?lang=``, else the cookie, else the browser's preference, else English."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("zh", "en"):
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"
