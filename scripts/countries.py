"""Write src/kequn/features/refdata/countries.yaml: each country's ISO 3166-1 code with the
names customers' files write it by, from Debian's iso-codes (the ISO 3166-1 table and its
translations, the data pycountry ships; https://salsa.debian.org/iso-codes-team/iso-codes):
the alpha-3 code, the short, common and official English names, and the 简体 and 繁體
names of its zh_CN, zh_TW and zh_HK translations.

    apt-get install iso-codes && python scripts/countries.py
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "kequn" / "features" / "refdata" / "countries.yaml"
SOURCE = Path("/usr/share/iso-codes/json/iso_3166-1.json")
LOCALES = ("zh_CN", "zh_TW", "zh_HK")


def names() -> dict[str, list[str]]:
    table = json.loads(SOURCE.read_text(encoding="utf-8"))["3166-1"]
    translations = [
        gettext.translation("iso_3166-1", "/usr/share/locale", [locale], fallback=True)
        for locale in LOCALES
    ]
    out: dict[str, list[str]] = {}
    for row in table:
        found: list[str] = [row["alpha_3"]]
        for key in ("name", "common_name", "official_name"):
            if key in row:
                found.append(row[key])
                found += [t.gettext(row[key]) for t in translations]
        seen = {row["alpha_2"].lower()}
        words = []
        for word in found:
            if word.lower() not in seen:
                seen.add(word.lower())
                words.append(word)
        out[row["alpha_2"]] = words
    return out


def text() -> str:
    lines = [
        "# Made by scripts/countries.py from Debian's iso-codes (ISO 3166-1 and its zh_CN,",
        "# zh_TW, zh_HK translations). Do not edit: make it again; other spellings are",
        "# kequn.features.countries.OTHER_NAMES.",
    ]
    for code, words in names().items():
        quoted = ", ".join(json.dumps(w, ensure_ascii=False) for w in words)
        lines.append(f"{json.dumps(code)}: [{quoted}]")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    TARGET.write_text(text(), encoding="utf-8")
