"""A job's steps are recorded in a fixed form (sent 3, failed 0) and shown in the
reader's language: ``kequn schedule show``, ``schedule run`` and the runs page printed
the record's English whatever the language."""

from __future__ import annotations

import pytest

from kequn.automation.schedule.text import step_detail


@pytest.mark.parametrize(
    ("step", "zh", "en"),
    [
        ({"step": "deliver", "detail": "sent 3, failed 1"}, "发送 3，失败 1", "sent 3, failed 1"),
        (
            {"step": "run", "detail": "20261203-194501-20261001-4d08 (1200)"},
            "运行 20261203-194501-20261001-4d08（1200 位客户）",
            "run 20261203-194501-20261001-4d08 (1200 customers)",
        ),
        (
            {"step": "sync", "detail": "crm: +5 ~2 !0; shop db: +1 ~0 !3"},
            "crm：新增 5，更新 2，隔离 0; shop db：新增 1，更新 0，隔离 3",
            "crm: 5 new, 2 updated, 0 quarantined; shop db: 1 new, 0 updated, 3 quarantined",
        ),
        ({"step": "deliver", "detail": "-"}, "-", "-"),
        ({"step": "run", "detail": "something else"}, "something else", "something else"),
        (
            {"step": "sync", "outcome": "failed", "error": "数据源 crm 无法连接"},
            "数据源 crm 无法连接",
            "数据源 crm 无法连接",
        ),
    ],
)
def test_a_steps_detail_in_each_language(step: dict[str, str], zh: str, en: str) -> None:
    assert step_detail(step, "zh") == zh
    assert step_detail(step, "en") == en
