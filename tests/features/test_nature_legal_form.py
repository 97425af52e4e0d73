"""A name with a company's legal form (有限公司, Ltd) is an enterprise whatever else it holds:
中华书局有限公司 (a publisher) was a government body for its 局, 北京大学出版社有限公司 and
某某医院管理有限公司 institutions for their 大学 and 医院."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import small_shop

NAMES = {
    "p1": ("中华书局有限公司", "enterprise"),
    "p2": ("北京大学出版社有限公司", "enterprise"),
    "p3": ("某某醫院管理有限公司", "enterprise"),
    "p4": ("Ministry of Supply Ltd", "enterprise"),
    "p5": ("上海市市场监督管理局", "government"),
    "p6": ("复旦大学附属华山医院", "institution"),
    "p7": ("Ministry of Finance", "government"),
}
CUSTOMERS = "id,name\n" + "".join(f"{cid},{name}\n" for cid, (name, _) in NAMES.items())


def test_a_legal_form_makes_an_enterprise(tmp_path: Path) -> None:
    shop = small_shop(tmp_path, {"customers": CUSTOMERS}, "--as-of", "2025-03-01")
    for cid, (name, nature) in NAMES.items():
        assert shop[cid]["customer_nature"][0][0] == nature, name
