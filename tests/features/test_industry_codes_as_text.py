"""An industry column of GB/T 4754 codes (a single 行业 column, no 行业代码) is read as
codes: C13 is a finished-goods maker and F51 wholesale, not "other industry"."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

CUSTOMERS = """id,name,industry,employees
c1,甲食品厂,C13,10
c2,乙商贸有限公司,F51,
c3,丙剧团,8810,
c4,丁电子,2614,
c5,戊餐厅,连锁餐厅,
c6,己公司,c 39,
"""


def test_codes_in_the_industry_column_are_codes(tmp_path: Path) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS})
    sectors = {cid: dims["industry_sector"][0][0] for cid, dims in shop.items()}
    assert sectors == {
        "c1": "finished_goods",
        "c2": "retail",
        "c3": "other_services",
        "c4": "raw_materials",
        "c5": "catering",
        "c6": "other",  # not a code: words that name nothing
    }
    assert shop["c1"]["industry_sector"][0][1] == (
        "recorded industry C13, grouped as finished-goods maker"
    )
    # the code also picks the size standard's row: industry, where 10 staff is micro
    (size,) = shop["c1"]["company_size"]
    assert size == ("micro", "China 2017 standard, industry: employees 10 < 20 → micro")
