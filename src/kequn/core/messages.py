"""Every message kequn prints or shows, as (中文, English) templates, by key.

Data only: :mod:`kequn.core.i18n` translates with them (``t(key, **params)``); the web
adds its own from :mod:`kequn.web.text`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # workspace
    "ws.created": ("已创建工作区 {path}", "Created workspace {path}"),
    "ws.exists": ("工作区已存在: {path}", "Workspace already exists: {path}"),
    "ws.missing": (
        "{path} 不是 kequn 工作区（没有 kequn.toml）。先运行 `kequn init`，或用 --workspace 指定。",
        "{path} is not a kequn workspace (no kequn.toml). Run `kequn init` first, or pass --workspace.",
    ),
    "ws.busy": (
        "另一个进程正在写入工作区，已等待 {seconds} 秒。稍后再试。",
        "Another process is writing to the workspace; waited {seconds} s. Try again shortly.",
    ),
    "error.memory": (
        '内存不足：DuckDB 用完了工作区的内存上限（kequn.toml 中 [run] 的 memory_limit，当前 {limit}）。调大它，例如 memory_limit = "4GB"，然后重试。',
        'Out of memory: DuckDB used up the workspace\'s memory limit (memory_limit under [run] in kequn.toml, now {limit}). Raise it, e.g. memory_limit = "4GB", and try again.',
    ),
    "error.io": (
        "无法读写文件：{detail}\n请检查磁盘空间和文件权限，以及该文件是否完整（工作区文件损坏时，可从备份恢复 data/ 目录）。",
        "A file could not be read or written: {detail}\nCheck free disk space and permissions, and that the file is intact (if a workspace file is damaged, restore data/ from a backup).",
    ),
    "error.spark_start": (
        "Spark 无法启动：{detail}\nSpark 引擎需要 Java 17（设置 JAVA_HOME 或把 java 加入 PATH）；也可以去掉 --engine spark，使用默认的 DuckDB 引擎。",
        "Spark could not start: {detail}\nThe Spark engine needs Java 17 (set JAVA_HOME or put java on PATH); or leave out --engine spark to use the default DuckDB engine.",
    ),
    "error.debug": (
        "设置 KEQUN_DEBUG=1 可查看完整的错误堆栈。",
        "Set KEQUN_DEBUG=1 to see the full traceback.",
    ),
    # import
    "import.reading": ("读取 {file}", "Reading {file}"),
    "import.validating": ("校验与转换", "Validating and converting"),
    "import.writing": ("写入工作区", "Writing to the workspace"),
    "import.encoding": ("编码: {encoding}", "Encoding: {encoding}"),
    "import.mapped": ("列映射: {mapped}", "Column mapping: {mapped}"),
    "import.extra": (
        "保留为客户属性的列: {columns}",
        "Columns kept as customer attributes: {columns}",
    ),
    "import.ignored": ("未使用的列: {columns}", "Columns not used: {columns}"),
    "import.summary": (
        "{table}: 读取 {rows} 行，接收 {accepted} 行（新增 {inserted}，更新 {updated}，无变化 {unchanged}），隔离 {rejected} 行",
        "{table}: read {rows} rows, accepted {accepted} ({inserted} new, {updated} updated, {unchanged} unchanged), quarantined {rejected}",
    ),
    "import.derived_customers": (
        "从订单中生成客户 {count} 个",
        "Derived {count} customers from the orders' buyer columns",
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
        "{file}: 不支持的文件类型（支持 .csv .txt .xlsx .parquet）",
        "{file}: unsupported file type (supported: .csv .txt .xlsx .parquet)",
    ),
    "import.bad_encoding": (
        "{file}: 无法用编码 {encoding} 读取（第 {line} 行附近）。可用 --encoding 指定。",
        "{file}: cannot be read as {encoding} (near line {line}). Pass --encoding to override.",
    ),
    "import.by_reason": ("  {reason}: {count}", "  {reason}: {count}"),
    "import.rejected_header": ("隔离原因:", "Quarantined, by reason:"),
    "import.warned_header": (
        "已接收但有字段被置空（值无法识别）:",
        "Accepted with a value left empty (not understood):",
    ),
    # quarantine reasons: {column} {value} {detail}
    "reason.missing_required": ("必填字段 {column} 为空", "required field {column} is empty"),
    "reason.bad_date": ("{column} 不是可识别的日期: {value}", "{column} is not a date: {value}"),
    "reason.bad_number": (
        "{column} 不是可识别的数字: {value}",
        "{column} is not a number: {value}",
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
    "reason.future_date": ("{column} 在未来: {value}", "{column} is in the future: {value}"),
    "reason.duplicate_id": (
        "{column} {value} 在本文件中重复（首次出现在第 {detail} 行）",
        "{column} {value} appears twice in this file (first at row {detail})",
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
    "demo.generating": (
        "生成演示数据（{customers} 个客户）",
        "Generating demo data ({customers} customers)",
    ),
    "demo.done": ("演示完成，用时 {seconds:.1f} 秒。", "Demo finished in {seconds:.1f} s."),
    "demo.dashboard": (
        (
            "打开看板：先创建用户 `kequn user add admin --role admin -w {workspace}`（会显示一次令牌），"
            "再运行 `kequn serve -w {workspace}`，然后在浏览器打开 http://127.0.0.1:8000 并用令牌登录。"
        ),
        (
            "Open the dashboard: create a user with `kequn user add admin --role admin -w {workspace}` "
            "(it prints a token once), run `kequn serve -w {workspace}`, then open "
            "http://127.0.0.1:8000 and sign in with the token."
        ),
    ),
    "col.table": ("表", "table"),
    "col.rows": ("行数", "rows"),
    "col.file": ("文件", "file"),
    "col.row": ("行", "row"),
    "col.column": ("列", "column"),
    "col.reason": ("原因", "reason"),
    "col.severity": ("处理", "action"),
    "col.count": ("数量", "count"),
    "col.share": ("占比", "share"),
    "col.label": ("标签", "label"),
    "col.cluster": ("分群", "cluster"),
    "col.user": ("用户", "user"),
    "col.role": ("角色", "role"),
    "serve.listening": ("服务已启动：{url}（工作区 {path}）", "Serving {url} (workspace {path})"),
    "user.added": (
        "已创建用户 {name}（{role}）。令牌只显示这一次，请妥善保存：",
        "Created user {name} ({role}). The token is shown only this once; keep it safe:",
    ),
    "user.bad_role": ("角色只能是：{roles}", "The role must be one of: {roles}"),
    "col.description": ("特征", "description"),
    "models.bgnbd": (
        "预测模型：BG/NBD r={r:.3g} α={alpha:.3g} a={a:.3g} b={b:.3g}（{buyers:,.0f} 位买家）",
        "Models: BG/NBD r={r:.3g} α={alpha:.3g} a={a:.3g} b={b:.3g} ({buyers:,.0f} buyers)",
    ),
    "models.churn": (
        "流失风险：梯度提升，未来 {horizon} 天；按时间外推检验 AUC {auc:.3f}，Brier {brier:.3f}（{customers:,} 位买家，{trained} 训练、{evaluated} 检验）",
        "Churn risk: gradient boosting, next {horizon} days; out-of-time AUC {auc:.3f}, Brier {brier:.3f} ({customers:,} buyers; trained as of {trained}, evaluated as of {evaluated})",
    ),
    "models.churn_fallback": (
        "流失风险：历史数据不足，无法在 {trained} 训练、在 {evaluated} 检验；改用 1 − 存活概率（MBG/NBD）",
        "Churn risk: too little history to train as of {trained} and evaluate as of {evaluated}; using 1 − P(alive) from the MBG/NBD instead",
    ),
    "models.clusters": (
        "数据发现分群：{k} 群（按轮廓系数选择），稳定性 ARI {ari:.2f}；查看：kequn segments cluster",
        "Discovered segments: {k} clusters (chosen by silhouette), stability ARI {ari:.2f}; see `kequn segments cluster`",
    ),
    "models.skipped": ("预测模型：未运行（{status}）", "Models: not run ({status})"),
    "models.churn_closed_form": (
        "流失风险：BG/NBD 预期购买次数（闭式解，校准为概率），未来 {horizon} 天；按时间外推检验 AUC {auc:.3f} 不低于梯度提升，Brier {brier:.3f}（{customers:,} 位买家，{trained} 训练、{evaluated} 检验）",
        "Churn risk: the BG/NBD's expected purchases (closed form, calibrated to a probability), next {horizon} days; out-of-time AUC {auc:.3f}, no worse than gradient boosting, Brier {brier:.3f} ({customers:,} buyers; trained as of {trained}, evaluated as of {evaluated})",
    ),
    "models.unidentified": (
        "预测模型：买家太少，BG/NBD 无法可靠估计（{buyers:,.0f} 位买家，{repeaters:,.0f} 位复购）；存活概率与预测价值留空，生命周期与忠诚度按最近购买规则判断",
        "Models: too few buyers to identify the BG/NBD ({buyers:,.0f} buyers, {repeaters:,.0f} repeat buyers); P(alive) and predicted value are left empty and lifecycle and loyalty follow the recency rules",
    ),
    "models.unidentified.repeaters": (
        "　原因：复购买家少于 {minimum} 位（{model}）",
        "  why: fewer than {minimum} repeat buyers ({model})",
    ),
    "models.unidentified.bounds": (
        "　原因：参数 {params} 跑到了优化边界（{model}）",
        "  why: {params} ran to the optimiser's bounds ({model})",
    ),
    "models.unidentified.flat": (
        "　原因：似然过于平坦，{params} 无法确定（{model}）",
        "  why: the likelihood is too flat to determine {params} ({model})",
    ),
    "models.reused": (
        "预测模型：沿用 {fitted} 训练的模型（{age} 天前；数据漂移最大 {sd:.2f} 个标准差）：{models}",
        "Models: reused the models fitted as of {fitted} ({age} days old; largest drift {sd:.2f} SD): {models}",
    ),
    "models.refit.none": (
        "预测模型：没有已保存的模型，重新训练",
        "Models: none stored, fitted now",
    ),
    "models.refit.forced": (
        "预测模型：按要求重新训练（--refit）",
        "Models: refitted as asked (--refit)",
    ),
    "models.refit.version": (
        "预测模型：已保存的模型来自其他版本，重新训练",
        "Models: the stored models come from another version, fitted now",
    ),
    "models.refit.backdated": (
        "预测模型：已保存的模型训练于更晚的 {fitted}，重新训练",
        "Models: the stored models were fitted as of a later date ({fitted}), fitted now",
    ),
    "models.refit.stale": (
        "预测模型：{fitted} 训练的模型已 {age} 天（超过 {days} 天），重新训练",
        "Models: the models fitted as of {fitted} are {age} days old (more than {days}), refitted",
    ),
    "models.refit.drift": (
        "预测模型：数据形态变了（{feature} 的均值移动了 {sd:.2f} 个标准差，自 {fitted} 起），重新训练",
        "Models: the data changed shape ({feature} mean moved {sd:.2f} SD since {fitted}), refitted",
    ),
    "models.refit.buyers": (
        "预测模型：买家人数自 {fitted} 起变化了 {change:.0%}，重新训练",
        "Models: the number of buyers changed by {change:.0%} since {fitted}, refitted",
    ),
    "clusters.none": (
        "这次运行没有数据发现分群（{status}）",
        "This run has no discovered segments ({status})",
    ),
    "clusters.title": (
        "数据发现分群（k={k}，稳定性 ARI {ari:.2f}）",
        "Discovered segments (k={k}, stability ARI {ari:.2f})",
    ),
    "col.customer": ("客户", "customer"),
    "col.spend": ("累计消费", "spend"),
    "col.segment": ("客群", "segment"),
    "col.action": ("建议行动", "action"),
    "history.corner": ("之前 \\ 之后", "before \\ after"),
    # value display (kequn.core.display): the CLI's run and status lines
    "run.summary": (
        "运行 {run_id}：{customers} 位客户，截至 {as_of}（{engine}，{seconds} 秒）",
        "run {run_id}: {customers} customers as of {as_of} ({engine}, {seconds} s)",
    ),
    "status.run": (
        "运行 {run_id}  截至 {as_of}  {engine}  {customers} 位客户  {seconds} 秒",
        "run {run_id}  as of {as_of}  {engine}  {customers} customers  {seconds} s",
    ),
    "status.quarantine": ("隔离区（{severity}）", "quarantine ({severity})"),
    "history.absent": ("（不在该次运行中）", "(not in that run)"),
    "export.done": ("{count} 位客户 → {file}", "{count} customers → {file}"),
    "col.feature": ("名称", "name"),
    "col.type": ("类型", "type"),
    "history.title": ("{dimension}：{before} → {after}", "{dimension}: {before} → {after}"),
    "run.none": (
        "没有找到分类运行，先运行 `kequn run`。",
        "No classification run found; run `kequn run` first.",
    ),
    "run.history_needs_two": ("需要至少两次运行。", "History needs at least two runs."),
    # automation: events, journeys, delivery
    "automation.secret_env_missing": (
        "环境变量 {name} 未设置（渠道的密钥从这里读取）。",
        "The environment variable {name} is not set (the channel's secret is read from it).",
    ),
    "automation.secret_file_open": (
        "密钥文件 {path} 可被其他用户读取；请执行 chmod 600。",
        "The secret file {path} can be read by other users; run chmod 600 on it.",
    ),
    "automation.bad_token": (
        "退订链接无效或不属于此工作区。",
        "The unsubscribe link is not valid or not from this workspace.",
    ),
    "automation.unsubscribed": ("已退订：客户 {customer} 不会再收到营销消息。", "Unsubscribed: customer {customer} gets no more marketing messages."),
    "automation.journeys_ok": ("journeys.yaml 有效：{journeys} 个旅程，{channels} 个渠道。", "journeys.yaml is valid: {journeys} journeys, {channels} channels."),
    "automation.no_journeys": ("工作区没有 journeys.yaml。", "The workspace has no journeys.yaml."),
    "automation.processed": ("运行 {run}：{events} 个事件，{messages} 条消息进入发件箱。", "Run {run}: {events} events, {messages} messages queued."),
    "automation.delivered": ("已发送 {sent} 条，失败 {failed} 条（将重试或进入死信）。", "Sent {sent}, failed {failed} (to be retried or dead-lettered)."),
    "automation.pending": ("仍在等待：{pending} 条，最早 {due}（UTC）到期。", "Still waiting: {pending}, the first due at {due} (UTC)."),
    "automation.replayed": ("消息 {id} 已重新排队。", "Message {id} is queued again."),
    "automation.not_dead": ("消息 {id} 不在死信中。", "Message {id} is not dead-lettered."),
    "automation.too_small": (
        "样本太小，无法判断：每组至少需要 {n} 位客户，且转化与未转化各至少 {k} 位。",
        "Too small to tell: each group needs at least {n} customers, with at least {k} converting and {k} not.",
    ),
    "automation.window_open": ("转化窗口（{days} 天）尚未结束，结果可能变化。", "The conversion window ({days} days) has not ended yet; the result may change."),
    "automation.no_events": ("没有符合条件的事件。", "No events match."),
    "run.no_rule_matched": (
        "没有规则匹配（数据不足或不适用）",
        "no rule matched (data missing or not applicable)",
    ),
    # a rule rewritten for a person (kequn.core.rules.render_reason)
    "rule.too_long": (
        "规则太长：{found} 个字符（最多 {limit} 个）。请拆分为多个标签或阈值。",
        "the rule is too long: {found} characters (at most {limit}). Split it into labels or thresholds.",
    ),
    "rule.too_deep": (
        "规则嵌套太深：{found} 层括号、函数或 not（最多 {limit} 层）。",
        "the rule is nested too deeply: {found} levels of parentheses, functions or not (at most {limit}).",
    ),
    "rule.too_many_terms": (
        "规则的条件和运算太多：{found} 个（最多 {limit} 个）。请拆分为多个标签或用 in (…) 列表。",
        "the rule has too many conditions and operations: {found} (at most {limit}). Split it, or use an in (…) list.",
    ),
    "rule.number_range": (
        "数字 {value} 超出范围：绝对值最大 {limit}，有效数字最多 {digits} 位。",
        "the number {value} is out of range: at most {limit} in magnitude and {digits} significant digits.",
    ),
    "rule.personal": (
        "你的角色不能在预览中使用个人信息字段：{names}。",
        "personal fields cannot be used in a preview by your role: {names}.",
    ),
    "privacy.no_customer": (
        "工作区中没有客户 {id} 的任何数据。",
        "The workspace holds nothing about customer {id}.",
    ),
    "privacy.no_retention": (
        "未设置隔离数据的保留天数：用 --days 指定，或在 kequn.toml 的 [privacy] 中设置 quarantine_days。",
        "No retention period for quarantined rows: pass --days, or set quarantine_days under [privacy] in kequn.toml.",
    ),
    "privacy.no_run": ("没有运行 {id}。", "There is no run {id}."),
    "privacy.erased": (
        "已删除客户 {id} 的数据（审计引用 {subject}）：{removed}",
        "Erased customer {id} (audit reference {subject}): {removed}",
    ),
    "privacy.exported": ("已导出客户 {id} 的全部数据 → {file}", "Exported everything held about {id} → {file}"),
    "privacy.purged": (
        "已删除 {days} 天前的隔离行 {count} 条。",
        "Removed {count} quarantined rows older than {days} days.",
    ),
    "privacy.run_deleted": ("已删除运行 {id}。", "Deleted run {id}."),
    "identity.ran": (
        "身份识别：{records} 条客户记录 → {persons} 人；{links} 条链接（其中确定性 {deterministic} 条），{review} 对待复核（kequn identity review）。",
        "Identity resolution: {records} customer records → {persons} persons; {links} links ({deterministic} deterministic), {review} pairs to review (kequn identity review).",
    ),
    "identity.disabled": (
        "kequn.toml 中 [identity] enabled = false：运行仍按来源记录分类；设为 true 后按人分类。",
        "[identity] enabled = false in kequn.toml: runs still classify source records; set it to true to classify persons.",
    ),
    "identity.not_run": (
        "尚未进行身份识别：先运行 kequn identity run。",
        "Identity resolution has not run yet: run kequn identity run first.",
    ),
    "identity.unknown": ("没有客户记录或人员 {id}。", "There is no customer record or person {id}."),
    "identity.duckdb_only": (
        "身份识别目前只在 DuckDB 引擎上运行：请用 --engine duckdb，或在 kequn.toml 中关闭 [identity]。",
        "Identity resolution runs on the DuckDB engine only for now: use --engine duckdb, or disable [identity] in kequn.toml.",
    ),
    "identity.review.none": ("没有待复核的记录对。", "No pairs to review."),
    "identity.confirmed": ("已确认 {a} 与 {b} 是同一人；现在共 {persons} 人。", "Confirmed {a} and {b} are one person; {persons} persons now."),
    "identity.rejected": ("已确认 {a} 与 {b} 不是同一人（今后的导入和运行中保持分开）；现在共 {persons} 人。", "Recorded {a} and {b} as different people (kept apart in later imports and runs); {persons} persons now."),
    "identity.split": ("已拆分 {id}：其记录各自成为一人；现在共 {persons} 人。", "Split {id}: each of its records is a person of its own; {persons} persons now."),
    "rule.and": ("且", "and"),
    "rule.or": ("或", "or"),
    "rule.not": ("非", "not"),
    "rule.between": ("介于", "between"),
    "rule.between_and": ("与", "and"),
    "rule.between_end": ("之间", ""),
    "rule.in": ("属于", "in"),
    "rule.is_null": ("为空", "is missing"),
    "rule.none": ("空", "—"),
    "rule.yes": ("是", "yes"),
    "rule.no": ("否", "no"),
    # why a customer does not carry a label (kequn.taxonomy.evaluate.why_not)
    "whynot.title": ("为什么不是 {dimension}：{label}", "Why not {dimension}: {label}"),
    "whynot.has": ("已是{label}。", "Already {label}."),
    "whynot.met": ("规则已满足。", "The rule holds."),
    "whynot.blocked": (
        "规则已满足，但本维度排在前面的{blockers}先匹配（每位客户只取第一个）。",
        "The rule holds, but a label listed before it in this dimension holds too: {blockers} (the first match wins).",
    ),
    "whynot.fallback": (
        "{label}是其他标签都不匹配时的结果。",
        "{label} is what a customer gets when no other label matches.",
    ),
    "whynot.unmet": ("未满足的条件：{count} 个。", "Conditions not met: {count}."),
    "whynot.also_blocked": (
        "另外，本维度排在前面的{blockers}也匹配，会先被选中。",
        " Besides, a label listed before it in this dimension holds: {blockers}.",
    ),
    "whynot.gap_up": ("{subject}再增加 {gap} 即成为{label}", "{subject}: {gap} more makes this customer {label}"),
    "whynot.gap_down": ("{subject}减少 {gap} 即成为{label}", "{subject}: {gap} less makes this customer {label}"),
    "whynot.holds": ("{subject} {value}，{op} {target}{desc}", "{subject} {value}, {op} {target}{desc}"),
    "whynot.needs": ("{subject} {value}；需 {op} {target}{desc}", "{subject} {value}; needs {op} {target}{desc}"),
    "whynot.needs_up": (
        "{subject} {value}；需 {op} {target}{desc}：还差 {gap}",
        "{subject} {value}; needs {op} {target}{desc}: {gap} more",
    ),
    "whynot.needs_down": (
        "{subject} {value}；需 {op} {target}{desc}：需减少 {gap}",
        "{subject} {value}; needs {op} {target}{desc}: {gap} less",
    ),
    "whynot.between": ("介于 {low} 与 {high} 之间", "between {low} and {high}"),
    "whynot.points": ("{n} 个百分点", "{n} percentage points"),
    "whynot.bad_option": (
        "--why-not 需要 维度=标签，例如 value=high：{problem}",
        "--why-not takes DIMENSION=LABEL, e.g. value=high: {problem}",
    ),
    "clv.header": (
        "{customers} 位客户；校准期截至 {calibration_end}，验证期截至 {holdout_end}（单位：{unit}）",
        "{customers} customers; calibration to {calibration_end}, holdout to {holdout_end} (unit: {unit})",
    ),
    "clv.parameters": ("模型参数", "Fitted parameters"),
    "clv.model": ("模型", "model"),
    "clv.parameter": ("参数", "parameter"),
    "clv.value": ("估计值", "estimate"),
    "clv.loglik": ("BG/NBD 对数似然：{value}", "BG/NBD log-likelihood: {value}"),
    "clv.holdout": (
        "验证期重复购买：预测 {predicted}，实际 {actual}",
        "Holdout repeat purchases: predicted {predicted}, actual {actual}",
    ),
    "clv.by_frequency": ("按校准期重复购买次数", "By repeat purchases in calibration"),
    "clv.repeats": ("校准期重复购买", "calibration repeats"),
    "clv.actual_mean": ("实际均值", "actual mean"),
    "clv.predicted_mean": ("预测均值", "predicted mean"),
    "cli.bad_date": (
        "日期应为 YYYY-MM-DD、latest 或 today，而不是 {value}",
        "a date is YYYY-MM-DD, latest or today, not {value}",
    ),
    "mapping.unreadable": ("映射文件 {file} 无法读取：{detail}", "Mapping file {file} cannot be read: {detail}"),
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
    # sources (named data sources, databases, sync)
    "sources.bad_name": (
        "数据源名称 {name} 无效：须以小写字母开头，只含小写字母、数字和下划线，最长 40 个字符（如 tmall_flagship）。",
        "Invalid source name {name}: start with a lower-case letter, then lower-case letters, digits or _ (at most 40), e.g. tmall_flagship.",
    ),
    "sources.need_one_url": (
        "请只给出一个数据库地址：--from URL（不含密码）、--url-env 环境变量名 或 --url-file 文件（仅所有者可读，0600）。",
        "Give the database in exactly one way: --from URL (without a password), --url-env VARIABLE or --url-file FILE (readable by its owner only, 0600).",
    ),
    "sources.password_in_url": (
        "{url} 含有密码。密码不能写在命令行或 kequn.toml 中：把完整地址放入环境变量（--url-env / url_env）或仅所有者可读的文件（--url-file / url_file，权限 0600）。",
        "{url} contains a password. A password must not be on the command line or in kequn.toml: put the URL in an environment variable (--url-env / url_env) or in a file only its owner can read (--url-file / url_file, mode 0600).",
    ),
    "sources.env_missing": (
        "环境变量 {var} 未设置或为空，无法得到数据库地址。",
        "The environment variable {var} is not set or empty: it should hold the database URL.",
    ),
    "sources.file_missing": (
        "读不到数据库地址文件 {path}（不存在、不是文件或为空）。",
        "Cannot read the database URL file {path} (missing, not a file, or empty).",
    ),
    "sources.file_unsafe": (
        "拒绝读取 {path}：其权限为 {mode}，或不属于当前用户。存放凭据的文件必须只有所有者可读写（chmod 600）。",
        "Refusing {path}: its mode is {mode} or it belongs to another user. A file holding credentials must be readable by its owner only (chmod 600).",
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
    "sources.file_or_database": (
        "请给出要导入的文件，或用 --from/--url-env/--url-file 指定数据库（二者选一）。",
        "Give a file to import, or a database with --from/--url-env/--url-file (one of the two).",
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
    "import.no_sheet": (
        "{file} 中没有工作表 “{sheet}”。工作表：{sheets}",
        "{file} has no sheet “{sheet}”. Sheets: {sheets}",
    ),
    "import.format": ("格式：{name}", "Format: {name}"),
    "import.bad_xlsx": (
        "{file} 不是有效的 Excel (.xlsx) 文件。",
        "{file} is not a valid Excel (.xlsx) file.",
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
    "import.key_missing": (
        "注意：文件中没有可识别买家的列（买家账号、手机、邮箱）；请用 --mapping 指定 customer_id。",
        "Note: no column identifies buyers (buyer id, phone, e-mail); name one as customer_id with --mapping.",
    ),
    "import.currency_differs": (
        "注意：文件的币种（{currencies}）与工作区的 {currency} 不同；金额未换算，请分开导入或换算后再导入。",
        "Note: the file's currency ({currencies}) differs from the workspace's {currency}; amounts were not converted. Import them separately or convert first.",
    ),
    "import.lines": ("{orders} 个订单，{lines} 行商品明细", "{orders} orders from {lines} item rows"),
    "import.unknown_status": (
        "未知的订单状态 “{word}”：{count} 行已隔离。若它表示已付款，在映射文件中加一行：  statuses: {{{word}: paid}}",
        "Unknown order status “{word}”: {count} rows quarantined. If it means paid, add this line to a mapping file:  statuses: {{{word}: paid}}",
    ),
    "import.retry_hint": (
        "修改映射后运行 `kequn quarantine retry --mapping 映射.yaml` 重新读取被隔离的行。",
        "After editing the mapping, `kequn quarantine retry --mapping map.yaml` re-reads the quarantined rows.",
    ),
    "import.skipped": (
        "跳过第 {row} 行（不是数据：{text}）",
        "Skipped row {row} (not data: {text})",
    ),
    "quarantine.retried": ("重新读取 {file} 的隔离行：", "Read the quarantined rows of {file} again:"),
    "show.no_customer": (
        "这次运行中没有客户 {id}（用 `kequn segments` 或看板查找客户编号）。",
        "Customer {id} is not in this run (find ids with `kequn segments` or the dashboard).",
    ),
    "show.which_source": (
        "客户编号 {id} 出现在多个数据源中，请写明是哪一个：{ids}",
        "Customer {id} is in several sources; name one: {ids}",
    ),
    "show.as_source": ("（{id} 即 {stored}）", "({id} is stored as {stored})"),
    "severity.rejected": ("已隔离", "rejected"),
    "severity.warning": ("已置空", "emptied"),
}
