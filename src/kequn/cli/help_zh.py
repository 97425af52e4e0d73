"""The Chinese of every ``--help`` text of ``kequn`` (command docstrings, ``help=`` of
options, arguments and apps), shown when the language is zh (:mod:`kequn.cli._help`).

Keyed by the English text, its whitespace made single spaces (:func:`kequn.cli._help.key`),
not by command and option: a text shared by many options (``--workspace``, ``--json``)
is translated once, and a change to an English text leaves its old Chinese unused, so the
test that every help text has its Chinese fails until the Chinese is changed too (a key
by command and option would keep showing the old meaning). Data only.

Help is Rich markup, in Chinese as in English: a kequn.toml section is written ``\\[run]``.
"""

from __future__ import annotations

#: click's "Usage: " before the usage line
USAGE_ZH = "用法："

#: the words typer's Rich help prints around the texts (names in :mod:`typer.rich_utils`)
RICH_ZH: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已弃用）",
}

#: the usage line's placeholders: a command's options, a group's command and its arguments
OPTIONS_METAVAR_ZH = "[选项]"
SUBCOMMAND_METAVAR_ZH = "命令 [参数]..."

#: the type typer shows beside an option or argument ("<int range>", "<path>"), without
#: its angle brackets; a type not here (a choice's values) is shown as typer shows it
METAVARS_ZH: dict[str, str] = {
    "str": "文本",
    "int": "整数",
    "int range": "整数",
    "float": "数值",
    "float range": "数值",
    "bool": "是/否",
    "path": "路径",
    "file": "文件",
    "dir": "文件夹",
    "list[Path]": "路径…",
}

#: a number's bounds after its type ("[1<=x<=36500]" in English)
RANGE_ZH: dict[str, str] = {
    "both": "{min} 至 {max}",
    "min": "不小于 {min}",
    "max": "不大于 {max}",
}

