"""A company whose 行业 is written as CRMs write it (餐饮, 零售), without a code, is sized
by its industry's row of China's 2017 standard: a restaurant of 50 staff and ¥80万 a year
is micro there (revenue below 100万), and was small, sized by the employees alone of the
standard's other industries (10-100: small); a shop of 60 staff and ¥600万 is a medium
retailer (50 staff, 500万), and was small. The industry group was catering and retail
all along: only the size's row was missed."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

COMPANIES = """customer_id,name,kind,industry,employees,annual_revenue
R1,某某餐饮管理有限公司,enterprise,餐饮,50,800000
R2,某某商贸有限公司,enterprise,零售,60,6000000
R3,某某餐飲有限公司,enterprise,餐飲,50,800000
"""


def test_an_industry_word_picks_the_size_row(tmp_path: Path) -> None:
    shop = small_shop(tmp_path, {"customers": COMPANIES}, "--as-of", "2026-06-01")
    sizes = {cid: labels["company_size"][0][0] for cid, labels in shop.items()}
    assert sizes == {"R1": "micro", "R2": "medium", "R3": "micro"}
    groups = {cid: labels["industry_sector"][0][0] for cid, labels in shop.items()}
    assert groups == {"R1": "catering", "R2": "retail", "R3": "catering"}
    reason = shop["R1"]["company_size"][0][1]
    assert "hotels and catering" in reason, reason
