"""Traditional Chinese (繁體, as shops in 台灣, 香港 and 澳門 write) compared as simplified.

kequn's vocabularies (headers.yaml, formats/*.yaml) are in simplified characters. A header
or a word is compared in its simplified form, so 訂單編號 is 订单编号 and 交易關閉 is
交易关闭; the file's values themselves (names, addresses) are stored as written. The
reference tables' words, which classify those stored values (a channel 線上, a source
朋友推薦, a company 有限公司), go the other way: each is matched in its traditional forms
too (:func:`traditional_forms`, used by :mod:`kequn.features.reftables`).

The conversion is OpenCC's ``t2s`` (https://github.com/BYVoid/OpenCC: its phrase and
character dictionaries, TSPhrases.txt and TSCharacters.txt), the table Chinese input
methods and Wikipedia's converters use, rather than a table of our own: it knows the
traditional forms of every character (one simplified 发 for 發 and 髮), where a hand-made
list knows the words someone thought of.
"""

from __future__ import annotations

import functools
from typing import Any

#: conversions remembered: headers and a file's distinct status words are few
_CACHED = 1 << 14
#: traditional forms ``t2s`` leaves as they are, as the simplified words kequn knows have
#: them: 暱稱 is how 台灣 and 香港 write 昵称 (nickname), and OpenCC keeps 暱 (it counts it
#: a variant, not a traditional form). Found by converting every word kequn knows to
#: 繁體 and back (tests/ingest/test_traditional_forms.py), which keeps this list honest
_VARIANTS = str.maketrans({"暱": "昵"})


@functools.cache
def _converter() -> Any:
    # the binding loads its dictionaries on first use (~3 ms), not on `import kequn`
    import opencc

    return opencc.OpenCC("t2s.json")


@functools.lru_cache(maxsize=_CACHED)
def simplified(text: str) -> str:
    """``text`` with traditional characters made simplified (訂單編號 -> 订单编号);
    ASCII, and text already simplified, come back unchanged."""
    if text.isascii():
        return text
    return str(_converter().convert(text)).translate(_VARIANTS)


#: OpenCC's conversions from simplified: the standard traditional forms, 香港's and
#: 台灣's with its own phrases (短信 is 簡訊 there, 软件 is 軟體)
_TO_TRADITIONAL = ("s2t", "s2hk", "s2twp")


@functools.cache
def _to_traditional(config: str) -> Any:
    import opencc

    return opencc.OpenCC(f"{config}.json")


@functools.lru_cache(maxsize=_CACHED)
def traditional_forms(word: str) -> tuple[str, ...]:
    """The ways 台灣, 香港 and 澳門 write the simplified ``word`` (线上: 線上; 短信: 短信
    and 簡訊), those that differ from it, in a fixed order; none for ASCII."""
    if word.isascii():
        return ()
    forms: list[str] = []
    for config in _TO_TRADITIONAL:
        form = str(_to_traditional(config).convert(word))
        if form != word and form not in forms:
            forms.append(form)
    return tuple(forms)