HELP_ZH: dict[str, str] = {
    # kequn itself, and what typer and click add to it
    "kequn (客群): classify customers the way good CRM teams do, with reasons and strategies.": "kequn（客群）：像优秀的 CRM 团队一样为客户分群，每个标签都附有原因和策略。",
    "Language of messages: zh or en.": "输出语言：zh（中文）或 en（英文）。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的补全脚本，可复制或自定义安装。",
    "Show this message and exit.": "显示此帮助并退出。",
    # options many commands share (kequn.cli._app)
    "Workspace folder (else $KEQUN_WORKSPACE, else the current folder).": "工作区文件夹（默认取 $KEQUN_WORKSPACE，未设置时为当前文件夹）。",
    "Folder to create the workspace in (the same as --workspace)": "在哪个文件夹创建工作区（与 --workspace 相同）",
    "Print machine-readable JSON.": "输出机器可读的 JSON。",
    "YYYY-MM-DD, 'latest' or 'today'": "截至日期：YYYY-MM-DD、'latest' 或 'today'",
    "Run id (or prefix); default: the run with the latest as-of date (of one date, the one made last).": "运行编号（或其前缀）；默认：截至日期最晚的运行（同一截至日期的取最后创建的一次）。",
    "Customer id": "客户编号",
    "Customer id, or the customer's phone number or e-mail address": "客户编号，或客户的手机号、邮箱",
    "marketing, sales or service": "marketing（市场营销）、sales（销售）或 service（客户服务）",
    "customers, orders or events": "customers（客户）、orders（订单）或 events（互动）",
    "User name": "用户名",
    # run, segments, show, worklist, export, history, features
    "Classify every customer along every dimension and keep a dated snapshot.": "在每个维度上为每位客户分类，并保存一份带日期的快照。",
    "duckdb (default) or spark": "计算引擎：duckdb（默认）或 spark",
    "Fit the predictive models (CLV, P(alive), churn risk, clusters)": "训练预测模型（客户终身价值 CLV、存活概率 P(alive)、流失风险、聚类分群）",
    "Fit the models again even if stored ones are fresh": "即使已保存的模型尚未过期，也重新训练",
    "Run as of a date before the earliest customer, order or interaction too": "运行日期早于最早的客户注册、订单或互动时也照样运行",
    "Customers and share per label for each dimension.": "各维度下每个标签的客户数与占比。",
    "One dimension (default: all), or 'cluster' for discovered segments": "只看一个维度（默认：全部），或用 'cluster' 查看数据发现分群",
    "Only customers having records from this source (e.g. taobao)": "只统计有该数据源记录的客户（如 taobao）",
    "Every label of one customer, with the reason and the strategy.": "一位客户的全部标签，以及各自的原因和策略。",
    "DIMENSION=LABEL, e.g. value=high: which condition fails and by how much": "维度=标签，如 value=high：显示哪个条件未满足、还差多少",
    "Ranked actions for one team: highest-priority strategy first, then the biggest spender.": "一个团队的工作清单：按策略优先级从高到低排列，同级时消费最多的客户在前。",
    "How many actions": "列出多少条行动",
    "DIMENSION=LABEL, e.g. lifecycle=dormant": "维度=标签，如 lifecycle=dormant",
    "Output .csv or .xlsx": "输出文件（.csv 或 .xlsx）",
    "Only customers who allow marketing": "只导出同意接收营销信息的客户",
    "Headers and values: ids (the default, machine-readable for other tools: column ids, codes, true/false); zh: column names, label names, named codes and yes/no in Chinese (客户编号, 忠诚客户, 是/否); en: the same in English (Customer id, Loyal, Yes/No)": (
        "表头与取值：ids（默认，供其他工具读取：列编号、代码、true/false）；zh：列名、标签、有名称的代码和真假值都用中文（客户编号、忠诚客户、是/否）；en：同样的内容用英文（Customer id、Loyal、Yes/No）"
    ),
    "Replace the output file if it exists": "输出文件已存在时覆盖它",
    "Export a segment's members to CSV or Excel (written whole, then put in place: an existing file is replaced only with --force).": "把一个客群的成员导出为 CSV 或 Excel（完整写好后再放到目标位置：已有的文件只有加 --force 才会被覆盖）。",
    "The transition matrix of a dimension between two runs: by default the run with the latest as-of date (of one date, the one made last) and the latest run of an earlier as-of date, as segment events compare (`kequn events`); only when every run has the same date, the one made before it, whose movements no event records.": "一个维度在两次运行之间的迁移矩阵：默认比较截至日期最晚的运行（同一截至日期的取最后创建的一次）与截至日期更早的最近一次运行，与分群事件（`kequn events`）的比较方式相同；只有当所有运行的截至日期都相同时，才与它之前的那次运行比较，这些变动不会记录为事件。",
    "An exclusive dimension, e.g. lifecycle": "一个互斥维度，如 lifecycle",
    "Earlier run id (alone: compared with the current run)": "较早一次运行的编号（只给它时与当前运行比较）",
    "Later run id (alone: compared with the run before it in time)": "较晚一次运行的编号（只给它时与时间上的前一次运行比较）",
    "List the names rules may use, with their meaning: the catalogue's, and the thresholds of the workspace's taxonomy.": "列出规则中可以使用的名称及其含义：特征目录中的名称，以及工作区分类体系中的阈值。",
    # taxonomy, clv
    "Inspect and validate the workspace taxonomy.": "查看并校验工作区的分群规则。",
    "Validate a taxonomy file: shape, every rule's names and operators, thresholds.": "校验分群规则文件：结构、每条规则用到的名称和运算符、阈值。",
    "Taxonomy file (default: the workspace's)": "分群规则文件（默认：工作区的）",
    "Customer lifetime value models (BG/NBD + Gamma-Gamma).": "客户终身价值（CLV）模型（BG/NBD + Gamma-Gamma）。",
    "Fit BG/NBD + Gamma-Gamma and compare predicted with actual holdout transactions.": "训练 BG/NBD + Gamma-Gamma 模型，并对比验证期的预测交易与实际交易。",
    "CSV with customer id, date and amount columns": "含客户编号、日期和金额列的 CSV 文件",
    "YYYY-MM-DD": "校准期结束日期，YYYY-MM-DD",
    "YYYY-MM-DD (default: last date)": "验证期结束日期，YYYY-MM-DD（默认：数据中的最后日期）",
    "Save a PNG of cumulative predicted vs actual": "保存累计预测与实际对比图（PNG）",
    # init, import, quarantine, status, demo
    "Create a workspace: kequn.toml, an empty database and an editable taxonomy.": "创建工作区：kequn.toml、一个空数据库和一份可编辑的分群规则。",
    "The business's home city (for local/elsewhere).": "商家所在城市（用于区分本地与外地客户）。",
    "Home province.": "商家所在省份。",
    "Home country code.": "商家所在国家的代码。",
    "Currency of amounts.": "金额的币种。",
    "Time zone of the business.": "商家所在时区。",
    "Validate a file (or a database table or query) and upsert its good rows; bad rows go to the quarantine with reasons.": "校验一个文件（或数据库表、查询）并写入其中的有效行（新增或更新）；有问题的行连同原因放入隔离区。",
    "CSV, Excel (.xlsx, .xls) or Parquet file (or: --from)": "CSV、Excel（.xlsx、.xls）或 Parquet 文件（或用 --from 读取数据库）",
    "YAML mapping file: columns: {canonical: header}": "YAML 映射文件：columns: {标准列名: 文件表头}",
    "Override the detected encoding (e.g. gb18030)": "指定文件编码，代替自动检测的结果（如 gb18030）",
    "How to read 03/01/2025": "如何解读 03/01/2025：日在前，还是月在前",
    "Derive customers from an order export's buyer columns (default: when the workspace has no customers yet)": "从订单导出文件的买家列生成客户（默认：工作区还没有客户时生成）",
    "Platform export format (taobao, taobao_lines, taobao_refunds, jd, pdd, douyin, kuaishou, youzan, weidian, xiaohongshu, weixin_shop, shopify, woocommerce, woocommerce_aoe, amazon, generic); default: detected from the headers": "平台导出格式（taobao、taobao_lines、taobao_refunds、jd、pdd、douyin、kuaishou、youzan、weidian、xiaohongshu、weixin_shop、shopify、woocommerce、woocommerce_aoe、amazon、generic）；默认：根据表头自动识别",
    "Row holding the headers (default: detected)": "表头所在的行（默认：自动识别）",
    "Excel sheet to read (default: detected)": "要读取的 Excel 工作表（默认：自动识别）",
    "The named source the records come from (e.g. tmall_flagship): its ids are its own, stored as NAME:ID. Default: a platform export is its platform's source (taobao, jd, ...); other files keep their ids as given": "记录所属的命名数据源（如 tmall_flagship）：编号只在该数据源内有效，保存为 名称:编号。默认：平台导出文件归入其平台的数据源（taobao、jd 等）；其他文件的编号保持原样",
    "Keep a platform export's ids as given instead of making it its platform's source": "平台导出文件的编号保持原样，不归入其平台的数据源",
    "Read a database: postgresql://user@host/db or mysql://user@host/db (no password here: use --url-env or --url-file)": "读取数据库：postgresql://user@host/db 或 mysql://user@host/db（不要在这里写密码：请用 --url-env 或 --url-file）",
    "Environment variable holding the database URL": "存放数据库地址的环境变量",
    "File (mode 0600) whose first line is the database URL": "第一行是数据库地址的文件（权限须为 0600）",
    "Database table to read (schema.table)": "要读取的数据库表（schema.table）",
    "SQL query to run on the database instead": "改为在数据库上执行的 SQL 查询",
    "Then classify every customer, as `kequn run` does (stored models reused while fresh), in the same process: a nightly job's import and run in one start": "导入后在同一进程中接着为每位客户分类，与 `kequn run` 相同（已保存的模型在有效期内沿用）：夜间任务启动一次即可完成导入和运行",
    "Rejected rows and emptied values; `retry` reads rejected rows again.": "被拒绝的行和被置空的值；`retry` 重新读取被拒绝的行。",
    "Only this table": "只看这张表",
    "Most rows to show": "最多显示多少行",
    "Read the quarantined rows again (after a mapping changed), with no re-upload.": "重新读取隔离区中的行（例如修改映射之后），无需重新上传文件。",
    "YAML mapping file, e.g. statuses: {待发货: paid}": "YAML 映射文件，如 statuses: {待发货: paid}",
    "Platform export format": "平台导出格式",
    "Counts of customers, orders, events, quarantine, recent imports and runs.": "客户、订单、互动和隔离区的数量，以及最近的导入和运行。",
    "Generate realistic demo data (or read your order exports with --from), import it, and classify it at two dates a quarter apart.": "生成逼真的演示数据（或用 --from 读取你自己的订单导出文件）并导入，然后在相隔一个季度的两个日期分别分类。",
    "Where to create the demo workspace": "演示工作区的创建位置",
    "How many customers to generate": "生成多少位客户",
    "Random seed": "随机种子",
    "Classify at two dates a quarter apart": "在相隔一个季度的两个日期分别分类",
    "Build the demo from your own order export(s) instead of generated data (淘宝/天猫, 京东, 拼多多, Shopify … detected from the headers); repeat for several": "用你自己的订单导出文件代替生成的数据来搭建演示（淘宝/天猫、京东、拼多多、Shopify……根据表头自动识别）；多个文件可重复此选项",
    "Also play the demo's journeys (a win-back message with an effect built into the data, a care message without) and show what `kequn journeys report` finds": "同时演练演示的旅程（一条召回消息，数据中预置了效果；一条关怀消息，没有预置效果），并展示 `kequn journeys report` 的结论",
    # sync, sources
    "Pull saved database sources (\\[sources.NAME] in kequn.toml) incrementally by their watermark column; each pull is an import (validated, quarantined, atomic, upserted).": "按水位列增量拉取已保存的数据库数据源（kequn.toml 中的 \\[sources.NAME]）；每次拉取都是一次导入（校验、问题行进入隔离区、原子写入、新增或更新）。",
    "The source to pull (default: every source in kequn.toml)": "要拉取的数据源（默认：kequn.toml 中的全部数据源）",
    "Read everything again, not only from the watermark": "全部重新读取，而不只是读取水位之后的数据",
    "List the saved sources: kind, table or query, watermark and the last sync (never the URL or its credentials).": "列出已保存的数据源：类型、表或查询、水位和上次同步（从不显示地址及其凭据）。",
    # events, journeys, digests, delivery
    "Segment events: who entered or left each label, each run against the latest run of an earlier as-of date (counts match `kequn history`); a rerun of the same as-of date records none against the first run of that date.": "分群事件：每次运行与截至日期更早的最近一次运行相比，谁进入或离开了各个标签（数量与 `kequn history` 一致）；同一截至日期的重新运行不会相对于该日期的第一次运行记录事件。",
    "e.g. lifecycle": "维度，如 lifecycle",
    "Customers who entered this label": "进入该标签的客户",
    "Customers who left this label": "离开该标签的客户",
    "Runs as of this date or later": "截至日期不早于此日期的运行",
    "Runs as of this date or earlier": "截至日期不晚于此日期的运行",
    "Run id (or prefix); default: every run's events.": "运行编号（或其前缀）；默认：所有运行的事件。",
    "One customer's events": "只看这位客户的事件",
    "How many events to list": "列出多少条事件",
    "Journeys: who gets which message when their segment changes.": "旅程：客户所在客群变化时，谁收到哪条消息。",
    "Validate journeys.yaml: channels, triggers, rules against the catalogue, templates.": "校验 journeys.yaml：渠道、触发条件、规则（对照可用名称目录）和消息模板。",
    "Default: the workspace's journeys.yaml": "默认：工作区的 journeys.yaml",
    "The workspace's journeys and their settings (secrets are never shown).": "工作区的旅程及其设置（从不显示密钥）。",
    "Compute a run's events and plan its journeys now (done after every run; use this for a run published before journeys.yaml existed, or after fixing it). Safe to repeat.": "立即计算一次运行的事件并规划其旅程（每次运行后都会自动进行；用于 journeys.yaml 创建之前发布的运行，或修正 journeys.yaml 之后）。可以重复执行。",
    "Replace an edited taxonomy too (it is kept beside)": "已修改过的分类体系也替换（旧文件保留在旁边）",
    "Replace the workspace's taxonomy.yaml with the default this kequn ships, when it is an unedited copy of an earlier default (an edited one only with --force); the old file is kept beside it.": "当工作区的 taxonomy.yaml 是旧版默认分类体系的未修改副本时，换成当前 kequn 附带的默认版本（修改过的只在加 --force 时替换）；旧文件保留在旁边。",
    "Also plan journeys on movements in dimensions whose rules changed since the run before (held otherwise)": "也为规则自上次运行后有改动的维度中的分群变动规划旅程（默认暂缓）",
    "Does it work? Treated vs holdout per journey: conversion, revenue, 95% intervals.": "有没有效果？逐个旅程对比处理组与对照组：转化率、收入及 95% 置信区间。",
    "Conversion window (default: each journey's)": "转化窗口天数（默认：各旅程自己的设置）",
    "Team digests: what moved in a run, per team, sent to the team's group robot.": "团队摘要：一次运行中的客群变动，按团队汇总，发送到团队的群机器人。",
    "A run's team digests as queued for the robots, in the chosen language (--lang).": "一次运行已排队等待群机器人发送的团队摘要，以所选语言（--lang）显示。",
    "Queue a run's team digests now (done after every run; for a run published before digests were configured). A team's digest for a run is queued once.": "立即为一次运行生成团队摘要并放入发件箱（每次运行后都会自动进行；用于配置团队摘要之前发布的运行）。同一次运行，每个团队的摘要只排队一次。",
    "Send the outbox's due messages, with retries, backoff and dead letters.": "发送发件箱中到期的消息：失败后退避重试，多次失败转入死信。",
    "Keep running, waiting for new messages": "持续运行，等待新消息",
    "Messages per batch": "每批发送的消息数",
    "Seconds a claimed batch stays claimed": "一批消息被领取后保持锁定的秒数",
    "With --watch: seconds between looks": "配合 --watch：两次检查之间间隔的秒数",
    "Stop after this long": "运行这么多秒后停止",
    "Queue a dead-lettered message again (its id)": "把一条死信消息重新排队（给出消息编号）",
    "Messages per journey, channel and status; with --status, the messages themselves.": "按旅程、渠道和状态统计消息数；加 --status 时列出消息本身。",
    "pending, sending, sent, dead or cancelled": "pending（待发送）、sending（发送中）、sent（已发送）、dead（死信）或 cancelled（已取消）",
    "How many messages to list": "列出多少条消息",
    "Record an opt-out from an unsubscribe link's token (what confirming the link's page does).": "按退订链接中的令牌记录退订（与在链接页面上确认退订的效果相同）。",
    "The token from an e-mail's unsubscribe link": "邮件退订链接中的令牌",
    # identity
    "Identity resolution: link customer records of all sources into persons, review links.": "身份识别：把各数据源的客户记录关联为人，并复核这些关联。",
    "Link every customer record to a person: deterministic keys, then the stored splink model (trained on the first run); people's decisions apply.": "把每条客户记录关联到一个人：先按确定性键匹配，再用已保存的 splink 模型（首次运行时训练）；人工做出的决定始终生效。",
    "Train the model again (EM) instead of reusing it": "重新训练模型（EM），而不沿用已保存的模型",
    "Uncertain pairs, most probable first, with their evidence. Decide with ``kequn identity confirm A B`` or ``reject A B``.": "不确定的记录对及其证据，可能性最高的在前。用 ``kequn identity confirm A B`` 或 ``reject A B`` 做出决定。",
    "At most this many pairs": "最多列出多少对",
    "Two records are the same person (kept so in every later run).": "确认两条记录是同一个人（之后每次运行都保持）。",
    "Customer record id (as imported, e.g. tmall:C001)": "客户记录编号（与导入时一致，如 tmall:C001）",
    "Two records are different people (kept apart in every later run and import).": "确认两条记录不是同一个人（之后每次运行和导入都保持分开）。",
    "Undo a person: each of its records (or the one record named) stands alone, until a person confirms a pair again.": "拆开一个人：其每条记录（或只是指定的那一条）各自独立，直到有人再次确认某一对记录。",
    "A person id (P…) or a customer record id": "人员编号（P…）或客户记录编号",
    # privacy, runs
    "Personal data: export or erase one person, purge old quarantined rows.": "个人数据：导出或删除某个人的数据，清除过期的隔离行。",
    "Everything held about one person: customer rows, orders, order lines, interactions, rejected rows mentioning them, and their labels in every stored run.": "关于某个人的全部数据：客户行、订单、订单明细、互动记录、提到此人的被拒绝行，以及此人在每次已保存运行中的标签。",
    "Write JSON here (default: stdout)": "把 JSON 写入此文件（默认：标准输出）",
    "Erase one person from the data, every run, job reports and staged files; the audit log keeps a pseudonymous reference that it happened. Cannot be undone.": "从数据、每次运行、任务报告和暂存文件中删除某个人；审计日志仅以假名化的引用记录这次删除。无法撤销。",
    "Do not ask (asked only on a terminal)": "不再询问确认（只在终端中才会询问）",
    "Remove quarantined rows of imports older than the retention period.": "删除隔离区中超过保留期的导入所留下的行。",
    "Older than this (default: quarantine_days under \\[privacy])": "删除超过这么多天的（默认：\\[privacy] 中的 quarantine_days）",
    "Count the quarantined rows that would be removed; remove nothing.": "只统计将删除的隔离行数，不删除任何数据。",
    "Stored classification runs.": "已保存的分类运行。",
    "Delete a stored run and its lookup files.": "删除一次已保存的运行及其查找文件。",
    "Run id (or unique prefix)": "运行编号（或唯一的前缀）",
    "Remove old runs (every run of the last days is kept, and one a month before) and old segment events, each by its own period (kequn.toml's, or the one given).": "删除旧的运行（最近若干天的运行全部保留，更早的每月保留一次）和旧的分群事件，各按自己的保留期（kequn.toml 中的设置，或在此给出的）。",
    "Keep every run of this many days before the newest run's as-of date (default: keep_runs_days under \\[run] in kequn.toml).": "保留最新一次运行截至日期之前这么多天内的全部运行（默认：kequn.toml 中 \\[run] 的 keep_runs_days）。",
    "Before those days, keep the last run of each month (default: keep_monthly_runs, true).": "在这些天之前，每月保留最后一次运行（默认：keep_monthly_runs，即 true）。",
    "Keep the segment events of this many days before the newest run's as-of date (default: keep_events_days under \\[run] in kequn.toml).": "保留最新一次运行截至日期之前这么多天内的分群事件（默认：kequn.toml 中 \\[run] 的 keep_events_days）。",
    "List the runs and count the events that would go; remove nothing.": "列出将被删除的运行、统计将被删除的事件，但不删除任何内容。",
    # serve, schedule, user
    "Serve the REST API (/api, described at /openapi.json) and the dashboard; carry out the schedule.": "提供 REST API（/api，接口说明见 /openapi.json）和看板，并执行定时任务。",
    "Address to listen on": "监听地址",
    "Port to listen on": "监听端口",
    "Server processes (more use more cores for pages)": "服务进程数（越多，页面可用的 CPU 核越多）",
    "Carry out \\[schedule] of kequn.toml and send due messages while serving": "服务期间执行 kequn.toml 中 \\[schedule] 的定时任务，并发送到期的消息",
    "Jobs in \\[schedule] of kequn.toml (sync, run, deliver at set times), carried out by kequn serve.": "kequn.toml 中 \\[schedule] 的定时任务（按设定时间同步、运行、发送），由 kequn serve 执行。",
    "Each job: when it runs, its steps, the next time, the last run's outcome.": "每个定时任务：何时执行、有哪些步骤、下次执行时间、上次执行结果。",
    "Run a job now, under the same lock as kequn serve (skipped if it runs elsewhere).": "立即执行一个定时任务，与 kequn serve 使用同一把锁（若它正在别处执行则跳过）。",
    "The job (\\[schedule] NAME in kequn.toml)": "任务名（kequn.toml 中的 \\[schedule] NAME）",
    "Users of the API and dashboard, and their tokens.": "API 和看板的用户及其令牌。",
    "Create a user (or replace their token) and print the token once.": "创建用户（或替换其令牌），令牌只显示这一次。",
    "admin, analyst or viewer": "admin（管理员）、analyst（分析师）或 viewer（只读）",
    "Users, their roles and open dashboard sessions (never their tokens).": "用户、角色和当前打开的看板会话（从不显示令牌）。",
    "Remove a user: their token stops working and their dashboard sessions end.": "删除用户：其令牌失效，看板会话随之结束。",
    "Give a user a new token (printed once); the old one and their sessions stop working.": "为用户生成新令牌（只显示一次）；旧令牌及其会话随即失效。",
}

