"""The dashboard's and the API's words for messages that, from the command line, tell the
user to pass an option: ``key@web`` (:func:`kequn.core.i18n.on_web`), added to
:data:`kequn.core.i18n.MESSAGES` on import.

A message read on the dashboard or from the API cannot send its reader to ``--mapping``
or ``--header-row``: the upload page offers no such option. Each variant says what to do
there (choose the headers, tick the box, say what a status word means, save the file
again) or names the upload's own parameter (``columns=``, ``header_row=``,
``encoding=``, ``format=``) for a client of the API. The parameters are the same as the
command's message (each variant fills the same fields)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES, WEB_VARIANT

VARIANTS: dict[str, tuple[str, str]] = {
    # /api/history given one side (before= or after=) with nothing beside it in time
    "history.nothing_before": (
        "运行 {run}（截至 {as_of}）之前没有更早的运行可以与它比较；请用 before 参数指定较早的一次运行。",
        "No run comes before run {run} (as of {as_of}) to compare it with; name the earlier run with before=.",
    ),
    "history.nothing_after": (
        "运行 {run}（截至 {as_of}）不早于当前运行 {current}（截至 {current_as_of}），没有更晚的运行可以与它比较；请用 after 参数指定较晚的一次运行。",
        "Run {run} (as of {as_of}) is not earlier than the current run {current} (as of {current_as_of}): there is no later run to compare it with; name the later run with after=.",
    ),
    # a run's date before any data (POST /api/runs)
    "run.before_data": (
        "运行日期 {as_of} 早于工作区最早的数据（{earliest}：最早的客户注册、订单或互动），这次运行不会有任何客户，却会成为看板上最新的运行。请给出 {earliest} 或之后的日期；确实要这样运行，请求中加上 allow_before_data: true。",
        "The run's date {as_of} is before the workspace's earliest data ({earliest}: its first customer, order or interaction): such a run knows no customer, yet would be the dashboard's newest run. Give {earliest} or later, or send allow_before_data: true if you mean it.",
    ),
    # import failures (a job's error)
    "import.missing_required": (
        "{file}: 缺少必需的列 {missing}。文件中的列: {found}。请在导入页面为每一列选择文件中的表头（通过 API 上传时用 columns 参数）。",
        "{file}: required column(s) {missing} not found. Columns in the file: {found}. Choose the file's header for each on the import page (columns= when uploading through the API).",
    ),
    "import.no_header_row": (
        "{file} 第 {row} 行之前没有表头。请删去表头上方的行后重新上传（通过 API 上传时可用 header_row 参数指定表头所在行）。",
        "{file} has no header by row {row}. Remove the lines above the header and upload the file again (header_row= names the header's line when uploading through the API).",
    ),
    "import.bad_encoding": (
        "{file}: 无法用编码 {encoding} 读取（第 {line} 行附近）。请把文件另存为 UTF-8 编码的 CSV（Excel 中为“CSV UTF-8”）后重新上传，或通过 API 上传时用 encoding 参数指定编码。",
        "{file}: cannot be read as {encoding} (near line {line}). Save it as a UTF-8 CSV (Excel's “CSV UTF-8”) and upload it again, or give encoding= when uploading through the API.",
    ),
    "import.bad_csv": (
        "{file} 的开头无法按 CSV/文本表格读取（{detail}）。请确认它是 CSV 或制表符分隔的文本，或另存为 UTF-8 编码的 CSV 后重新上传（通过 API 上传时可用 encoding 参数指定编码）。",
        "{file}: its first lines cannot be read as a CSV or text table ({detail}). Check that it is CSV or tab-separated text, or save it as a UTF-8 CSV and upload it again (encoding= names the encoding when uploading through the API).",
    ),
    "import.format_no_order_id": (
        "{file} 看起来是 {format} 的导出，但找不到订单编号列。请上传平台导出的原始文件；通过 API 上传时可用 format 参数指定其他格式，或用 columns 参数指定各列。",
        "{file} looks like a {format} export but has no order id column. Upload the file as the platform exports it; through the API, format= names another format and columns= the columns.",
    ),
    "import.aftersale_columns": (
        "{file} 看起来是 {format}，但找不到订单编号列或退款金额列。请上传平台导出的原始文件；通过 API 上传时可用 format 参数指定其他格式，或用 columns 参数指定各列。文件中的列：{found}",
        "{file} looks like a {format} but has no order id or refund amount column. Upload the file as the platform exports it; through the API, format= names another format and columns= the columns. Columns in the file: {found}",
    ),
    "import.aftersale_other": (
        "{file} 看起来是售后/退款导出（有「{column}」列和退款金额，没有订单状态）：这样的文件列的是退款，不是订单，按订单导入会把每笔退款记成一笔新的销售。kequn 读淘宝/天猫的退款管理导出（通过 API 上传时用 format=taobao_refunds）；其他平台的，请整理成按订单号列出退款的表（订单号、买家、金额为负、状态“已退款”）再导入，或导入含退款金额的订单导出。",
        "{file} looks like an after-sale (refunds) export (a \"{column}\" column and a refund amount, no order status): it lists refunds, not orders, and imported as orders each refund would count as a new sale. kequn reads Taobao / Tmall's refunds export (format=taobao_refunds when uploading through the API); for another platform's, list each refund under its order id (order id, buyer, a negative amount, status refunded) and import that, or import an order export with the refund amount.",
    ),
    "import.format_orders_only": (
        "导出格式（{format}）只用于订单文件；客户和互动文件按列名读取：上传时请去掉 format 参数。",
        "An export format ({format}) is for order files only; customers and interactions files are read by their headers: upload it without format=.",
    ),
    "import.item_file_alone": (
        "{file} 是{format}的宝贝明细文件：其中没有买家，若在订单文件之后导入会替换这些订单的买家与金额。请导入与它一起导出的订单文件（{order_file}…）；只有这个文件时，通过 API 上传并用 format={id} 单独读取（每个订单各为一位访客买家）。",
        "{file} is the {format} item list: it names no buyer, and imported after the order file it would replace those orders' buyers and money. Import the order file exported with it ({order_file}…) instead; with this file alone, upload it through the API with format={id} (each order its own guest buyer).",
    ),
    "import.platform_export_not_table": (
        "{file} 是{format}的订单导出，不是{table}文件：请在导入页面选择“订单”后重新上传（通过 API 则上传到 orders 表），其中的买家会自动成为客户；未导入任何内容。",
        "{file} is a {format} order export, not {table} file: upload it again as orders (Orders on the import page, or the orders table through the API), and its buyers become customers; nothing was imported.",
    ),
    "import.customers_export_not_table": (
        "{file} 是{format}，不是{table}文件：请在导入页面选择“客户”后重新上传（通过 API 则上传到 customers 表）；未导入任何内容。",
        "{file} is a {format}, not {table} file: upload it again as customers (Customers on the import page, or the customers table through the API); nothing was imported.",
    ),
    # what an import found (its summary's lines)
    "import.key_missing": (
        "注意：文件中没有可识别买家的列（买家账号、手机、邮箱）；请导出带买家列的文件，或通过 API 上传时用 columns 参数指定 customer_id。",
        "Note: no column identifies buyers (buyer id, phone, e-mail): export the file with one, or name one as customer_id with columns= when uploading through the API.",
    ),
    # the upload's source= and no_source= are the command's --source and --no-source
    "import.source_default": (
        "{name}（数据源 {source}：上传时未用 source 参数指定数据源，取平台名；编号存为 {source}:编号）",
        "{name} (source {source}: the platform's, as the upload named none with source=; ids are stored as {source}:ID)",
    ),
    "import.source_and_no_source": (
        "source={source} 与 no_source=true 不能同时使用：前者把记录的编号存为 {source}:编号，后者按原样保留。请只选一个；未导入任何内容。",
        "source={source} and no_source=true contradict each other: the first stores the records' ids as {source}:ID, the second keeps them as given. Choose one; nothing was imported.",
    ),
    "segments.no_sources": (
        "没有数据源 {source}：还没有任何记录来自有名称的数据源（上传时用 source 参数命名）。",
        "There is no source {source}: no record comes from a named source yet (name one with source= when uploading).",
    ),
    "import.source_kept_ids": (
        "编号按原样保存（不加数据源前缀）：本工作区已有未注明数据源的这些买家或此平台的订单；如需分开，请在上传时用 source 参数指定数据源。",
        "Ids kept as given (no source prefix): this workspace already holds these buyers, or this platform's orders, without a source; to keep them apart, name a source with source= when uploading.",
    ),
    "reason.customer_of_source": (
        "客户 {value} 只以数据源的客户保存（{detail}），而本次上传未注明数据源：请在上传时用 source 参数指明这些行的数据源后重新上传；若不是，用 no_source=true 按原样导入（命令行为 kequn import）。",
        "customer {value} is stored only as a source's customer ({detail}) and this upload names no source: upload the file again with source= naming the rows' source, or no_source=true to keep the ids as given (kequn import on the command line).",
    ),
    "import.skipped_more": (
        "另有 {count} 行不是数据，已跳过（导入结果的 skipped 列出全部）",
        "{count} more {count:row that is|rows that are} not data {count:was|were} skipped (the import's result lists them all under skipped)",
    ),
    "import.unknown_status": (
        "未知的订单状态 “{word}”：{count} 行已隔离。请在导入页面说明它的含义（如“已付款”），再重新读取被隔离的行。",
        "Unknown order status “{word}”: {count} {count:row|rows} quarantined. Say what it means (paid, for one) on the import page and read the quarantined rows again.",
    ),
    "import.unknown_status_more": (
        "另有 {words} 个未知的订单状态（{count} 行已隔离；导入结果的 unknown_statuses 列出全部）",
        "{words} more unknown order statuses ({count} {count:row|rows} quarantined; the import's result lists them all under unknown_statuses)",
    ),
    "import.retry_hint": (
        "说明状态的含义后，被隔离的行会重新读取（API：POST /api/quarantine/retry，附 statuses）。",
        "Once their meanings are given, the quarantined rows are read again (API: POST /api/quarantine/retry with statuses).",
    ),
    # why a row was quarantined (the upload page's table, /api/quarantine)
    "reason.unknown_customer": (
        "客户 {value} 不存在（先导入客户，或在导入页面勾选“为文件中工作区还没有的客户建立客户记录”后重新导入）",
        "customer {value} does not exist (import customers first, or tick “Create the customers the file names that the workspace lacks” on the import page and import the file again)",
    ),
    "reason.not_a_phone": (
        "{column} {value} 不是电话号码（数字不足 7 位）：此值已清空，客户已导入。若这一列不是电话，请通过 API 上传并用 columns 参数把电话对应到别的列",
        "{column} {value} is not a phone number (fewer than 7 digits), so the value was left empty and the customer imported. If the column holds something else, upload the file through the API with columns= naming another column for the phone",
    ),
    "reason.not_an_email": (
        "{column} {value} 不是邮箱地址（没有 @）：此值已清空，客户已导入。若这一列不是邮箱，请通过 API 上传并用 columns 参数把邮箱对应到别的列",
        "{column} {value} is not an e-mail address (it has no @), so the value was left empty and the customer imported. If the column holds something else, upload the file through the API with columns= naming another column for the e-mail",
    ),
    "reason.masked_buyer": (
        "买家 {value} 是打码后的值：不同买家打码后可能完全相同，无法区分，此行未导入。请导出带买家编号、会员名或完整手机号的文件后重新上传，或通过 API 上传并用 columns 参数指定另一列作为买家",
        "the buyer {value} is masked: different buyers look the same once masked, so it cannot tell them apart and the row was not imported. Export the file with the buyer's id, member name or full phone number and upload it again, or upload it through the API with columns= naming another buyer column",
    ),
    "reason.aftersale_order_unknown": (
        "{column} {value}：这一行是该订单的退款（售后导出），但工作区中没有这个订单：退款未计入，也没有据此创建订单。请先导入包含该订单的订单导出，再重试隔离区；如果订单是在命令行用 --source 导入的，本文件也须在命令行用同一个 --source 导入",
        "{column} {value}: this row is a refund (an after-sale export's) of that order, which the workspace does not hold: the refund was not applied and no order was made of it. Import the order export that holds the order first, then retry the quarantine; if the orders were imported from the command line with --source, this file must be imported there with the same --source",
    ),
    # a run asked for by id (the API's ?run=, /api/runs/{id})
    "run.unknown": (
        "没有编号（或前缀）为 {id} 的运行；运行记录页（API：/api/runs）列出全部运行。",
        "No run has the id (or prefix) {id}; the Runs page (API: /api/runs) lists the runs.",
    ),
    "run.ambiguous": (
        "有 {count} 次运行的编号以 {id} 开头：{runs}；请写出更长的编号（运行记录页或 /api/runs 列出全部运行）。",
        "{count} runs have ids starting with {id}: {runs}; give more of the id (the Runs page or /api/runs lists the runs).",
    ),
    # a run started from the dashboard
    "error.out_of_range": (
        "计算时某个值超出范围或无法转换：{detail}\n请在分群规则页面预览各条规则，检查其中的运算以及数据中的异常值。",
        "A value went out of range or could not be converted while computing: {detail}\nPreview the rules on the taxonomy page to check their arithmetic, and look for unusual values in the data.",
    ),
    # the headers chosen on the import page (the upload's columns field), not a file's
    "mapping.missing_header": (
        "为 {column} 选择的表头 “{header}” 不在文件中。请在导入页面从文件的表头中重新选择（通过 API 上传时检查 columns 参数）。",
        "The header “{header}” chosen for {column} is not in the file. Choose again from the file's headers on the import page (check columns= when uploading through the API).",
    ),
    # the overview's model notes: the clusters are listed on the page itself
    "models.clusters": (
        "数据发现分群：{k} 群（按轮廓系数选择），稳定性 ARI {ari:.2f}；各群列于总览页（API：/api/clusters）",
        "Discovered segments: {k} clusters (chosen by silhouette), stability ARI {ari:.2f}; the overview lists them (API: /api/clusters)",
    ),
}

MESSAGES.update({key + WEB_VARIANT: words for key, words in VARIANTS.items()})
