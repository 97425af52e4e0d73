"""A link's evidence in the reader's language.

The evidence is stored as text in English (``name: same pinyin; phone: masked: same
visible digits``, or ``deterministic: phone+name``), made in SQL from the comparison levels
of :data:`kequn.identity.model.COMPARISONS` and the deterministic rules of
:mod:`kequn.identity.prepare`. Shown to a person, each part is put in their language
here; a part this table does not know is shown as stored (never dropped).
"""

from __future__ import annotations

from kequn.core.i18n import current_lang

#: comparison (output column) → 中文
FIELDS_ZH = {
    "name": "姓名",
    "phone": "手机",
    "email": "邮箱",
    "city": "城市",
    "address": "地址",
    "birth_date": "生日",
    "deterministic": "确定性规则",
}
#: a comparison's level, or a deterministic rule → 中文
LEVELS_ZH = {
    "missing": "缺失",
    "different": "不同",
    "same 汉字": "汉字相同",
    "same pinyin": "拼音相同",
    "pinyin a typo apart": "拼音差一个字母",
    "pinyin similar": "拼音相近",
    "same number": "号码相同",
    "same number, shared": "号码相同（多人共用）",
    "masked: same visible digits": "打码号码的可见数字相同",
    "same e-mail": "邮箱相同",
    "same city": "同一城市",
    "same address": "地址相同",
    "similar address": "地址相近",
    "same date": "日期相同",
    "one digit apart": "相差一位数字",
    "unionid": "同一微信 unionid",
    "buyer_id": "同一平台买家 ID",
    "phone+name": "手机号与姓名相同",
    "phone (own)": "本人专用手机号相同",
    "email+name": "邮箱与姓名相同",
}


def evidence_local(text: str | None, lang: str | None = None) -> str:
    """``text`` (stored evidence) in ``lang`` (default: the current language)."""
    if not text:
        return ""
    if (lang or current_lang()) != "zh":
        return text
    parts = []
    for part in text.split("; "):
        field, sep, level = part.partition(": ")
        if not sep:
            parts.append(part)
            continue
        parts.append(f"{FIELDS_ZH.get(field, field)}：{LEVELS_ZH.get(level, level)}")
    return "；".join(parts)
