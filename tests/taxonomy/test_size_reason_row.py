"""A company size's reason names the row of China's 2017 standard that sized it: the one
the industry code selects, not the first row of its section whose lines give the same
tier (software, division 65, was described by the telecommunications lines of 63-64; a
property manager, 702, by property development's, 7010)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

CUSTOMERS = """id,name,kind,industry,employees,annual_revenue
s1,某软件有限公司,enterprise,I65,5,100000
s2,某物业管理有限公司,enterprise,K7020,50,500000
s3,某通信有限公司,enterprise,6311,99,600000
"""

EXPECTED = {
    "en": {
        "s1": "China 2017 standard, software and IT services: employees 5 < 10 → micro",
        "s2": "China 2017 standard, property management: employees 50 < 100 → micro",
        "s3": "China 2017 standard, telecommunications: revenue ¥600,000 < ¥1,000,000 → micro",
    },
    "zh": {
        "s1": "国标软件和信息技术服务业：从业人员 5 < 10 人 → 微型",
        "s2": "国标物业管理：从业人员 50 < 100 人 → 微型",
        "s3": "国标信息传输业：营业收入 ¥60万 < ¥100万 → 微型",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reason_names_the_row_the_code_selects(tmp_path: Path, lang: str) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, "--as-of", "2025-03-01", lang=lang)
    for cid, reason in EXPECTED[lang].items():
        assert shop[cid]["company_size"] == [("micro", reason)], cid
