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
    # why a row was quarantined: a file with no source naming a source's customer
    "reason.customer_of_source": (
        (
            "客户 {value} 只以数据源的客户保存（{detail}），而本文件未注明数据源："
            "若这些行属于该来源，请用 --source 指明后重新导入；若不是，请用 --no-source 按原样导入"
        ),
        (
            "customer {value} is stored only as a source's customer ({detail}) and this file "
            "names no source: import it again with --source naming the source the rows are, "
            "or with --no-source to keep the ids as given"
        ),
    ),
}

MESSAGES.update(ORIGIN_MESSAGES)
