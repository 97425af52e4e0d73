"""What a viewer sees of one customer's record."""

from __future__ import annotations

from kequn.snapshots.read import mask_personal


def test_unmapped_columns_are_masked_unless_declared_public() -> None:
    record = {
        "customer_id": "C1",
        "name": "王小明",
        "phone": "13812345678",
        "city": "上海",
        "attributes": {"身份证号": "310101199001011234", "微信号": "wxid_abc", "会员等级": "金卡"},
    }
    shown = mask_personal(record)
    assert shown["customer_id"] == "C1"
    assert shown["city"] == "上海"
    assert "小明" not in shown["name"]
    assert "12345678" not in shown["phone"]
    assert set(shown["attributes"].values()) == {"***"}
    public = mask_personal(record, frozenset({"会员等级"}))
    assert public["attributes"]["会员等级"] == "金卡"
    assert public["attributes"]["身份证号"] == "***"
