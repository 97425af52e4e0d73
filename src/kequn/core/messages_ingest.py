"""The messages of getting data in (imports, database sources, mapping files, quarantine
reasons, order statuses), as (中文, English) templates by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

INGEST: dict[str, tuple[str, str]] = {
    # import
    "import.reading": ("读取 {file}", "Reading {file}"),
    "import.validating": ("校验与转换", "Validating and converting"),
    "import.kept_run_failed": (
        "导入 {import_id} 已保存；随后的运行失败，排除问题后执行 `kequn run`：",
        "Import {import_id} was kept; the run after it failed (fix it, then `kequn run`):",
    ),
    "import.writing": ("写入工作区", "Writing to the workspace"),
    "reason.bad_row": ("字段数与表头不一致：{value}", "wrong number of fields: {value}"),
    "import.encoding": ("编码: {encoding}", "Encoding: {encoding}"),
    "import.mapped": ("列映射: {mapped}", "Column mapping: {mapped}"),
    "import.buyer_field": ("买家{field}", "buyer's {field}"),
    "import.refund_status": ("退款状态", "refund status"),
    "import.id_keyed": (
        "客户编号由 {column} 生成：用工作区自己的密钥计算的匿名编号（p-…），编号里看不到号码本身。",
        "Customer ids are made from {column}: pseudonyms keyed with the workspace's own key (p-…), which never show the number or address itself.",
    ),
    "import.extra": (
        "保留为客户属性的列: {columns}",
        "Columns kept as customer attributes: {columns}",
    ),
    "import.not_read": (
        "{header} 的值没有一个是{column}（{allowed}），已原样保留为客户属性",
        "No value of {header} is a {column} ({allowed}), so the column was kept as written, as a customer attribute",
    ),
    "import.unnamed_column": ("第 {n} 列（无表头）", "column {n} (no header)"),
    "import.ignored": ("未使用的列: {columns}", "Columns not used: {columns}"),
    "import.summary": (
        "{table}: 读取 {rows} 行，接收 {accepted} 行（新增 {inserted}，更新 {updated}，无变化 {unchanged}），隔离 {rejected} 行",
        "{table}: read {rows} {rows:row|rows}, accepted {accepted} ({inserted} new, {updated} updated, {unchanged} unchanged), quarantined {rejected}",
    ),
    "import.derived_customers": (
        "从订单中生成客户 {count} 个",
        "Customers made from the orders' buyer columns: {count}",
    ),
    "import.derived_customers_events": (
        "从互动记录中生成客户 {count} 个",
        "Customers made from the interactions' customer ids: {count}",
    ),
    "import.no_usable_column": (
        "{file}: 没有可用的列。期望（至少）: {expected}；文件中的列: {found}",
        "{file}: no usable column. Expected (at least): {expected}; found: {found}",
    ),
    "import.missing_required": (
        "{file}: 缺少必需的列 {missing}。文件中的列: {found}。可用 --mapping 指定映射。",
        "{file}: required column(s) {missing} not found. Columns in the file: {found}. Use --mapping to map them.",
    ),
    "import.unsupported": (
        "{file}: 不支持的文件类型（支持 .csv .txt .xlsx .xls .parquet；其他格式请在 Excel/WPS 中另存为 .xlsx）",
        "{file}: unsupported file type (supported: .csv .txt .xlsx .xls .parquet; save other formats as .xlsx in Excel or WPS first)",
    ),
    "import.bad_encoding": (
        "{file}: 无法用编码 {encoding} 读取（第 {line} 行附近）。可用 --encoding（上传时用 encoding 参数）指定。",
        "{file}: cannot be read as {encoding} (near line {line}). Pass --encoding (encoding= when uploading) to override.",
    ),
    "import.by_reason": ("  {reason}: {count}", "  {reason}: {count}"),
    "import.by_reason_example": (
        "  {reason}: {count}（如第 {row} 行：{text}）",
        "  {reason}: {count} (e.g. row {row}: {text})",
    ),
    "import.rejected_header": ("隔离原因:", "Quarantined, by reason:"),
    "import.warned_header": (
        "已接收，但有字段被置空或修正（原因如下）:",
        "Accepted, with a value left empty or corrected (why, below):",
    ),
    # quarantine reasons: {column} {value} {detail}
    "reason.missing_required": ("必填字段 {column} 为空", "required field {column} is empty"),
    "reason.other_currency": (
        "订单以 {value} 计价，而文件中其余订单（及工作区）以 {detail} 计算：金额不能直接相加，此行未导入（换算后再导入，或导入到以 {value} 计价的工作区）",
        "the order is in {value} while the file's other orders are in {detail}: the amounts cannot be added up, so the row was not imported (convert it first, or import it into a workspace in {value})",
    ),
    "reason.missing_status": (
        "订单状态为空：无法判断是否已付款，此行未导入",
        "the order's status is empty: whether it was paid cannot be told, so the row was not imported",
    ),
    "reason.unclosed_quote": (
        "这一行的引号没有闭合（文件在引号中结束），此行未导入；其后的各行已按各自的行读取: {value}",
        "a quote opened on this line is never closed (the file ends inside it): this row was not imported; the lines after it were read as rows of their own: {value}",
    ),
    "reason.id_lost_digits": (
        "{column} {value} 是科学计数法：Excel 只保留 15 位有效数字，编号的末几位已丢失（不同订单可能变成同一个编号），此行未导入。请重新导入平台导出的原文件，或在 Excel 中把该列设为“文本”后再保存",
        "{column} {value} is in scientific notation: Excel keeps 15 significant digits, so the id's last digits are lost (different orders may now share it) and the row was not imported. Import the platform's original export again, or format the column as Text in Excel before saving",
    ),
    "reason.phone_lost_digits": (
        "{column} {value} 是科学计数法：Excel 把手机号存成了数字，末几位已丢失（不同客户会变成同一个号码），此值已清空，客户已导入。请在 Excel 中把该列设为“文本”后重新保存并导入",
        "{column} {value} is in scientific notation: Excel kept the phone as a number and its last digits are lost (different customers would share it), so the value was left empty and the customer imported. Format the column as Text in Excel, save and import again",
    ),
    "reason.number_lost_digits": (
        "{column} {value} 是科学计数法：Excel 只保留 15 位有效数字，这个数字（证件号、卡号等）的末几位已丢失，此值未保存，客户已导入（隔离区保留了该行原文）。请在 Excel 中把该列设为“文本”后重新保存并导入，或导入平台导出的原文件",
        "{column} {value} is in scientific notation: Excel keeps 15 significant digits, so the number's last digits (an ID or card number's) are lost; the value was not stored and the customer imported (the quarantine keeps the row as written). Format the column as Text in Excel, save and import again, or import the platform's original export",
    ),
    "reason.not_a_phone": (
        "{column} {value} 不是电话号码（数字不足 7 位）：此值已清空，客户已导入。若这一列不是电话，请用 --mapping 把它映射到别的列",
        "{column} {value} is not a phone number (fewer than 7 digits), so the value was left empty and the customer imported. If the column holds something else, map it elsewhere with --mapping",
    ),
    "reason.not_an_email": (
        "{column} {value} 不是邮箱地址（没有 @）：此值已清空，客户已导入。若这一列不是邮箱，请用 --mapping 把它映射到别的列",
        "{column} {value} is not an e-mail address (it has no @), so the value was left empty and the customer imported. If the column holds something else, map it elsewhere with --mapping",
    ),
    "reason.masked_buyer": (
        "买家 {value} 是打码后的值：不同买家打码后可能完全相同，无法区分，此行未导入。请导出带买家编号、会员名或完整手机号的文件，或用 --mapping 指定另一列作为买家",
        "the buyer {value} is masked: different buyers look the same once masked, so it cannot tell them apart and the row was not imported. Export the file with the buyer's id, member name or full phone number, or name another buyer column with --mapping",
    ),
    "reason.birthday_no_year": (
        "{column} {value} 只有月和日，没有年份：已作为生日（月-日）保存，但没有出生日期，也不据此推算年龄；客户已导入",
        "{column} {value} has a month and day but no year: it was kept as the birthday (month and day), with no birth date and no age derived from it; the customer was imported",
    ),
    "reason.bad_date": ("{column} 不是可识别的日期: {value}", "{column} is not a date: {value}"),
    "reason.bad_number": (
        "{column} 不是可识别的数字: {value}",
        "{column} is not a number: {value}",
    ),
    "reason.ambiguous_money": (
        "{column} 为 {value}：这一列有用逗号作小数点的金额（如 12,50），{value} 可能是一千多也可能是一点多，请改写成 1234 或 1.234 后重新导入",
        (
            "{column} is {value}: this column writes decimals with a comma (12,50), so {value} may "
            "be a thousand and more or one and a bit; write it as 1234 or 1.234 and import again"
        ),
    ),
    "reason.bad_money": (
        "{column} 不是可识别的金额: {value}",
        "{column} is not an amount: {value}",
    ),
    "reason.bad_bool": ("{column} 不是是/否: {value}", "{column} is not yes/no: {value}"),
    "reason.bad_choice": (
        "{column} 的值 {value} 不在允许范围（{detail}）",
        "{column} value {value} is not one of: {detail}",
    ),
    "reason.negative_amount": (
        "{column} 为负数 {value}，而订单状态不是退款",
        "{column} is negative ({value}) but the order is not a refund",
    ),
    "reason.refund_over_amount": (
        "{column} 为 {value}，多于订单实付的 {detail}：其中一个金额有误；订单已导入，按全额退款计（退款 {detail}），请核对",
        "{column} is {value}, more than the {detail} paid for the order: one of the two is wrong; the order was imported as refunded in full ({detail}), check it",
    ),
    "reason.future_date": ("{column} 在未来: {value}", "{column} is in the future: {value}"),
    "reason.duplicate_id": (
        "{column} {value} 在本文件中重复（首次出现在第 {detail} 行）",
        "{column} {value} appears twice in this file (first at row {detail})",
    ),
    "reason.refund_order_rejected": (
        "这一行是订单 {value} 的退款，而该订单（第 {detail} 行）已被隔离：退款随订单一起隔离，订单修正后重试即可一并导入",
        "this row is a refund of order {value}, whose row ({detail}) was quarantined: the refund is kept with it, and comes back when the order is fixed and retried",
    ),
    "reason.refund_not_this_order": (
        "这一行是编号 {value} 的退款（金额为负），但此前导入的订单 {value} 属于另一位买家或尚未付款：未计入该订单，也未覆盖它，请核对",
        "this row is a refund (a negative amount) under id {value}, but the order {value} imported before is another buyer's or unpaid: it was not applied to that order nor written over it; check it",
    ),
    "reason.aftersale_order_unknown": (
        "{column} {value}：这一行是该订单的退款（售后导出），但工作区中没有这个订单：退款未计入，也没有据此创建订单。请先导入包含该订单的订单导出，再重试隔离区；如果订单导入时用了 --source，请用同一个 --source 再导入本文件",
        "{column} {value}: this row is a refund (an after-sale export's) of that order, which the workspace does not hold: the refund was not applied and no order was made of it. Import the order export that holds the order first, then retry the quarantine; if the orders were imported with --source, import this file again with the same --source",
    ),
    "reason.aftersale_order_unpaid": (
        "{column} {value}：这一行是该订单的退款（售后导出），但此前导入的该订单尚未付款（{detail}）：退款未计入。请导入该订单付款后的订单导出，再重试隔离区",
        "{column} {value}: this row is a refund (an after-sale export's) of that order, but the order was imported unpaid ({detail}): the refund was not applied. Import an order export from after its payment, then retry the quarantine",
    ),
    "reason.unknown_customer": (
        "客户 {value} 不存在（先导入客户，或使用 --create-customers）",
        "customer {value} does not exist (import customers first, or use --create-customers)",
    ),
    "quarantine.empty": ("隔离区为空。", "The quarantine is empty."),
    "quarantine.title": (
        "隔离区（被拒绝或被置空的数据）",
        "Quarantine (rejected rows and emptied values)",
    ),
    "status.title": ("工作区 {path}", "Workspace {path}"),
    "status.generation": ("数据版本 {generation}", "Data generation {generation}"),
    "status.no_runs": (
        "尚无分类运行。运行 `kequn run`。",
        "No classification runs yet. Run `kequn run`.",
    ),
    "status.run": (
        "运行 {run_id}  截至 {as_of}  {engine}  {customers} 位客户  {seconds} 秒",
        "run {run_id}  as of {as_of}  {engine}  {customers} {customers:customer|customers}  {seconds} s",
    ),
    "status.quarantine": ("隔离区（{severity}）", "quarantine ({severity})"),
    "mapping.unreadable": (
        "映射文件 {file} 无法读取：{detail}",
        "Mapping file {file} cannot be read: {detail}",
    ),
    "mapping.not_mapping": (
        "映射文件 {file} 应是 YAML 映射，例如 `columns: {{customer_id: 会员编号}}`、`statuses: {{待发货: paid}}`。",
        "Mapping file {file} must be a YAML mapping, e.g. `columns: {{customer_id: 会员编号}}`, `statuses: {{待发货: paid}}`.",
    ),
    "mapping.unknown_key": (
        "映射文件 {file} 中有未知的项：{keys}（可用：{known}）",
        "Mapping file {file} has unknown keys: {keys} (known: {known})",
    ),
    "mapping.bad_status": (
        "映射文件 {file} 的 statuses 只能映射到 {allowed}：{bad}",
        "In mapping file {file}, statuses must map to one of {allowed}: {bad}",
    ),
    "mapping.bad_header_row": (
        "映射文件 {file} 的 header_row 应是从 1 开始的行号，而不是 {value}",
        "In mapping file {file}, header_row must be a row number from 1, not {value}",
    ),
    "mapping.unknown_column": (
        "映射文件 {file}：{table} 没有列 {column}。可用：{known}",
        "Mapping file {file}: {table} has no column {column}. Known: {known}",
    ),
    "mapping.missing_header": (
        "映射文件 {file}：列 {column} 对应的表头 “{header}” 不在文件中。",
        "Mapping file {file}: the header “{header}” given for {column} is not in the file.",
    ),
    "import.bad_table": (
        "没有表 {table}：可用 {known}。",
        "There is no table {table}: use one of {known}.",
    ),
    "import.no_file": ("没有文件 {file}：检查路径。", "There is no file {file}: check the path."),
    "import.is_folder": (
        "{file} 是文件夹：请给出其中要导入的文件。",
        "{file} is a folder: name the file in it to import.",
    ),
    "sources.bad_url": (
        "数据库地址 {url} 无法解析（{detail}）：检查主机与端口，例如 postgresql://用户@主机:5432/库名；密码中的 @ : / 等字符需写成 %40 %3A %2F。",
        "The database URL {url} cannot be parsed ({detail}): check its host and port, e.g. postgresql://user@host:5432/db; write @ : / in a password as %40 %3A %2F.",
    ),
    "sources.bad_scheme": (
        "不支持的数据库地址 {url}：请使用 postgresql://… 或 mysql://…（MariaDB 同样用 mysql://）。",
        "Unsupported database URL {url}: use postgresql://… or mysql://… (mysql:// for MariaDB too).",
    ),
    "sources.bad_table": (
        "表名 {table} 无效：写作 表 或 模式.表。",
        "Invalid table name {table}: write TABLE or SCHEMA.TABLE.",
    ),
    "sources.need_one_target": (
        "请给出 --table 表名 或 --query 查询，二者选一。",
        "Give either --table NAME or --query SQL, one of the two.",
    ),
    "import.table_first": (
        "先写文件里是什么（{known}），再写文件，例如：kequn import orders {file}",
        "Say first what the file holds ({known}), then the file, e.g. kequn import orders {file}",
    ),
    "sources.file_options": (
        "{options} 只用于导入文件；数据库来源按其列名读取：请去掉这些选项（列可用 --mapping 指定）。",
        "{options} are for importing a file; a database source is read by its columns: leave them out (name columns with --mapping).",
    ),
    "import.sheet_without_sheets": (
        "{file} 是 CSV 或 Parquet 文件，没有工作表：请去掉 {option}（它指定 Excel 工作簿中的工作表）。",
        "{file} is a CSV or Parquet file, which has no sheets: leave out {option} (it names a sheet of an Excel workbook).",
    ),
    "sources.file_or_database": (
        "请给出要导入的文件，或用 --from/--url-env/--url-file 指定数据库（二者选一）。",
        "Give a file to import, or a database with --from/--url-env/--url-file (one of the two).",
    ),
    "sources.bad_ssl_mode": (
        "数据库 {url} 的 ssl-mode={value} 无法识别：可用的值为 {allowed}（与 mysql 客户端的 --ssl-mode 相同）。",
        "The database {url} has ssl-mode={value}, which is none of {allowed} (the mysql client's --ssl-mode values).",
    ),
    "sources.no_tls_file": (
        "数据库 {url} 的 TLS 证书或密钥文件 {file} 不存在或不是文件。",
        "The TLS certificate or key file {file} of the database {url} does not exist or is not a file.",
    ),
    "sources.read_failed": (
        "读取数据库 {url} 失败：{detail}",
        "Reading the database {url} failed: {detail}",
    ),
    "sources.missing_driver": (
        "缺少数据库驱动 {package}：运行 pip install 'kequn[sources]'。",
        "The database driver {package} is not installed: run pip install 'kequn[sources]'.",
    ),
    "sources.no_watermark": (
        "查询结果中没有水位列 {column}；请在表或查询中包含它。",
        "The result has no watermark column {column}; include it in the table or query.",
    ),
    "sources.no_columns": (
        "{source} 没有任何列。",
        "{source} has no columns.",
    ),
    "sources.bad_config": (
        "kequn.toml 中数据源 [sources.{name}] 有误：{detail}（可用键：url_env 或 url_file、table 或 query、kind、watermark、mapping）。",
        "The source [sources.{name}] in kequn.toml is wrong: {detail} (keys: url_env or url_file, table or query, kind, watermark, mapping).",
    ),
    "sources.unknown": (
        "kequn.toml 中没有数据源 {name}（已有：{known}）。",
        "No source {name} in kequn.toml (there are: {known}).",
    ),
    "sources.none_configured": (
        "{file} 中还没有数据源：添加 [sources.名称] 一节（url_env、table 或 query、kind、watermark）。",
        "{file} has no sources yet: add a [sources.NAME] section (url_env, table or query, kind, watermark).",
    ),
    "sources.sync_failed": (
        "数据源 {name} 同步失败：{detail}",
        "Source {name} could not be synced: {detail}",
    ),
    "sources.reading": ("正在读取 {source}", "Reading {source}"),
    "sources.synced": (
        "{name}：{kind}，自水位 {since} 读取；新水位 {watermark}",
        "{name}: {kind}, read from watermark {since}; new watermark {watermark}",
    ),
    "sources.list_empty": ("还没有数据源。", "No sources yet."),
    "import.format_no_order_id": (
        "{file} 看起来是 {format} 的导出，但找不到订单编号列。用 --format 指定其他格式，或用 --mapping 映射列。",
        "{file} looks like a {format} export but has no order id column. Name another --format, or map the columns with --mapping.",
    ),
    "import.no_header_row": (
        "{file} 第 {row} 行之前没有表头。用 --header-row 指定表头所在行。",
        "{file} has no header by row {row}. Name the header row with --header-row.",
    ),
    "import.header_row_past_end": (
        "{file} 只有 {rows} 行：指定的表头行（第 {row} 行）超出了文件末尾。",
        "{file} has only {rows} rows: the header row asked for (row {row}) is past its end.",
    ),
    "import.no_sheet": (
        "{file} 中没有工作表 “{sheet}”。工作表：{sheets}",
        "{file} has no sheet “{sheet}”. Sheets: {sheets}",
    ),
    "import.format": ("格式：{name}", "Format: {name}"),
    "import.bad_csv": (
        "{file} 的开头无法按 CSV/文本表格读取（{detail}）。请确认它是 CSV 或制表符分隔的文本，或用 --encoding（上传时用 encoding 参数）指定编码。",
        "{file}: its first lines cannot be read as a CSV or text table ({detail}). Check that it is CSV or tab-separated text, or pass --encoding (encoding= when uploading).",
    ),
    "import.xls_html": (
        "{file} 其实是网页（HTML 表格），只是扩展名为 .xls（许多平台的“导出 Excel”如此）：请用 Excel 或 WPS 打开，另存为 .xlsx 后导入，或在平台改选导出 CSV。",
        '{file} is a web page (an HTML table) named .xls, as many platforms\' "export to Excel" write: open it in Excel or WPS and save it as .xlsx, or export CSV from the platform instead.',
    ),
    "mapping.not_utf8": ("第 {line} 行不是 UTF-8 编码的文本", "line {line} is not UTF-8 text"),
    "import.unknown_format": (
        "没有名为 {format} 的导出格式：可用 {known}。",
        "There is no export format {format}: use one of {known}.",
    ),
    "import.format_orders_only": (
        "导出格式（{format}）只用于订单文件；客户和互动文件按列名读取：请去掉 --format（或映射文件中的 format:）。",
        "An export format ({format}) is for order files only; customers and interactions files are read by their headers: leave out --format (or the mapping file's format:).",
    ),
    "import.unknown_encoding": (
        "没有名为 {encoding} 的编码：可用 utf-8、gb18030、big5 等。",
        "There is no encoding called {encoding}: use utf-8, gb18030, big5 or another Python knows.",
    ),
    "import.empty_file": (
        "{file} 是空文件，没有可导入的内容。",
        "{file} is empty: there is nothing to import.",
    ),
    "import.bad_parquet": (
        "{file} 不是可读取的 Parquet 文件：它可能已损坏、不完整（下载或复制中断），或并不是 Parquet 格式。请重新导出或复制后再导入（读取器的原文：{detail}）。",
        "{file} is not a Parquet file that can be read: it may be damaged, cut short (a download or copy that stopped), or not Parquet at all. Export or copy it again, then import (the reader said: {detail}).",
    ),
    "import.bad_xls": (
        "{file} 无法作为 Excel 97-2003 (.xls) 工作簿读取（{detail}）：文件可能已损坏或已加密。请在 Excel/WPS 中打开并另存为 .xlsx 或 CSV 后再导入。",
        "{file} cannot be read as an Excel 97-2003 (.xls) workbook ({detail}): it may be damaged or encrypted. Open it in Excel or WPS and save it as .xlsx or CSV, then import that.",
    ),
    "import.not_a_workbook": (
        "{file} 既不是 Excel 工作簿，也不是文本表格：文件可能已损坏。请在 Excel/WPS 中打开并另存为 .xlsx 或 CSV 后再导入。",
        "{file} is neither an Excel workbook nor a text table: it may be damaged. Open it in Excel or WPS and save it as .xlsx or CSV, then import that.",
    ),
    "import.bad_xlsx": (
        "{file} 不是有效的 Excel (.xlsx) 文件。",
        "{file} is not a valid Excel (.xlsx) file.",
    ),
    "import.xlsx_encrypted": (
        "{file} 设置了打开密码（已加密），无法读取。请在 Excel/WPS 中用密码打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空）后另存为 .xlsx 或 CSV，再导入。",
        "{file} is protected with a password to open it (encrypted) and cannot be read. Open it in Excel or WPS with its password, remove the password (File → Info → Protect Workbook → Encrypt with Password, cleared), save it as .xlsx or CSV, then import that.",
    ),
    "import.xlsx_too_big": (
        "{file} 解压后约 {mb} MB（或压缩比异常），超过 {limit} MB 的上限，未读取。请拆分后导入，或另存为 CSV。",
        "{file} unzips to about {mb} MB (or is compressed implausibly), over the {limit} MB limit; not read. Split it, or save it as CSV.",
    ),
    "import.buyer_key": ("买家标识：{columns}", "Buyer key: {columns}"),
    "import.key_nickname": (
        "注意：只有买家昵称可作标识，不同的人可能同名，会被当作同一客户。",
        "Note: only a nickname identifies buyers; different people may share one and be counted as one customer.",
    ),
    "import.key_guest": (
        "注意：此导出没有任何可识别买家的信息（买家账号、手机或邮箱），{count} 笔订单各按一位独立的游客买家（g-订单号）计入：销售额完整，客户数为上限（同一买家的多笔订单无法合并）。",
        "Note: this export identifies no buyer (no buyer id, phone or e-mail), so each of its {count} {count:order|orders} is kept as a guest buyer of its own (g-ORDER ID): every sale counts, and the customer count is an upper bound (one buyer's several orders cannot be joined).",
    ),
    "import.partial_refund_unknown": (
        "注意：{partial} 笔订单为部分退款，但文件中没有退款金额：按已付款订单计入，退款记为 0（实际净额更低）。如有含退款金额的订单导出（淘宝/天猫还可导入退款管理导出），或按订单号列出退款（金额为负）的表，请一并导入。",
        "Note: {partial} {partial:order was|orders were} partly refunded but the file gives no refund amount: they count as sales with 0 refunded (the real net is lower). To correct them, import an order export with the refund amount (for Taobao / Tmall, also the refunds export), or a sheet listing each refund under its order id with a negative amount.",
    ),
    "import.refund_rows": (
        "注意：{refunds} 行是订单的退款（与本文件或此前导入的订单同一编号、金额为负）：已计入这些订单的退款金额，订单状态改为已退款或部分退款，这些行本身不作为订单保存。",
        "Note: {refunds} {refunds:row is a refund of an order|rows are refunds of orders} (the id of an order in this file or imported before, a negative amount): {refunds:its|their} money was added to {refunds:the order's refunded amount and the order|those orders' refunded amounts and the orders} marked refunded or partially refunded; {refunds:the row is not stored as an order|the rows are not stored as orders} of {refunds:its|their} own.",
    ),
    "import.aftersale_applied": (
        "注意：这是售后（退款）导出：{refunds} 条成功的退款已计入此前导入的订单的退款金额（每笔退款按退款编号只计一次：同一订单的多条退款相加，分在不同文件中也一样；重复导入不会重复计入），订单状态改为已退款或部分退款；本文件不创建订单或客户。",
        "Note: this is an after-sale (refunds) export: {refunds} successful {refunds:refund was|refunds were} added to the refunded amounts of the orders imported before (each refund counted once by its 退款编号: the refunds of one order add up, in one file or several; importing a file again counts nothing twice), and those orders marked refunded or partially refunded; no order or customer is made from this file.",
    ),
    "import.aftersale_not_applied": (
        "{count} 条退款未计入：{reason}",
        "{count} {count:refund|refunds} not applied: {reason}",
    ),
    "aftersale.closed": (
        "退款已关闭、被拒绝或失败，没有退回款项",
        "closed, refused or failed, so no money went back",
    ),
    "aftersale.in_progress": (
        "退款仍在处理中；退款成功后再次导入该导出即可计入",
        "still under way; import the export again once they have succeeded",
    ),
    "aftersale.unknown": (
        "退款状态无法识别（见下方未知的售后状态）",
        "their refund status is not one kequn knows (see the unknown after-sale statuses below)",
    ),
    "aftersale.zero": ("退款金额为 0", "their refund amount is 0"),
    "aftersale.repeated": (
        "与本文件前面一行的退款编号相同，是同一笔退款，只计一次",
        "the same refund (退款编号) as an earlier row of the file, counted once",
    ),
    "import.aftersale_other": (
        "{file} 看起来是售后/退款导出（有「{column}」列和退款金额，没有订单状态）：这样的文件列的是退款，不是订单，按订单导入会把每笔退款记成一笔新的销售。kequn 读淘宝/天猫的退款管理导出（--format taobao_refunds）；其他平台的，请整理成按订单号列出退款的表（订单号、买家、金额为负、状态“已退款”）再导入，或导入含退款金额的订单导出。",
        "{file} looks like an after-sale (refunds) export (a \"{column}\" column and a refund amount, no order status): it lists refunds, not orders, and imported as orders each refund would count as a new sale. kequn reads Taobao / Tmall's refunds export (--format taobao_refunds); for another platform's, list each refund under its order id (order id, buyer, a negative amount, status refunded) and import that, or import an order export with the refund amount.",
    ),
    "import.aftersale_columns": (
        "{file} 看起来是 {format}，但找不到订单编号列或退款金额列。用 --format 指定其他格式，或用 --mapping 映射列。文件中的列：{found}",
        "{file} looks like a {format} but has no order id or refund amount column. Name another --format, or map the columns with --mapping. Columns in the file: {found}",
    ),
    "import.key_missing": (
        "注意：文件中没有可识别买家的列（买家账号、手机、邮箱）；请用 --mapping 指定 customer_id。",
        "Note: no column identifies buyers (buyer id, phone, e-mail); name one as customer_id with --mapping.",
    ),
    "import.currency_differs": (
        "注意：文件中以 {currencies} 计价的金额与工作区的 {currency} 不同，已按原数值导入，未换算：请换算后重新导入，或导入到以 {currencies} 计价的工作区。",
        "Note: the file's amounts in {currencies} differ from the workspace's {currency} and were imported as they are, not converted. Convert them and import them again, or import them into a workspace in {currencies}.",
    ),
    "import.lines": (
        "{orders} 个订单，{lines} 行商品明细",
        "{orders} {orders:order|orders} from {lines} item {lines:row|rows}",
    ),
    "import.unknown_status": (
        "未知的订单状态 “{word}”：{count} 行已隔离。若它表示已付款，在映射文件中加一行：  statuses: {{{word}: paid}}",
        "Unknown order status “{word}”: {count} {count:row|rows} quarantined. If it means paid, add this line to a mapping file:  statuses: {{{word}: paid}}",
    ),
    "import.unknown_status_more": (
        "另有 {words} 个未知的订单状态（{count} 行已隔离；--json 列出全部）",
        "{words} more unknown order statuses ({count} {count:row|rows} quarantined; --json lists them all)",
    ),
    "import.unknown_refund_word": (
        "未知的售后状态 “{word}”（{count} 行）：这些行按“无售后”读取。若它表示退款，请告诉我们这个词，以便加入该平台的词表",
        "Unknown after-sale status “{word}” ({count} {count:row|rows}): read as no after-sale. If it means a refund, report the word so it joins the platform's list",
    ),
    "import.item_file": (
        "{file} 是{format}的宝贝明细文件：其中没有买家与下单时间。请导入与它一起导出的订单文件（{order_file}…）。",
        "{file} is the {format} item list: it holds no buyer and no order time. Import the order file exported with it ({order_file}…) instead.",
    ),
    "import.item_file_alone": (
        "{file} 是{format}的宝贝明细文件：其中没有买家，若在订单文件之后导入会替换这些订单的买家与金额。请导入与它一起导出的订单文件（{order_file}…）；只有这个文件时，用 --format {id} 单独读取（每个订单各为一位访客买家）。",
        "{file} is the {format} item list: it names no buyer, and imported after the order file it would replace those orders' buyers and money. Import the order file exported with it ({order_file}…) instead; with this file alone, read it with --format {id} (each order its own guest buyer).",
    ),
    "import.retry_hint": (
        "修改映射后运行 `kequn quarantine retry --mapping 映射.yaml` 重新读取被隔离的行。",
        "After editing the mapping, `kequn quarantine retry --mapping map.yaml` re-reads the quarantined rows.",
    ),
    "import.skipped": (
        "跳过第 {row} 行（不是数据：{text}）",
        "Skipped row {row} (not data: {text})",
    ),
    "import.second_header": (
        "第 {row} 行是表头的第二行（合并表头下的列名：{text}），已与表头合并读取",
        "Row {row} is the header's second row (column names under a merged label: {text}); read with the header",
    ),
    "import.skipped_more": (
        "另有 {count} 行不是数据，已跳过（--json 列出全部）",
        "{count} more {count:row that is|rows that are} not data {count:was|were} skipped (--json lists them all)",
    ),
    "import.sheets": (
        "读取了 {count} 个表头相同的工作表：{sheets}",
        "Read {count} sheets with the same header: {sheets}",
    ),
    "import.sheet_rows": ("{sheet}（第 {first}–{last} 行）", "{sheet} (rows {first}–{last})"),
    "import.blank_rows": (
        "跳过 {count} 个空行（每个单元格都为空）",
        "Skipped {count} empty {count:row|rows} (every cell blank)",
    ),
    "quarantine.retried": (
        "重新读取 {file} 的隔离行：",
        "Read the quarantined rows of {file} again:",
    ),
    "severity.rejected": ("已隔离", "rejected"),
    "severity.warning": ("已置空", "emptied"),
}
