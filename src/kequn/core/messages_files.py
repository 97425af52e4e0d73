"""What kequn says of a file given for the wrong kind of records (a platform's order
export imported as customers), of a file's rows that are not records and of a header
heading several columns, as (中文, English) templates by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

FILES: dict[str, tuple[str, str]] = {
    # a workbook none of whose sheets has a header of the table (kequn.ingest.columns)
    "import.no_usable_sheet": (
        "{file}: 工作表 {sheets} 都没有可用的列。期望（至少）: {expected}；工作表 {sheet} 的列: {found}",
        "{file}: no sheet has a usable column (sheets: {sheets}). Expected (at least): {expected}; found in sheet {sheet}: {found}",
    ),
    # a value DuckDB cannot convert in the query reading the file (kequn.ingest.value_failed)
    "import.value_failed_column": (
        "导入 {file} 时中止：列「{column}」中有一个值无法换算（例如位数过多的数字）。本次未导入任何内容。请检查该列中的异常值，改正后重新导入。",
        "The import of {file} stopped: a value in column {column} could not be converted (a number with too many digits, say). Nothing was imported. Check that column for an unusual value, correct it and import the file again.",
    ),
    "import.value_failed": (
        "导入 {file} 时中止：有一个值无法换算（例如位数过多的数字）。本次未导入任何内容。请检查文件中的异常值，改正后重新导入。",
        "The import of {file} stopped: a value could not be converted (a number with too many digits, say). Nothing was imported. Check the file for an unusual value, correct it and import the file again.",
    ),
    "import.source_and_no_source": (
        "--source {source} 与 --no-source 不能同时使用：前者把记录的编号存为 {source}:编号，后者按原样保留。请只选一个；未导入任何内容。",
        "--source {source} and --no-source contradict each other: the first stores the records' ids as {source}:ID, the second keeps them as given. Choose one; nothing was imported.",
    ),
    # an id a copy and paste broke (validate: id_control_char)
    "reason.id_control_char": (
        "{column} {value} 中间含有制表符、换行符或空字符（NUL）：这几乎总是复制粘贴带进来的，去掉它就是另一个编号，因此此行未导入。请在文件中改正该单元格后重新导入",
        "{column} {value} holds a tab, a line break or a NUL character inside: almost always carried in by a copy and paste, and without it the id is another, so the row was not imported. Correct the cell in the file and import it again",
    ),
    # a row of a workbook of several sheets, told as Excel shows it: the sheet's own row
    "import.by_reason_example_sheet": (
        "  {reason}: {count}（如工作表「{sheet}」第 {row} 行：{text}）",
        "  {reason}: {count} (e.g. sheet {sheet}, row {row}: {text})",
    ),
    "import.skipped_sheet": (
        "跳过工作表「{sheet}」第 {row} 行（不是数据：{text}）",
        "Skipped sheet {sheet}, row {row} (not data: {text})",
    ),
    "import.second_header_sheet": (
        "工作表「{sheet}」第 {row} 行是表头的第二行（合并表头下的列名：{text}），已与表头合并读取",
        "Sheet {sheet}, row {row} is the header's second row (column names under a merged label: {text}); read with the header",
    ),
    "import.header_again_sheet": (
        "跳过工作表「{sheet}」第 {row} 行：它重复了表头（{text}），不是数据",
        "Skipped sheet {sheet}, row {row}: it repeats the header ({text}), not data",
    ),
    "reason.duplicate_id_sheet": (
        "{column} {value} 在本文件中重复（首次出现在工作表「{sheet}」第 {detail} 行）",
        "{column} {value} appears twice in this file (first at sheet {sheet}, row {detail})",
    ),
    "reason.refund_order_rejected_sheet": (
        "这一行是订单 {value} 的退款，而该订单（工作表「{sheet}」第 {detail} 行）已被隔离：退款随订单一起隔离，订单修正后重试即可一并导入",
        "this row is a refund of order {value}, whose row (sheet {sheet}, row {detail}) was quarantined: the refund is kept with it, and comes back when the order is fixed and retried",
    ),
    "quarantine.file_sheet": ("{file}（工作表「{sheet}」）", "{file} (sheet {sheet})"),
    "import.platform_export_not_table": (
        "{file} 是{format}的订单导出，不是{table}文件：请用 `kequn import orders` 导入（其中的买家会自动成为客户）；未导入任何内容。",
        "{file} is a {format} order export, not {table} file: import it with `kequn import orders` (its buyers become customers); nothing was imported.",
    ),
    "import.header_again": (
        "跳过第 {row} 行：它重复了表头（{text}），不是数据",
        "Skipped row {row}: it repeats the header ({text}), not data",
    ),
    "import.duplicate_header": (
        "表头“{header}”出现在第 {columns} 列：",
        "The header '{header}' heads columns {columns}: ",
    ),
    "import.duplicate_read": ("第 {column} 列读作{what}", "column {column} is read as {what}"),
    "import.duplicate_kept": (
        "第 {column} 列保存为客户属性“{what}”",
        "column {column} is kept as the customer attribute '{what}'",
    ),
    "import.duplicate_parts": (
        "第 {column} 列读作姓名的一部分",
        "column {column} is read as part of the name",
    ),
    "import.duplicate_unused": ("第 {column} 列未使用", "column {column} is not used"),
    "import.customers_export_not_table": (
        "{file} 是{format}，不是{table}文件：请用 `kequn import customers` 导入；未导入任何内容。",
        "{file} is a {format}, not {table} file: import it with `kequn import customers`; nothing was imported.",
    ),
    # the table a file is not, as "not {table} file" says it (the article is the word's)
    "import.table_customers": ("客户", "a customers"),
    "import.table_events": ("互动", "an interactions"),
    "import.table_orders": ("订单", "an orders"),
    # a file mixing currencies: the rows not in the one kept (kequn.ingest.summary)
    "import.currency_quarantined": (
        "注意：文件中以 {currencies} 计价的订单（文件中的 {count} 行）与工作区的 {currency} 不同，且不能与以 {kept} 计价的订单相加，已隔离、未导入：换算后重新导入（隔离区列出这些行）。",
        "Note: the file's orders in {currencies} ({count} of the file's rows) differ from the workspace's {currency} and cannot be added up with those in {kept}, so they were quarantined, not imported. Convert them and import them again (the quarantine lists those rows).",
    ),
    # (retry with rows in the quarantine, none of them of this table or readable again)
    "quarantine.nothing_to_retry": (
        "没有可重新读取的被拒行（--table {table}）：其他表的行请用 --table 指定；未能读出字段的行（如引号未闭合）须在原文件中修正后重新导入。`kequn quarantine` 列出隔离区中的全部内容。",
        "No rejected rows to read again (--table {table}): name another table with --table; a row never read into fields (such as one whose quote is never closed) must be mended in its file and imported again. `kequn quarantine` lists all it holds.",
    ),
    # an export's headers in names (kequn.snapshots.reports._header_names): a dimension
    # named as a customer's field is (性别, 行业), and a tag of a dimension
    "export.segment_column": ("{name}（分群）", "{name} (segment)"),
    "export.tag_column": ("{dimension_name}：{label_name}", "{dimension_name}: {label_name}"),
    # a discovered cluster's number with its description
    "export.cluster": ("{number} — {description}", "{number} — {description}"),
    # a file kequn export writes (kequn.snapshots.export_files)
    "export.exists": (
        "{file} 已存在：加 --force 覆盖它，或用 -o 给出另一个文件名。",
        "{file} already exists: add --force to replace it, or give another name with -o.",
    ),
    "export.cut": (
        "注意：{count} 个单元格超过 Excel 单元格上限 32,767 个字符，已截断并以 … 结尾（第一个：第 {row} 行，列「{column}」）。导出为 .csv 可保留完整内容。",
        "Note: {count} cells were longer than an Excel cell holds (32,767 characters) and were cut, ending with … (the first: row {row}, column {column}). Export as .csv to keep them whole.",
    ),
}