#: the words typer prints around a usage error (names in :mod:`typer.rich_utils`)
ERRORS_ZH: dict[str, str] = {
    "ERRORS_PANEL_TITLE": "错误",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "ABORTED_TEXT": "已中止。",
}

#: click's and typer's usage errors (typer 0.29's own copy of click, which has no
#: translations), as patterns on the English message and its Chinese; matched in
#: order, the whole message; ``{inner}`` is the part after "Invalid value for X:",
#: itself put through :data:`VALUE_ERRORS_ZH`
USAGE_ERRORS_ZH: list[tuple[str, str]] = [
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
        "没有这个选项：{name}（可用的选项：{options}）",
    ),
    (r"No such option: (?P<name>.+)", "没有这个选项：{name}"),
    (
        r"No such command '(?P<name>.*)'\. Did you mean (?P<like>.+)\?",
        "没有这个命令：'{name}'。你是不是想用 {like}？",
    ),
    (r"No such command '(?P<name>.*)'\.", "没有这个命令：'{name}'。"),
    (r"Missing command\.", "缺少命令。"),
    (
        r"Missing argument (?P<name>.+?)\. Choose from:(?P<choices>.*)",
        "缺少参数 {name}。可选：{choices}",
    ),
    (r"Missing argument (?P<name>.+?)\.", "缺少参数 {name}。"),
    (
        r"Missing option (?P<name>.+?)\. Choose from:(?P<choices>.*)",
        "缺少选项 {name}。可选：{choices}",
    ),
    (r"Missing option (?P<name>.+?)\.", "缺少选项 {name}。"),
    (r"Missing parameter (?P<name>.+?)\.", "缺少参数 {name}。"),
    (r"Option (?P<name>'.+') requires an argument\.", "选项 {name} 需要一个值。"),
    (r"Option (?P<name>'.+') requires (?P<n>\d+) arguments\.", "选项 {name} 需要 {n} 个值。"),
    (r"Option (?P<name>'.+') does not take a value\.", "选项 {name} 不接受值。"),
    (r"Got unexpected extra argument\(s\) \((?P<extra>.*)\)", "多余的参数：{extra}"),
    (r"Invalid value for (?P<name>.+?): (?P<inner>.*)", "{name} 的值无效：{inner}"),
    (r"Invalid value: (?P<inner>.*)", "值无效：{inner}"),
]

#: what a value was wrong about (after "Invalid value for X:"): typer's checks of paths
#: and choices, pydantic's of numbers
VALUE_ERRORS_ZH: list[tuple[str, str]] = [
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be a valid boolean.*", "应为 true 或 false"),
    (r"Input should be greater than or equal to (?P<n>.+)", "应大于或等于 {n}"),
    (r"Input should be greater than (?P<n>.+)", "应大于 {n}"),
    (r"Input should be less than or equal to (?P<n>.+)", "应小于或等于 {n}"),
    (r"Input should be less than (?P<n>.+)", "应小于 {n}"),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", "{value} 不是可选值（{choices}）之一。"),
    (r"(?:path|file|directory) (?P<path>'.*') does not exist\.", "{path} 不存在。"),
    (r"(?:path|file|directory) (?P<path>'.*') is a directory\.", "{path} 是文件夹，需要文件。"),
    (r"(?:path|file|directory) (?P<path>'.*') is a file\.", "{path} 是文件，需要文件夹。"),
    (r"(?:path|file|directory) (?P<path>'.*') is not readable\.", "{path} 不可读。"),
    (r"(?:path|file|directory) (?P<path>'.*') is not writable\.", "{path} 不可写。"),
]
