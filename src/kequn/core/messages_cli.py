"""Messages of the command line's tables, checks and refusals, and of the operating
system's errors, as (中文, English) templates by key: data only, merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

CLI: dict[str, tuple[str, str]] = {
    "ws.waiting": (
        "另一个进程正在写入工作区，等待它完成（最多 {seconds} 秒）……",
        "Another process is writing to the workspace; waiting for it to finish (up to {seconds} s)…",
    ),
    "error.os.denied": ("没有权限", "permission denied"),
    "error.os.missing": ("文件或文件夹不存在", "no such file or folder"),
    "error.os.is_dir": ("这是一个文件夹，需要的是文件", "it is a folder where a file is needed"),
    "error.os.not_dir": (
        "路径中有一段是文件，而不是文件夹",
        "part of the path is a file, not a folder",
    ),
    "error.os.exists": ("已经存在", "it already exists"),
    "error.os.full": ("磁盘已满", "the disk is full"),
    "error.os.quota": ("磁盘配额已用完", "the disk quota is used up"),
    "error.os.too_large": (
        "文件超出了文件系统或进程允许的大小",
        "the file is larger than the file system or the process allows",
    ),
    "error.os.read_only": ("只读文件系统", "the file system is read-only"),
    "error.os.name_too_long": (
        "名称过长（文件系统不接受这么长的文件名或路径）",
        "the name is too long (the file system takes no file name or path that long)",
    ),
    "error.os.loop": (
        "路径中的符号链接构成循环",
        "the path's symbolic links form a loop",
    ),
    "taxonomy.not_mapping": (
        "{file} 不是分类体系：顶层应为 dimensions:、thresholds: 等键（参考工作区的 taxonomy.yaml）。",
        "{file} is not a taxonomy: its top level should be keys such as dimensions: and thresholds: (see the workspace's taxonomy.yaml).",
    ),
    "privacy.run_id_empty": (
        "没有给出运行编号：写出要删除的运行编号（`kequn status` 列出全部运行）。",
        "No run id given: name the run to delete (`kequn status` lists the runs).",
    ),
    "models.status.few_buyers": ("买家少于 {minimum} 位", "fewer than {minimum} buyers"),
    "models.status.one_group": (
        "买家的购买行为只构成一个群体",
        "the buyers' behaviour forms a single group",
    ),
    "models.status.without_models": ("本次运行未使用模型", "the run was made without models"),
    "models.status.not_run": ("未运行", "not run"),
    # after a name that is not there, the nearest that is (kequn.core.i18n.did_you_mean)
    "cli.did_you_mean": ("；是否想写 {close}？", "; did you mean {close}?"),
    "segments.unknown_label": (
        "维度 {dimension} 没有标签 {label}；可选：{known}",
        "The dimension {dimension} has no label {label}; known: {known}",
    ),
    "show.run": ("（运行 {run_id}，截至 {as_of}）", "  (run {run_id}, as of {as_of})"),
    "export.bad_segment": (
        "客群应写作 维度=标签，例如 lifecycle=dormant，而不是 {segment}",
        "Write the segment as DIMENSION=LABEL, e.g. lifecycle=dormant, not {segment}",
    ),
    "export.bad_suffix": (
        "导出文件须以 .csv 或 .xlsx 结尾，而不是 {file}（例如 {stem}.xlsx）",
        "An export is written as .csv or .xlsx, not {file} (e.g. {stem}.xlsx)",
    ),
    "export.bad_headers": (
        "--headers 只能是 ids、zh 或 en，而不是 {value}",
        "--headers takes ids, zh or en, not {value}",
    ),
    "taxonomy.checked": (
        "{path}：{dimensions} 个维度、{labels} 个标签、{thresholds} 个阈值（版本 {version}）",
        "{path}: {dimensions} dimensions, {labels} labels, {thresholds} thresholds (version {version})",
    ),
    "col.sessions": ("打开的会话", "sessions"),
    "sources.col.source": ("数据源", "source"),
    "sources.col.kind": ("导入到", "kind"),
    "sources.col.reads": ("读取", "reads"),
    "sources.col.credentials": ("地址来自", "credentials"),
    "sources.col.watermark_column": ("水位列", "watermark column"),
    "sources.col.watermark": ("水位", "watermark"),
    "sources.col.synced_at": ("上次同步", "synced at"),
    "sources.reads_table": ("表 {table}", "table {table}"),
    "sources.reads_query": ("查询", "query"),
    "sources.cred_env": ("环境变量 {var}", "env {var}"),
    "sources.cred_file": ("文件 {file}", "file {file}"),
    "sources.cred_url": ("kequn.toml 中的地址", "url in kequn.toml"),
    "events.col.as_of": ("截至", "as of"),
    "events.col.run_id": ("运行", "run"),
    "events.col.dimension": ("维度", "dimension"),
    "events.col.label": ("标签", "label"),
    "events.col.change": ("变化", "change"),
    "events.col.customers": ("客户数", "customers"),
    "events.col.customer_id": ("客户", "customer"),
    "events.col.from": ("原标签", "from"),
    "events.col.to": ("新标签", "to"),
    "events.change.entered": ("进入", "entered"),
    "events.change.left": ("离开", "left"),
    "cli.bad_lang": (
        "--lang 只能是 zh 或 en，而不是 {value}",
        "--lang takes zh or en, not {value}",
    ),
    "cli.bad_choice": ("没有 {value}：可选 {known}", "There is no {value}: use one of {known}"),
    "clv.bad_date": ("日期应写作 YYYY-MM-DD，而不是 {value}", "a date is YYYY-MM-DD, not {value}"),
    "clv.plot_needs_matplotlib": (
        "绘图需要 matplotlib，它不随 kequn 安装：先运行 pip install matplotlib，或去掉 --plot",
        "the plot is drawn with matplotlib, which kequn does not install: pip install matplotlib first, or leave out --plot",
    ),
    "clv.column.customer": ("客户编号", "customer id"),
    "clv.column.date": ("日期", "date"),
    "clv.column.amount": ("金额", "amount"),
    "clv.no_column": (
        "{file} 没有{what}列：表头应为 {wanted} 之一，文件中是 {found}。",
        "{file} has no {what} column: name one of {wanted}; the file has {found}.",
    ),
    "clv.no_rows": (
        "{file} 没有交易记录（只有表头或为空）。",
        "{file} holds no transactions (only a header, or nothing).",
    ),
    "clv.holdout_before": (
        "检验期结束日 {holdout_end} 不晚于校准期结束日 {calibration_end}：把 --calibration-end 设得更早，或给出更晚的 --holdout-end。",
        "The holdout ends on {holdout_end}, not after the calibration end {calibration_end}: give an earlier --calibration-end or a later --holdout-end.",
    ),
    "clv.unreadable": (
        "{file} 无法按 UTF-8 编码的 CSV 读取{where}：请另存为 UTF-8 编码的 CSV，含客户编号、日期和金额列。",
        "{file} cannot be read as a UTF-8 CSV{where}: save it as CSV (UTF-8) with customer id, date and amount columns.",
    ),
    "clv.unreadable.line": ("（第 {line} 行）", " (line {line})"),
    "clv.bad_value": (
        "{file} 第 {row} 行 {column} 列的值“{value}”不是{what}（文件中共 {count} 个）。",
        "{file}, row {row}, column {column}: “{value}” is not a {what} (such values in the file: {count}).",
    ),
    "clv.kind.date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD)"),
    "clv.kind.number": ("数字", "number"),
    "clv.cannot_fit": (
        "{file} 中截至 {calibration_end} 的交易不足以拟合模型（{detail}）：需要更多有复购的客户，或更晚的 --calibration-end。",
        "The transactions in {file} up to {calibration_end} are too few to fit the models ({detail}): more customers with repeat purchases are needed, or a later --calibration-end.",
    ),
    "privacy.confirm_erase": (
        "从 {path} 中删除 {id} 的全部数据？此操作无法撤销",
        "Erase {id} from {path}? This cannot be undone",
    ),
    "privacy.several": (
        "有 {n} 位客户的手机号或邮箱是 {contact}：{ids}。请用其中一个客户编号重新执行。",
        "{n} customers have the phone or e-mail {contact}: {ids}. Run again with one of these ids.",
    ),
    "privacy.by_contact": (
        "{contact} 是客户 {id} 的手机号或邮箱。",
        "{contact} is the phone or e-mail of customer {id}.",
    ),
    "demo.not_empty": (
        "{path} 不是空文件夹，下次运行演示时会删除其中的内容：请用 -w 指定一个新的或空的文件夹。",
        "{path} is not empty, and the demo would delete what it holds the next time it runs there: name a new or empty folder with -w.",
    ),
    "demo.from_inside": (
        "{file} 位于演示工作区 {path} 中，演示重建工作区时会先删除它：请把它移到工作区之外，或用 -w 指定另一个文件夹。",
        "{file} is inside the demo workspace {path}, which the demo deletes before it rebuilds it: move the file out of it, or name another folder with -w.",
    ),
    "demo.not_a_demo": (
        "{path} 是一个不是由 kequn demo 创建的工作区，演示会删除其中的数据：请用 -w 指定另一个文件夹（若确实不再需要它，请自行删除）。",
        "{path} is a workspace kequn demo did not make, and the demo would delete its data: name another folder with -w (or delete it yourself if it is no longer needed).",
    ),
    # what `kequn privacy erase` counts (the keys of kequn.privacy.erase_person's "removed")
    "privacy.removed.customers": ("客户记录 {n}", "customer records {n}"),
    "privacy.removed.orders": ("订单 {n}", "orders {n}"),
    "privacy.removed.order_lines": ("订单明细 {n}", "order lines {n}"),
    "privacy.removed.aftersale_refunds": (
        "售后导出的退款 {n}",
        "refunds from after-sale exports {n}",
    ),
    "privacy.removed.events": ("互动 {n}", "interactions {n}"),
    "privacy.removed.identity": ("身份识别记录 {n}", "identity records {n}"),
    "privacy.removed.quarantine": ("隔离行 {n}", "quarantined rows {n}"),
    "privacy.removed.run_labels": ("运行中的标签 {n}", "labels in runs {n}"),
    "privacy.removed.lookup_files": ("查询文件 {n}", "lookup files {n}"),
    "privacy.removed.feature_state": ("特征状态 {n}", "feature state rows {n}"),
    "privacy.removed.job_reports": ("任务报告 {n}", "job reports {n}"),
    "privacy.removed.staged_files": ("暂存文件 {n}", "staged files {n}"),
    "privacy.removed.db": (
        "分群事件、发件箱与退订记录 {n}",
        "segment events, outbox and opt-outs {n}",
    ),
    "privacy.removed.digest": ("团队摘要 {n}", "team digests {n}"),
    "privacy.removed.drops": ("投递文件 {n}", "drop files {n}"),
    "privacy.removed.old_data_copies_left": ("旧数据副本 {n}", "old data copies {n}"),
    "privacy.removed.audit_entries": ("审计记录 {n}", "audit entries {n}"),
    "journeys.not_mapping": (
        "{where}：应为含 channels（渠道）与 journeys（旅程）的映射",
        "{where}: expected a mapping with channels and journeys",
    ),
    "journeys.none": (
        "journeys.yaml 中还没有旅程。",
        "journeys.yaml defines no journeys yet.",
    ),
    "journeys.report.none": (
        "还没有旅程把客户分入干预组或对照组，暂无效果可比较。",
        "No journey has put anyone in a treated or holdout group yet: there is no uplift to compare.",
    ),
    "outbox.empty": ("发件箱为空。", "The outbox is empty."),
    # kequn worklist, and the dashboard's worklist page, of a team no label's strategy
    # names or whose labels hold no one in the run
    "worklist.none": (
        "本次运行中没有需要{team}团队跟进的客户：分群规则里交给该团队的标签下都没有客户。",
        "No customer in this run is for the {team} team: the labels whose strategy is the team's hold no one.",
    ),
    "user.none": (
        "还没有用户：用 `kequn user add 名称 --role admin` 创建（会显示一次令牌）。",
        "No users yet: create one with `kequn user add NAME --role admin` (it prints a token once).",
    ),
    "journeys.col.id": ("编号", "id"),
    "journeys.col.name": ("名称", "name"),
    "journeys.col.trigger": ("触发", "trigger"),
    "journeys.col.channel": ("渠道", "channel"),
    "journeys.col.holdout": ("对照组", "holdout"),
    "journeys.col.enabled": ("启用", "enabled"),
    "journeys.trigger.entered": ("进入 {segment}", "entered {segment}"),
    "journeys.trigger.left": ("离开 {segment}", "left {segment}"),
    "journeys.report.title": ("{name}（{id}），{days} 天", "{name} ({id}), {days} d"),
    "journeys.report.customers": ("客户数", "customers"),
    "journeys.report.conversion": ("转化率", "conversion"),
    "journeys.report.revenue": ("人均收入", "revenue / customer"),
    "journeys.report.treated": ("干预组", "treated"),
    "journeys.report.holdout": ("对照组", "holdout"),
    "journeys.report.difference": ("差（95% 置信区间）", "Δ (95% CI)"),
    "run.features_missing": (
        (
            "运行 {run_id} 缺少客户特征文件 {file}（与标签一起写入）：从备份恢复该运行的文件夹，"
            "或删除它（kequn runs delete {run_id}）后重新运行。"
        ),
        (
            "Run {run_id} is missing its features file {file} (written with its labels): "
            "restore the run's folder from a backup, or delete it (kequn runs delete "
            "{run_id}) and run again."
        ),
    ),
    "run.attributes_missing": (
        (
            "运行 {run_id} 缺少客户属性文件 {file}（姓名、城市等，与特征一起写入）：从备份恢复该运行的"
            "文件夹，或删除它（kequn runs delete {run_id}）后重新运行。"
        ),
        (
            "Run {run_id} is missing its attributes file {file} (names, cities and the like, "
            "written with its features): restore the run's folder from a backup, or delete it "
            "(kequn runs delete {run_id}) and run again."
        ),
    ),
    # the steps of a run or an import, as the CLI's spinner and the dashboard's jobs say them
    "job.step.features": ("计算特征、模型与标签", "computing features, models and labels"),
    "job.step.publish": ("保存结果", "saving the results"),
    "job.step.lookups": ("准备看板", "preparing the dashboard"),
    "job.step.read": ("读取文件", "reading the file"),
    "job.step.validate": ("校验数据", "validating the rows"),
    "job.step.write": ("写入工作区", "writing to the workspace"),
    "demo.run_step": ("{day} 的运行：{step}", "run {day}: {step}"),
    "demo.journeys": ("演示旅程", "playing the journeys"),
    "run.future": (
        "截至日期 {as_of} 晚于今天（{today}）：客户按到那天为止都没有再购买来分群（如果是输错了日期，请重新运行）。",
        "The as-of date {as_of} is after today ({today}): customers are classified as if nobody buys until then (if the date was mistyped, run again).",
    ),
    "run.empty": (
        "这次运行没有任何客户：请先导入客户或订单（kequn import），或检查 --as-of 日期是否早于数据。",
        (
            "This run has no customers: import customers or orders first (kequn import), or check "
            "that --as-of is not before the data."
        ),
    ),
    # pydantic's validation errors, by kind (kequn.core.validation)
    "validation.missing": ("缺少必填项", "required, but missing"),
    "validation.extra": ("不认识的字段（是否拼错了？）", "not a known field (a typo?)"),
    "validation.text": ("应为文本", "should be text"),
    "validation.integer": ("应为整数", "should be a whole number"),
    "validation.number": ("应为数字", "should be a number"),
    "validation.boolean": ("应为 true 或 false", "should be true or false"),
    "validation.list": ("应为列表", "should be a list"),
    "validation.mapping": ("应为映射（键: 值）", "should be a mapping (key: value)"),
    "validation.key": (
        "键应为文本（数字或 yes/no/on/off 请加引号，如 '5':）",
        "keys should be text (quote a number or yes/no/on/off: '5':)",
    ),
    "validation.choice": ("只能是 {expected}", "should be one of {expected}"),
    "validation.at_least": ("应不小于 {ge}", "should be at least {ge}"),
    "validation.more_than": ("应大于 {gt}", "should be more than {gt}"),
    "validation.at_most": ("应不大于 {le}", "should be at most {le}"),
    "validation.less_than": ("应小于 {lt}", "should be less than {lt}"),
    "validation.too_long": (
        "最多 {max_length} 个字符",
        "should have at most {max_length} characters",
    ),
    "validation.too_short": (
        "至少 {min_length} 个字符",
        "should have at least {min_length} characters",
    ),
    "validation.too_many": ("最多 {max_length} 项", "should have at most {max_length} items"),
    "validation.too_few": ("至少 {min_length} 项", "should have at least {min_length} items"),
    "validation.pattern": ("格式应符合 {pattern}", "should match the pattern {pattern}"),
    "validation.json": ("不是有效的 JSON", "not valid JSON"),
    "validation.file": (
        "应为上传的文件（multipart/form-data 中的文件部分）",
        "should be an uploaded file (a file part of multipart/form-data)",
    ),
    # a rule the parser cannot read, by what its description says (kequn.core.rules)
    "rule.syntax.incomplete": ("规则在此处不完整，缺少一部分", "the rule is incomplete here"),
    "rule.syntax.paren": ("缺少右括号 )", "a closing parenthesis ) is missing"),
    "rule.syntax.unexpected": ("此处有多余或意外的内容", "something unexpected here"),
    "rule.syntax.token": (
        "有未闭合的引号，或无法识别的字符",
        "a quote is not closed, or a character cannot be read",
    ),
    "rule.syntax.arguments": ("函数的参数过多", "a function is given too many arguments"),
    "rule.syntax.other": ("此处无法解析：{detail}", "cannot be read here: {detail}"),
    # the taxonomy's own checks (kequn.taxonomy.model)
    "taxonomy.no_labels": (
        "维度 {dim} 没有任何标签：每个维度至少需要一个带 'when' 规则的标签（不需要这个维度时请删除它）",
        (
            "dimension {dim}: has no labels; every dimension needs at least one label with a "
            "'when' rule (remove the dimension instead)"
        ),
    ),
    "taxonomy.labels_repeated": (
        "维度 {dim}：标签 id 重复：{ids}",
        "dimension {dim}: label ids repeated: {ids}",
    ),
    "taxonomy.labels_without_when": (
        "维度 {dim}：这些标签没有 'when' 规则：{ids}",
        "dimension {dim}: labels without a 'when' rule: {ids}",
    ),
    "taxonomy.next_unknown": (
        "维度 {dim}：'next' 指向的不是本维度的标签：{pairs}",
        "dimension {dim}: 'next' names no label of it: {pairs}",
    ),
    "taxonomy.threshold_source": (
        "阈值需要 'value' 或 'derive' 规则",
        "a threshold needs a 'value' or a 'derive' rule",
    ),
    "taxonomy.quantile_needs": (
        "derive: quantile 需要 'of'（一个特征），以及 'q'（分位数，0 到 1 之间）或 'top'（前多少比例，0 到 1 之间）二者之一",
        "derive: quantile needs 'of' (a feature) and one of 'q' (the quantile, 0..1) or 'top' (the top share, 0..1)",
    ),
    "taxonomy.setting_needs": (
        "derive: setting 需要 'setting'（kequn.toml 中的一个键）",
        "derive: setting needs 'setting' (a kequn.toml key)",
    ),
    "taxonomy.no_dimensions": (
        "分群规则没有任何维度：无法给任何客户分类；请至少列出一个维度",
        "the taxonomy has no dimensions: it would classify nobody; list at least one",
    ),
    "taxonomy.unknown_feature": (
        "thresholds.{name}.of：未知的特征 {feature}",
        "thresholds.{name}.of: unknown feature {feature}",
    ),
    "taxonomy.not_yaml": (
        "{where}：不是有效的 YAML：{detail}",
        "{where}: not valid YAML: {detail}",
    ),
    "taxonomy.ids_repeated": ("{where}：维度 id 重复", "{where}: dimension ids repeated"),
    "taxonomy.ids_clash": (
        "{where}：维度 id 与特征名冲突：{ids}",
        "{where}: dimension ids clash with feature names: {ids}",
    ),
    "taxonomy.tags_clash": (
        "{where}：标签列（维度 id _ 标签 id）与特征名或维度名冲突：{ids}",
        (
            "{where}: tag columns (dimension id _ label id) clash with feature or dimension "
            "names: {ids}"
        ),
    ),
    # kequn.toml, checked when a workspace is opened (kequn.store.settings)
    "settings.not_toml": (
        "{file} 不是有效的 TOML 文件，无法读取设置：{detail}",
        "{file} is not a TOML file kequn can read: {detail}",
    ),
    "settings.bad": (
        "{file} 中的设置有误，请修改后重试：{problems}",
        "{file} has settings kequn cannot use; correct them and try again: {problems}",
    ),
    "settings.problem": (
        "{section} {key} = {value}：{why}",
        "{key} under {section} is {value}: {why}",
    ),
    "settings.bad_init": (
        "无法创建工作区：{problems}",
        "The workspace was not created: {problems}",
    ),
    "settings.option": ("{key} 为 {value}：{why}", "{key} is {value}: {why}"),
    "settings.memory": (
        "应为数字加单位，如 1GB、500MB、2GiB（大于 0）",
        "should be a number with a unit, such as 1GB, 500MB or 2GiB (more than 0)",
    ),
    "settings.timezone": (
        "应为 IANA 时区名，如 Asia/Shanghai、Europe/London",
        "should be an IANA time zone name, such as Asia/Shanghai or Europe/London",
    ),
    "settings.as_of": (
        "应为 latest（数据中的最新日期）、today 或 YYYY-MM-DD 日期",
        "should be latest (the newest date in the data), today, or a date YYYY-MM-DD",
    ),
    "run.bad_engine": (
        "没有名为 {name} 的引擎：请用 duckdb 或 spark",
        "There is no engine called {name}: use duckdb or spark",
    ),
    "user.replaced": (
        "已替换用户 {name}（{role}）的令牌：旧令牌和已登录的会话都已失效。新令牌只显示这一次，请妥善保存：",
        (
            "Replaced the token of user {name} ({role}): the old token and their sessions no "
            "longer work. The new token is shown only this once; keep it safe:"
        ),
    ),
    "user.file_unreadable": (
        "无法读取 {file}（{detail}）：请从备份恢复它，或删除后用 kequn user add 重新添加用户。",
        (
            "{file} cannot be read ({detail}): restore it from a backup, or remove it and add "
            "the users again with kequn user add."
        ),
    ),
    # a name an editor writes (kequn.core.invisible), after the field's path
    "name.invisible": (
        "名称含有不显示的字符 {char}（如从右到左覆盖、零宽空格）：名称会显示得与所写不同，请删去它",
        (
            "the name holds the invisible character {char} (such as a right-to-left override"
            " or a zero-width space): the name would show differently from what it says;"
            " remove it"
        ),
    ),
    "user.bad_name": (
        (
            "用户名 {name} 不可用：应为 1 到 {most} 个字符，不含换行、零宽空格等控制或不可见字符；"
            "空格只能是词之间的单个普通空格（首尾不可有，不可连续）"
        ),
        (
            "The user name {name} cannot be used: 1 to {most} characters, no line breaks,"
            " zero-width spaces or other control or invisible characters; spaces only as"
            " single plain spaces between words (none at either end, never two in a row)"
        ),
    ),
    "serve.port_in_use": (
        "端口 {port} 已被占用（另一个 kequn serve 或其他程序在用）：请用 --port 换一个端口",
        (
            "Port {port} is in use (by another kequn serve or another program): choose "
            "another with --port"
        ),
    ),
    "serve.port_denied": (
        "没有权限监听端口 {port}（1024 以下的端口需要管理员权限）：请用 --port 换一个端口",
        (
            "Not allowed to listen on port {port} (ports below 1024 need administrator "
            "rights): choose another with --port"
        ),
    ),
    "serve.bad_host": (
        "无法监听地址 {host}：它不是本机的地址（本机用 127.0.0.1，所有网卡用 0.0.0.0）",
        (
            "Cannot listen on {host}: it is not an address of this machine (127.0.0.1 for "
            "this machine only, 0.0.0.0 for every network)"
        ),
    ),
    "identity.bad_threshold": (
        "应为 0 到 1 之间的数（如 0.95：两条记录被认为是同一人所需的把握）",
        "should be a number above 0 and at most 1 (such as 0.95: how sure a match must be)",
    ),
    "settings.not_negative": ("应为 0 或正数", "should be 0 or more"),
    "settings.positive": ("应大于 0", "should be more than 0"),
    "settings.finite": (
        "应为有限的数字（不能是 inf 或 nan）",
        "should be a finite number (not inf or nan)",
    ),
    "settings.at_most": ("不能超过 {most}", "should be {most} at most"),
    "settings.names": (
        '应为属性名的列表，如 ["会员等级"]',
        'should be a list of attribute names, such as ["tier"]',
    ),
    "settings.id_number": (
        "不能包含身份证号等证件号码列（{names}）：证件号码是敏感个人信息，查看者一律看不到",
        "may not name an ID number column ({names}): an ID number is sensitive personal data, never shown to viewers",
    ),
    "settings.taxonomy": ("应为分类体系文件的路径", "should be the path of a taxonomy file"),
    # `kequn status`: the run read when none is named (not always the one made last)
    "status.current": (
        "← 当前运行（未指定运行时读取）",
        "← current run (read when none is named)",
    ),
}
