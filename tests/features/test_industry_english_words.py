"""English industry words match in the forms a company list writes them: Latin keywords
match whole words, so the stems 'manufactur', 'pharma' and 'consult' matched nothing of
'Pharmaceutical manufacturing' or 'Consulting', and the singulars 'chemical' and
'component' nothing of 'Chemicals' or 'Electronic components': all were 'other'."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

INDUSTRIES = {
    "i1": ("Pharmaceutical manufacturing", "finished_goods"),
    "i2": ("Furniture manufacturer", "finished_goods"),
    "i3": ("Chemicals", "raw_materials"),
    "i4": ("Electronic components", "components"),
    "i5": ("IT consulting", "other_services"),
    "i6": ("Pharmacy", "healthcare"),
    "i7": ("Telecommunications", "other_services"),
    "i8": ("Investment banking", "finance"),
    "i9": ("Digital agency", "other_services"),  # "it" is not in "digital"
}
CUSTOMERS = "id,name,kind,industry\n" + "".join(
    f"{cid},Company {cid},enterprise,{text}\n" for cid, (text, _) in INDUSTRIES.items()
)


def test_english_industry_words(tmp_path: Path) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, "--as-of", "2025-03-01")
    for cid, (text, group) in INDUSTRIES.items():
        assert shop[cid]["industry_sector"][0][0] == group, text
