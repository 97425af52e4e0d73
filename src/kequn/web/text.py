"""The dashboard's and the API's words, in 中文 and English (added to :mod:`kequn.i18n`)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

WEB: dict[str, tuple[str, str]] = {
    # errors
    "web.error.unauthorized": ("需要有效的令牌。", "A valid token is required."),
    "web.error.forbidden": (
        "角色 {role} 无权执行此操作（{what}）。",
        "The {role} role may not do this ({what}).",
    ),
    # /docs and /redoc (kequn.web.routes.system.docs)
    "web.no_docs": (
        (
            "不提供交互式接口文档（Swagger UI 与 ReDoc 要从外网 CDN 加载脚本，内网打不开，"
            "且只有英文）；接口说明在 /openapi.json，可导入任何 OpenAPI 工具或生成客户端。"
        ),
        (
            "No interactive API documentation is served (Swagger UI and ReDoc load their"
            " scripts from a CDN that intranets cannot reach, and speak English only); the"
            " API is described at /openapi.json, for any OpenAPI tool or client generator."
        ),
    ),
    "web.error.no_run": (
        "还没有运行结果。先运行一次分群。",
        "There is no run yet. Start a run first.",
    ),
    "web.error.internal": (
        "服务器内部出错，未能完成请求；错误已记入服务器日志。",
        "The server could not complete the request because of an internal error; it is in the server's log.",
    ),
    "web.error.not_found": ("没有这个地址。", "Not found."),
    "web.error.unreadable": (
        "请求无法读取（请求行或请求头格式错误或过长）。",
        "The request could not be read (a malformed or over-long request line or header).",
    ),
    "web.error.taxonomy_hidden": (
        "工作区的分类体系文件（{file}）有问题，需由分析师或管理员修正，他们可以看到问题所在。",
        "The workspace's taxonomy file ({file}) has a problem an analyst or administrator must fix; they can see what it is.",
    ),
    "web.error.body": (
        "无法读取请求内容（不是有效的 UTF-8 JSON 或表单）。",
        "The request's body could not be read (not valid UTF-8 JSON or form data).",
    ),
    "web.error.half_pair": (
        "请求中的文本含有无效字符（落单的 UTF-16 代理项，如 \\ud800），无法读取。",
        "The request's text holds an invalid character (half of a UTF-16 surrogate pair, such as \\ud800) and cannot be read.",
    ),
    "web.error.method": ("这个地址不接受此请求方法。", "This address does not take that method."),
    "web.error.invalid": ("请求无效：{problems}", "Invalid request: {problems}"),
    # /api/history's before= or after= holding text no run's id can be (a path, a space)
    "web.error.invalid_run": (
        "{parameter}={value} 不是运行编号：运行编号（或其开头部分）只含字母、数字和“-”；运行页面（API：/api/runs）列出所有运行。",
        "{parameter}={value} is not a run id: a run's id (or its first characters) has only letters, digits and '-'; the Runs page (API: /api/runs) lists the runs.",
    ),
    "web.error.no_job": ("没有这个任务。", "No such job."),
    "web.error.job_stopped": (
        "运行此任务的服务器进程已停止，任务未完成。",
        "The server process running this job stopped before it finished.",
    ),
    "web.error.job_internal": (
        "任务因内部错误（{kind}）未能完成；错误已记入服务器日志。",
        "The job could not finish because of an internal error ({kind}); it is in the server's log.",
    ),
    "web.error.job_hidden": (
        "任务未能完成（{code}）。错误信息可能含有客户的个人数据，只有可查看个人数据的角色（管理员、分析师）能看到全文，请联系他们。",
        "The job could not finish ({code}). Its error may quote customers' personal data, so only roles that see personal data (administrators, analysts) can read it in full: ask one of them.",
    ),
    "web.error.schedule_hidden": (
        "此步骤失败。失败原因可能含有客户的个人数据，只有可查看个人数据的角色（管理员、分析师）能看到。",
        "This step failed. Why may quote customers' personal data, so only roles that see personal data (administrators, analysts) can read it.",
    ),
    "web.error.no_customer": ("这次运行中没有客户 {id}。", "Customer {id} is not in this run."),
    # a customer id of nothing but spaces (the CLI's cli.empty_id, without its commands)
    "web.error.empty_id": (
        "客户编号为空：请给出一个客户编号（可在分群页面中找到）。",
        "The customer id is empty: give a customer's id (a segment's page lists them).",
    ),
    "web.error.empty_contact": (
        "客户编号为空：请给出客户编号、手机号或邮箱。",
        "The customer id is empty: give a customer id, or the customer's phone number or e-mail address.",
    ),
    # a customer's records are the workspace's data, not a run's
    "web.error.no_records": (
        "工作区中没有客户 {id} 的记录。",
        "The workspace holds no records of customer {id}.",
    ),
    "web.error.unknown_table": (
        "不能导入到 {table}：只能是 customers、orders 或 events。",
        "Cannot import into {table}: use customers, orders or events.",
    ),
    "web.error.no_table": (
        "没有 {table} 这个表：只能是 customers、orders 或 events。",
        "There is no table {table}: use customers, orders or events.",
    ),
    "web.error.bad_columns": (
        'columns 应是 JSON 对象：每个列名对应文件中的一个表头，如 {{"customer_id": "会员编号"}}。列名可以是：{columns}',
        'columns must be a JSON object naming one of the file\'s headers for each column, e.g. {{"customer_id": "Member no."}}. The columns are: {columns}',
    ),
    "web.error.bad_statuses": (
        "statuses 应把文件中的每个状态词（非空，最多 200 字）对应到以下之一：{allowed}",
        "statuses must give each of the file's status words (not empty, at most 200 characters) one of: {allowed}",
    ),
    "web.error.status_twice": (
        "statuses 给状态词 “{word}” 指定了两个不同的含义（去掉首尾空格后是同一个词）：请只给一个。",
        "statuses gives the status word “{word}” two different meanings (the same word once its spaces are trimmed): give one.",
    ),
    "web.error.unknown_column": (
        "没有 {name} 这一列。列名可以是：{columns}",
        "There is no column {name}. The columns are: {columns}",
    ),
    "web.error.bad_headers": (
        "headers 只能是 ids、zh 或 en（也可写作 ZH、zh-CN、en-US），而不是 {value}",
        "headers takes ids, zh or en (also written ZH, zh-CN, en-US), not {value}",
    ),
    "web.error.unknown_segment": ("没有这个客群：{segment}", "No such segment: {segment}"),
    "web.error.unknown_team": (
        "团队只能是 marketing、sales 或 service。",
        "The team must be marketing, sales or service.",
    ),
    "web.error.bad_sort": ("只能按这些列排序：{allowed}", "Sort by one of: {allowed}"),
    "web.error.locked": (
        "登录失败次数过多，请 {seconds} 秒后再试。",
        "Too many failed sign-ins: try again in {seconds} seconds.",
    ),
    "web.error.cross_site": (
        "请求不是来自本服务的页面，已拒绝。",
        "Refused: the request did not come from this server's pages.",
    ),
    "web.error.too_large": (
        "请求过大：最多 {mb} MB（可在 kequn.toml 的 [serve] 中调整）。",
        "The request is too large: at most {mb} MB ([serve] in kequn.toml sets this).",
    ),
    "web.error.bad_file_name": (
        "文件名无效：只能是文件名本身，不能包含路径。",
        "Invalid file name: give a plain file name, without a path.",
    ),
    # kequn user (CLI; registered here with the other server words)
    "user.removed": (
        "已删除用户 {name}，其令牌和会话均已失效。",
        "Removed {name}; their token and sessions no longer work.",
    ),
    "user.unknown": ("没有用户 {name}。", "There is no user {name}."),
    "user.rotated": (
        "已为 {name} 生成新令牌（旧令牌和会话已失效），只显示这一次：",
        "New token for {name} (the old one and their sessions no longer work), shown only once:",
    ),
    # navigation and common words
    "web.title": ("客群", "kequn"),
    "web.nav.overview": ("总览", "Overview"),
    "web.nav.upload": ("导入数据", "Import"),
    "web.nav.taxonomy": ("分群规则", "Taxonomy"),
    "web.nav.worklists": ("工作清单", "Worklists"),
    "web.nav.runs": ("运行记录", "Runs"),
    "web.nav.logout": ("退出", "Sign out"),
    "web.lang.switch": ("English", "中文"),
    "web.login.title": ("登录", "Sign in"),
    "web.login.token": ("访问令牌", "Access token"),
    "web.login.help": (
        "令牌由管理员用 `kequn user add 名字 --role 角色` 创建。",
        "An administrator creates tokens with `kequn user add NAME --role ROLE`.",
    ),
    "web.login.submit": ("登录", "Sign in"),
    "web.login.bad": ("令牌无效。", "That token is not valid."),
    "web.signed_in": ("{name}（{role}）", "{name} ({role})"),
    "web.customers": ("客户", "customers"),
    "web.no_run": (
        "还没有运行结果。导入数据后点击“开始运行”。",
        "No run yet. Import data, then press “Start a run”.",
    ),
    "web.no_run_analyst": (
        "还没有运行结果。有数据后点击“开始运行”（数据由管理员导入）。",
        "No run yet. Press “Start a run” once there is data (administrators import it).",
    ),
    "web.no_run_viewer": (
        "还没有运行结果。管理员或分析师导入数据并运行后，客群会显示在这里。",
        (
            "No run yet. The customer groups show here once an administrator or analyst "
            "has imported data and run it."
        ),
    ),
    "web.run.start": ("开始运行", "Start a run"),
    "web.run.running": ("正在运行：{step}", "Running: {step}"),
    "web.run.done": (
        "运行完成：{customers} 位客户",
        "Run finished: {customers} {customers:customer|customers}",
    ),
    "web.run.failed": ("运行失败：{error}", "The run failed: {error}"),
    "web.run.as_of": ("截至 {as_of} · 运行 {run_id}", "As of {as_of} · run {run_id}"),
    # a page of one run's data showing a run named by ?run= (kequn.web.run_shown)
    "web.run.not_current": (
        "这里显示的是运行 {run_id}（截至 {as_of}），不是当前运行；当前运行是 {current}（截至 {current_as_of}）。",
        "This page shows run {run_id} (as of {as_of}), not the current run: the current run is {current} (as of {current_as_of}).",
    ),
    "web.run.to_current": ("查看当前运行", "Show the current run"),
    # overview
    "web.overview.title": ("客群总览", "Customer overview"),
    "web.overview.pyramid": ("价值金字塔", "Value pyramid"),
    "web.overview.funnel": ("生命周期漏斗", "Lifecycle funnel"),
    "web.overview.rfm": ("RFM 分布（R 分 × F 分）", "RFM grid (R score × F score)"),
    # the movement chart's card: the runs it compares are named (the page may show an
    # older run: ?run=, kequn.web.run_shown), not "previous → latest"
    "web.overview.flow": ("生命周期流转", "Lifecycle movement"),
    "web.overview.flow_between": (
        "生命周期流转（截至 {before} → 截至 {after}）",
        "Lifecycle movement (as of {before} → as of {after})",
    ),
    "web.overview.flow_runs": (
        "从运行 {before} 到运行 {after}",
        "From run {before} to run {after}",
    ),
    "web.overview.flow_none": (
        "需要至少两次运行才能显示流转。",
        "Movement needs at least two runs.",
    ),
    "web.overview.flow_first": (
        "运行 {run_id}（截至 {as_of}）是时间上最早的一次运行：没有更早的运行可以与它比较。",
        "Run {run_id} (as of {as_of}) is the first in time: there is no earlier run to compare it with.",
    ),
    "web.overview.no_customers": (
        "这次运行没有客户：先导入数据，再运行一次。",
        "This run has no customers: import data, then run again.",
    ),
    "web.overview.flow_empty": (
        "运行 {before}（截至 {before_as_of}）与运行 {after}（截至 {after_as_of}）没有共同的客户，没有可显示的流转。",
        "No customer is in both run {before} (as of {before_as_of}) and run {after} (as of {after_as_of}): there is no movement to show.",
    ),
    # two runs of one as-of date (a rerun after a taxonomy edit or a re-import), as
    # `kequn history` says with history.same_as_of; web wording, no command names
    "web.overview.flow_same_day": (
        "两次运行的截至日期都是 {day}（同一天重新运行）：分群事件和旅程只把一次运行与截至日期更早的运行比较，因此这些变动不会触发它们。",
        "Both runs are as of {day} (a rerun of the same day): segment events and journeys compare a run only with a run of an earlier as-of date, so these movements do not trigger them.",
    ),
    "web.overview.models": ("预测模型与阈值", "Models and thresholds"),
    "web.overview.clusters": ("数据发现分群", "Discovered segments"),
    "web.rfm.r": ("R 分（近度）", "R score (recency)"),
    "web.rfm.f": ("F 分（频度）", "F score (frequency)"),
    # segment page
    "web.segment.strategy": ("策略", "Strategy"),
    "web.segment.team": ("负责团队", "Team"),
    "web.segment.goal": ("目标", "Goal"),
    "web.segment.members": ("成员", "Members"),
    "web.segment.search": ("按编号或名称搜索", "Search by id or name"),
    "web.segment.search_ids": ("按客户编号搜索", "Search by customer id"),
    "web.segment.export_csv": ("导出 CSV", "Export CSV"),
    "web.segment.export_xlsx": ("导出 Excel", "Export Excel"),
    "web.segment.prev": ("上一页", "Previous"),
    "web.segment.next": ("下一页", "Next"),
    "web.segment.page": ("第 {first}–{last} 位，共 {total} 位", "{first}–{last} of {total}"),
    "web.segment.past_end": (
        "这一页已超出最后一位成员（共 {total} 位）。",
        "This page is past the last member ({total} in all).",
    ),
    "web.segment.last_page": ("最后一页", "Last page"),
    # customer page
    "web.customer.labels": ("标签与原因", "Labels and reasons"),
    "web.customer.attributes": ("资料", "Profile"),
    "web.customer.predictions": ("预测", "Predictions"),
    "web.customer.orders": ("订单", "Orders"),
    "web.customer.orders_chart": ("历次订单金额", "Orders over time"),
    "web.customer.events": ("互动", "Interactions"),
    "web.customer.strategy": ("建议", "What to do"),
    # the group kequn put a customer's own value in, after the value as written:
    # 合作伙伴推荐 (Partner referral), 抖音（线上）
    "web.value.group": ("（{group}）", " ({group})"),
    # upload page
    "web.upload.title": ("导入数据", "Import data"),
    "web.upload.table": ("数据类型", "What the file holds"),
    "web.upload.file": ("文件（CSV、Excel 或 Parquet）", "File (CSV, Excel or Parquet)"),
    "web.upload.submit": ("上传并导入", "Upload and import"),
    "web.upload.create_customers": (
        "为文件中工作区还没有的客户建立客户记录（取自买家列；否则这些行被隔离）",
        (
            "Create the customers the file names that the workspace lacks (from its "
            "buyer columns; otherwise their rows are quarantined)"
        ),
    ),
    "web.upload.readonly": (
        "你的角色不能导入数据：只有管理员可以。",
        "Your role cannot import data: only administrators can.",
    ),
    "web.upload.running": ("正在导入：{step}", "Importing: {step}"),
    "web.upload.no_rows": (
        "{file} 的表头下面没有数据行：没有导入任何内容。请确认上传的是导出的数据，而不是空白模板。",
        "{file} has no rows under its header: nothing was imported. Check that this is the export with the data, not an empty template.",
    ),
    "web.upload.report": (
        "共 {total} 行：接受 {accepted} 行，隔离 {rejected} 行",
        "{total} {total:row|rows}: {accepted} accepted, {rejected} quarantined",
    ),
    "web.upload.map_title": (
        "文件中没有找到下面这些列。请为每一列选出文件中对应的表头，然后再导入一次：",
        "These columns were not found in the file. Choose which of its headers holds each, then import it again:",
    ),
    "web.upload.map_pick": ("（选择表头）", "(choose a header)"),
    "web.upload.map_submit": ("按所选的列导入", "Import with these columns"),
    "web.upload.words_title": (
        "文件中的这些订单状态 kequn 不认识，相应的订单已隔离。请说明每个状态的含义，再重新读取被隔离的行：",
        "kequn does not know these order statuses of the file, so their orders were quarantined. Say what each means, then read the quarantined rows again:",
    ),
    "web.upload.words_count": ("{count} 个订单", "{count} {count:order|orders}"),
    "web.upload.words_pick": ("（选择含义）", "(choose a meaning)"),
    "web.upload.words_submit": ("按所选含义重新读取", "Read them again with these meanings"),
    "web.upload.quarantine": ("被隔离或置空的数据", "Quarantined or emptied values"),
    "web.table.customers": ("客户", "Customers"),
    "web.table.orders": ("订单", "Orders"),
    "web.table.events": ("互动", "Interactions"),
    # taxonomy page
    "web.taxonomy.title": ("分群规则", "Taxonomy"),
    "web.taxonomy.rule": ("规则", "Rule"),
    "web.taxonomy.preview": (
        "预计匹配 {matched} 位客户（{share}）",
        "Would match {matched} customers ({share})",
    ),
    "web.taxonomy.invalid": ("规则有误：{error}", "The rule has a problem: {error}"),
    "web.taxonomy.save": ("保存规则", "Save rule"),
    "web.taxonomy.saved": ("已保存，下次运行生效。", "Saved; the next run uses it."),
    # the page edits the file's text: a layout it cannot follow is no fault of the rule
    "web.taxonomy.unfound": (
        "未保存：在 taxonomy.yaml 中找不到标签 {label} 的规则（when:）写在哪里，文件的写法本页无法处理。请直接编辑该文件。",
        "Not saved: where the rule (when:) of label {label} is written in taxonomy.yaml could not be found; the page cannot follow the file's layout. Edit the file itself.",
    ),
    "web.taxonomy.readonly": (
        "你的角色只能查看规则。",
        "Your role can read the rules but not edit them.",
    ),
    # worklists
    "web.worklist.title": ("{team}工作清单", "{team} worklist"),
    # (a team whose labels hold no one in the run: the CLI's worklist.none, shared)
    "web.runs.none": (
        "还没有运行记录：导入数据并运行分群后，每次运行都会列在这里。",
        "No runs yet: each run is listed here once data has been imported and classified.",
    ),
    # the runs page: the run read when none is named (a backfill made last is not it)
    "web.runs.current": ("当前运行", "current run"),
    "web.team.marketing": ("市场", "Marketing"),
    "web.team.sales": ("销售", "Sales"),
    "web.team.service": ("客服", "Service"),
    # columns
    "web.col.customer": ("客户", "Customer"),
    "web.col.name": ("名称", "Name"),
    "web.col.city": ("城市", "City"),
    "web.col.orders": ("订单数", "Orders"),
    "web.col.spend": ("累计消费", "Spend"),
    "web.col.recency": ("距上次购买（天）", "Days since last order"),
    "web.col.clv": ("未来一年价值", "Value next year"),
    "web.col.churn": ("流失风险", "Churn risk"),
    "web.col.p_alive": ("仍活跃的概率", "Chance still active"),
    "web.col.label": ("标签", "Label"),
    "web.col.reason": ("原因", "Reason"),
    "web.col.action": ("建议行动", "Action"),
    "web.col.date": ("时间", "Date"),
    "web.col.amount": ("金额", "Amount"),
    "web.col.channel": ("渠道", "Channel"),
    "web.col.status": ("状态", "Status"),
    "web.col.type": ("类型", "Type"),
    "web.col.row": ("行", "Row"),
    "web.col.column": ("列", "Column"),
    "web.col.count": ("人数", "Customers"),
    "web.col.share": ("占比", "Share"),
    "web.col.run": ("运行", "Run"),
    "web.col.as_of": ("截至", "As of"),
    "web.col.engine": ("引擎", "Engine"),
    "web.col.seconds": ("耗时（秒）", "Seconds"),
}

MESSAGES.update(WEB)

# the web variants of the command line's messages that name its options
from kequn.web import web_variants  # noqa: E402, F401
