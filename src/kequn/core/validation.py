"""pydantic's validation errors (a taxonomy, journeys.yaml, an API request) in the reader's
language: the field's path, then what is wrong with it. pydantic words its messages in
English only; the common kinds (a missing field, an unknown one, a value of the wrong
type, a choice not among the allowed ones) are said in 中文 too, and any other kind keeps
pydantic's words. A ``ValueError`` raised by one of kequn's own validators keeps its text
(the ``Value error,`` prefix pydantic adds is dropped)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from kequn.core.i18n import current_lang, t

#: the pydantic error types said in both languages (their messages are in
#: :mod:`kequn.core.messages_cli`)
_KINDS = {
    "missing": "validation.missing",
    "extra_forbidden": "validation.extra",
    "string_type": "validation.text",
    "int_type": "validation.integer",
    "int_parsing": "validation.integer",
    "int_from_float": "validation.integer",
    "float_type": "validation.number",
    "float_parsing": "validation.number",
    "bool_type": "validation.boolean",
    "bool_parsing": "validation.boolean",
    "list_type": "validation.list",
    "dict_type": "validation.mapping",
    "model_type": "validation.mapping",
    "model_attributes_type": "validation.mapping",
    "invalid_key": "validation.key",  # 5: or yes: (YAML reads it as true)
    "literal_error": "validation.choice",
    "enum": "validation.choice",
    # bounds a request's or a file's value must keep (the API's query parameters)
    "greater_than_equal": "validation.at_least",
    "greater_than": "validation.more_than",
    "less_than_equal": "validation.at_most",
    "less_than": "validation.less_than",
    "string_too_long": "validation.too_long",
    "string_too_short": "validation.too_short",
    "too_long": "validation.too_many",
    "too_short": "validation.too_few",
    "string_pattern_mismatch": "validation.pattern",
    "json_invalid": "validation.json",
}

#: FastAPI's words (a ``value_error``, English only, naming a Python class) for a form
#: field sent as text where the route takes an uploaded file
_NOT_A_FILE = "Expected UploadFile"

#: a pattern that only lists choices, ``^(asc|desc)$``: said as the choices
_CHOICES = re.compile(r"\^\(([\w-]+(?:\|[\w-]+)+)\)\$")


def describe(error: Mapping[str, Any], lang: str | None = None) -> str:
    """What is wrong, without the path: one pydantic error in ``lang``."""
    key = _KINDS.get(str(error.get("type", "")))
    if key is not None:
        ctx = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
        choices = _CHOICES.fullmatch(ctx.get("pattern", ""))
        if choices is not None:
            key, ctx["expected"] = "validation.choice", _either(choices.group(1).split("|"))
        expected = ctx.pop("expected", "")
        if (lang or current_lang()) == "zh":
            expected = expected.replace(" or ", " 或 ")
        return t(key, lang, expected=expected, **ctx)
    message = str(error.get("msg", ""))
    if error.get("type") == "value_error" and _NOT_A_FILE in message:
        return t("validation.file", lang)
    return message.removeprefix("Value error, ")


def _either(choices: list[str]) -> str:
    """``'a', 'b' or 'c'``, as pydantic words a choice."""
    quoted = [f"'{choice}'" for choice in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def path(error: Mapping[str, Any]) -> str:
    return ".".join(str(p) for p in error.get("loc", ()))


def problems(errors: Iterable[Mapping[str, Any]], lang: str | None = None) -> str:
    """Every error as ``path: what is wrong``, joined by semicolons."""
    return "; ".join(
        f"{path(e)}: {describe(e, lang)}" if path(e) else describe(e, lang) for e in errors
    )
