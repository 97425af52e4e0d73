"""Interactions written as a Chinese shop writes them (浏览, 咨询, 工单, 分享) count as
views, inquiries, tickets and shares: a browsing prospect is potential demand, not silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import small_shop

CUSTOMERS = "id,name,source\nc1,张三,\nc2,李四,\nc3,王五,小红书\n"
EVENTS = """customer_id,time,type
c1,2025-03-01 10:00,浏览
c1,2025-03-02 10:00,咨询
c2,2025-03-01 10:00,工单
c2,2025-03-02 10:00,咨询
c2,2025-03-03 10:00,服务工单
c2,2025-03-04 10:00,分享
c2,2025-03-05 10:00, Share
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_event_types_are_counted(tmp_path: Path, lang: str) -> None:
    shop = small_shop(
        tmp_path, {"customers": CUSTOMERS, "events": EVENTS}, "--as-of", "2025-03-10", lang=lang
    )
    (behaviour,) = shop["c1"]["behaviour"]
    assert behaviour[0] == "potential_demand"
    traits = dict(shop["c2"]["traits"])
    assert set(traits) == {"functional_need", "social"}
    social = dict(shop["c3"]["types"])["social"]
    if lang == "zh":
        assert behaviour[1] == (
            "尚无付款订单，但有浏览 1 次、咨询 1 次、点击 0 次、打开邮件 0 次，最近一次互动在 8 天前"
        )
        assert traits["functional_need"] == "咨询 1 次、服务工单 2 次"
        assert social == "社交型：经社交或口碑渠道获得"
    else:
        assert behaviour[1] == (
            "no paid order yet, but views: 1, inquiries: 1, clicks: 0, email opens: 0; "
            "the latest 8 days ago"
        )
        assert traits["social"] == "shares: 2, referrals: 0"
        assert shop["c3"]["lifecycle"] == [("prospect", "no paid order yet (interactions: 0)")]
        # not "social: 0 shares and 0 referrals" for a customer who came through 小红书
        assert social == "social: came through social media or word of mouth"
