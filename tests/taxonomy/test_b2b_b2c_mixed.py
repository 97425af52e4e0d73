"""A workspace of people and companies together: a person's company size and industry are
unknown with a reason that fits a person, not 'employees missing'."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

CUSTOMERS = """id,name,kind,industry,employees,gender,birth_date
p1,张三,individual,,,female,1990-05-01
b1,某某科技有限公司,,I65,5,,
b2,市教育局,,,,,
"""


@pytest.mark.parametrize(
    ("lang", "person_size", "person_industry", "body_size"),
    [
        (
            "zh",
            "个人客户，不按企业规模划分",
            "个人客户，不按行业划分",
            "缺少判定所需的从业人员、营业收入或资产",
        ),
        (
            "en",
            "an individual, not sized as a company",
            "an individual, not grouped by industry",
            "the employees, revenue or assets needed to size the company are missing",
        ),
    ],
)
def test_people_and_companies_in_one_workspace(
    tmp_path: Path, lang: str, person_size: str, person_industry: str, body_size: str
) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, "--as-of", "2025-03-01", lang=lang)
    person, company, body = shop["p1"], shop["b1"], shop["b2"]
    assert person["customer_nature"][0][0] == "individual"
    assert person["company_size"] == [("unknown", person_size)]
    assert person["industry_sector"] == [("unknown", person_industry)]
    assert person["age_group"][0][0] == "youth"
    assert company["customer_nature"][0][0] == "enterprise"
    assert company["company_size"][0][0] == "micro"  # software: under 10 staff
    assert company["age_group"][0][0] == "unknown"
    assert body["customer_nature"][0][0] == "government"
    assert body["company_size"] == [("unknown", body_size)]
