"""The characters that print as nothing: controls and the format characters.

One set for every place that meets them. Ingest drops them from cells
(:mod:`kequn.ingest.cell_macros`): "C005" with a BEL, U+0085 or U+200E copied along was
a second customer. A name an editor writes (a label's, a dimension's, a threshold's, a
journey's) refuses them: U+202E (right-to-left override) made a label named
``\\u202e户客级超`` show as 超级客户 reversed in the dashboard, the exports and the
audit, and a zero-width space made two labels print alike. Refused rather than dropped:
the name is in a file the editor keeps, and what the file says is what is shown. A text an
editor writes for people to read (a label's reason, a strategy's actions, a journey's
message, a digest's line) refuses them too, as :func:`invisible_in` finds them; it may
hold a tab and line breaks, which a name may not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import AfterValidator

from kequn.core.i18n import t

#: the control characters (C0 but tab, line feed and carriage return, which kq_text trims
#: at a cell's edges and a note or an address may hold inside; DEL; C1). NUL is left out:
#: a DuckDB string literal cannot hold it (chr(0) and a bound parameter can); an id
#: holding one, a tab or a line break is refused (validate: id_control_char)
CONTROLS = "".join(
    chr(c) for c in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
)
#: the format characters that print as nothing (soft hyphen, the direction marks,
#: embeddings, overrides and isolates a right-to-left page or Excel's BIDI functions
#: leave, the invisible operators)
FORMAT = "\u00ad\u180e\u200e\u200f" + "".join(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2061, 0x2065), *range(0x2066, 0x206A))
)
#: the zero-width characters, the format characters and the controls
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff" + FORMAT + CONTROLS

_INVISIBLE_SET = frozenset(INVISIBLE + "\x00\t\n\r")
#: in a text (a reason, a message's body): a tab and line breaks are its layout
_INVISIBLE_IN_TEXT = frozenset(INVISIBLE + "\x00")


#: what a blank text holds beside whitespace: the characters that print as nothing
_NOTHING = dict.fromkeys(map(ord, INVISIBLE + "\x00"))


def blank(text: str) -> bool:
    """Whether ``text`` is empty once whitespace and the characters that print as nothing
    (:data:`INVISIBLE`) are taken out. A customer id of zero-width spaces ("\\u200b",
    copied from a chat or a web page) was looked up as an id, where one of spaces is said
    to be empty; ingest drops them from cells, so no customer has such an id."""
    return not text.translate(_NOTHING).strip()


def visible(text: str) -> str:
    """``text`` when it holds none of :data:`INVISIBLE` (nor NUL, a tab or a line break);
    else a ``ValueError`` naming the first such character by its code point."""
    found = _first(text, _INVISIBLE_SET)
    if found is not None:
        raise ValueError(t("name.invisible", char=found))
    return text


def _first(text: str, chars: frozenset[str]) -> str | None:
    """The code point (``U+202E``) of the first of ``chars`` in ``text``; None if none."""
    for char in text:
        if char in chars:
            return f"U+{ord(char):04X}"
    return None


def invisible_in(text: str) -> str | None:
    """The code point (``U+202E``) of the first character of :data:`INVISIBLE` (or NUL)
    in a text an editor writes for people to read; None when it has none. Tabs and line
    breaks are allowed: a message's body has lines."""
    return _first(text, _INVISIBLE_IN_TEXT)


def visible_text(text: str) -> str:
    """``text`` when :func:`invisible_in` finds nothing in it; else a ``ValueError``
    naming the character (after the field's path, which pydantic gives)."""
    found = invisible_in(text)
    if found is not None:
        raise ValueError(t("text.invisible", char=found))
    return text


def refuse_invisible(kind: str, owner: str, texts: Iterable[tuple[str, str]]) -> None:
    """A ``ValueError`` for the first of ``texts`` (field, text) holding an invisible
    character, naming whose (``kind``: label, dimension or journey, and its id), the
    field and the character; nothing when none does."""
    for field, text in texts:
        found = invisible_in(text)
        if found is not None:
            whose = t(f"text.owner.{kind}", id=owner)
            raise ValueError(t("text.invisible_in", owner=whose, field=field, char=found))


#: a text an editor writes for people to read (a digest's line): refused with an
#: invisible character other than a tab or a line break (pydantic names the field)
VisibleText = Annotated[str, AfterValidator(visible_text)]

#: a name an editor writes, refused with an invisible character (pydantic names the field)
VisibleName = Annotated[str, AfterValidator(visible)]
