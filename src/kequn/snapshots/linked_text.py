"""The words for a customer's sources and linked records, and for segments of one source,
in 中文 and English (added to :mod:`kequn.core.i18n`'s messages when imported)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

LINKED_MESSAGES: dict[str, tuple[str, str]] = {
    "linked.sources": ("数据源：{sources}", "Sources: {sources}"),
    "linked.person": (
        "人员 {person}：{count} 条来源记录",
        "Person {person}: {count} source records",
    ),
    "linked.records": ("来源记录：", "Source records:"),
    "linked.record": (
        "  {source} · {source_id}（{file} 第 {row} 行）",
        "  {source} · {source_id} ({file}, row {row})",
    ),
    "linked.record_sheet": (
        "  {source} · {source_id}（{file} 工作表「{sheet}」第 {row} 行）",
        "  {source} · {source_id} ({file}, sheet {sheet}, row {row})",
    ),
    "linked.links": ("关联：", "Links:"),
    "linked.link": (
        "  {a} ↔ {b}：{rule}，概率 {probability}，{decision} — {evidence}",
        "  {a} ↔ {b}: {rule}, probability {probability}, {decision} — {evidence}",
    ),
    "linked.no_source": ("未注明", "none"),
    "linked.decision.confirm": ("人工确认", "confirmed by a person"),
    "linked.decision.reject": ("人工拒绝", "rejected by a person"),
    "linked.decision.accepted": ("模型接受", "accepted by the model"),
    "linked.decision.open": ("未接受", "not accepted"),
    "segments.source": (
        "仅统计有来自数据源 {source} 的记录的客户：{count} 位",
        "Only customers with records from source {source}: {count}",
    ),
    "segments.unknown_source": (
        "没有数据源 {source}。已有：{known}",
        "There is no source {source}. Known: {known}",
    ),
    "segments.no_sources": (
        "没有数据源 {source}：还没有任何记录来自有名称的数据源（导入时用 --source 命名）。",
        (
            "There is no source {source}: no record comes from a named source yet (name one"
            " with --source when importing)."
        ),
    ),
}

MESSAGES.update(LINKED_MESSAGES)
