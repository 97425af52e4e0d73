"""The words of an import's source (``--source``, or the platform's by default), in 中文
and English (added to :mod:`kequn.core.i18n`'s messages when this module is imported)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

ORIGIN_MESSAGES: dict[str, tuple[str, str]] = {
    "import.source_default": (
        "{name}（数据源 {source}：未指定 --source 时取平台名，编号存为 {source}:编号）",
        (
            "{name} (source {source}: the platform's, as no --source was given; ids are stored "
            "as {source}:ID)"
        ),
    ),
    "import.source_kept_ids": (
        (
            "编号按原样保存（不加数据源前缀）：本工作区已有未注明数据源的这些买家或此平台的订单；"
            "如需分开，请用 --source 指定。"
        ),
        (
            "Ids kept as given (no source prefix): this workspace already holds these buyers, or "
            "this platform's orders, without a source; name one with --source to keep them apart."
        ),
    ),
    "import.source_of_customers": (
        (
            "这些行的客户编号只以数据源 {source} 的客户保存（{source}:编号），"
            "故按 {source} 的数据导入，与 --source {source} 相同；"
            "不是该来源的，请用 --source 指定或用 --no-source 原样保存。"
        ),
        (
            "These rows' customer ids are stored only as source {source}'s customers "
            "({source}:ID), so the rows are imported as {source}'s, as --source {source} would; "
            "if they are not, name their source with --source, or keep the ids with --no-source."
        ),
    ),
    "import.source_ids_elsewhere": (
        (
            "编号按原样保存：这些客户编号只以其他数据源的客户保存（来源:编号），且不止一个来源或"
            "不足一半，可能会与之重复；请用 --source 指明这些行的数据源。"
        ),
        (
            "Ids kept as given: these customer ids are stored only as other sources' customers "
            "(SOURCE:ID), of more than one source or under half of them, so they may duplicate "
            "those; name the rows' source with --source."
        ),
    ),
}

MESSAGES.update(ORIGIN_MESSAGES)
