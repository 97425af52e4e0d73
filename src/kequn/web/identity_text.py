"""The identity review page's and API's words, in 中文 and English (added to
:mod:`kequn.core.i18n`'s messages when imported)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

IDENTITY_WEB: dict[str, tuple[str, str]] = {
    "web.nav.identity": ("身份复核", "Identity review"),
    "web.identity.title": ("身份识别：待复核的记录对", "Identity resolution: pairs to review"),
    "web.identity.intro": (
        (
            "模型不确定这些记录是否属于同一人。确认或拒绝后，之后的每次导入和运行都会保持你的决定"
            "（与 kequn identity confirm / reject 相同）。"
        ),
        (
            "The model is unsure whether these records are one person. A confirmation or "
            "rejection holds for every later import and run (the same as kequn identity "
            "confirm / reject)."
        ),
    ),
    "web.identity.none": ("没有待复核的记录对。", "No pairs to review."),
    "web.identity.not_run": (
        (
            "还没有运行身份识别：在 kequn.toml 中设置 [identity] enabled = true 后，"
            "每次运行分群前都会先进行身份识别（可在总览页开始运行）；"
            "管理员也可以在命令行运行 kequn identity run。"
        ),
        (
            "Identity resolution has not run yet: with [identity] enabled = true in "
            "kequn.toml it runs before every run (start one from the overview); an "
            "administrator can also run kequn identity run."
        ),
    ),
    "web.identity.col.a": ("记录 A", "Record A"),
    "web.identity.col.b": ("记录 B", "Record B"),
    "web.identity.col.probability": ("概率", "Probability"),
    "web.identity.col.evidence": ("证据", "Evidence"),
    "web.identity.col.state": ("当前", "Now"),
    "web.identity.col.decide": ("决定", "Decide"),
    "web.identity.linked": ("已归为同一人", "linked"),
    "web.identity.apart": ("分开", "apart"),
    "web.identity.confirm": ("是同一人", "Same person"),
    "web.identity.reject": ("不是同一人", "Different people"),
    "web.identity.confirmed": (
        "已确认 {a} 与 {b} 是同一人；现在共 {persons} 人。",
        "Confirmed {a} and {b} are one person; {persons} persons now.",
    ),
    "web.identity.rejected": (
        "已记录 {a} 与 {b} 不是同一人；现在共 {persons} 人。",
        "Recorded {a} and {b} as different people; {persons} persons now.",
    ),
    "web.identity.failed": ("未能保存决定：{error}", "The decision was not saved: {error}"),
    "web.identity.unknown": ("没有客户记录 {id}。", "There is no customer record {id}."),
    "web.identity.same": ("两条记录必须不同。", "The two records must differ."),
    "web.identity.source": ("数据源 {source}", "source {source}"),
    "web.customer.linked": ("数据源与来源记录", "Sources and source records"),
    "web.customer.person": ("人员 {person}", "Person {person}"),
    "web.customer.col.source": ("数据源", "Source"),
    "web.customer.col.source_id": ("源编号", "Id in source"),
    "web.customer.col.lineage": ("出处（文件/查询，行）", "Lineage (file or query, row)"),
    "web.customer.col.link": ("关联", "Link"),
    "web.customer.no_source": ("未注明", "none"),
    "web.customer.links": ("记录间的关联", "Links between the records"),
}

MESSAGES.update(IDENTITY_WEB)
