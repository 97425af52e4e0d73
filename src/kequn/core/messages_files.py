"""What kequn says of a file given for the wrong kind of records (a platform's order
export imported as customers) and of a file's rows that are not records, as (中文,
English) templates by key; merged into :data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

FILES: dict[str, tuple[str, str]] = {
    "import.platform_export_not_table": (
        "{file} 是{format}的订单导出，不是{table}文件：请用 `kequn import orders` 导入（其中的买家会自动成为客户）；未导入任何内容。",
        "{file} is a {format} order export, not a {table} file: import it with `kequn import orders` (its buyers become customers); nothing was imported.",
    ),
    "import.header_again": (
        "跳过第 {row} 行：它重复了表头（{text}），不是数据",
        "Skipped row {row}: it repeats the header ({text}), not data",
    ),
    "import.table_customers": ("客户", "customers"),
    "import.table_events": ("互动", "interactions"),
}
