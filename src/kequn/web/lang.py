"""The language a request is answered in (the errors' handlers need it before any route)."""

from __future__ import annotations

from starlette.requests import Request

LANG_COOKIE = "kequn_lang"


def language_of(tag: str | None) -> str | None:
    """The language of a tag as people write it (``zh-CN``, ``ZH``, ``zh_CN``, ``en-US``),
    or None for one kequn does not speak."""
    tag = (tag or "").strip().lower()
    for lang in ("zh", "en"):
        if tag == lang or tag.startswith((lang + "-", lang + "_")):
            return lang
    return None


def request_lang(request: Request) -> str:
    """``?lang=``, else the cookie, else the browser's preference, else English."""
    chosen = language_of(request.query_params.get("lang")) or language_of(
        request.cookies.get(LANG_COOKIE)
    )
    if chosen is not None:
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"
