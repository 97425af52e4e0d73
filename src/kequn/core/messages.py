"""Every message kequn prints or shows, as (中文, English) templates, by key.

Data only: :mod:`kequn.core.i18n` translates with them (``t(key, **params)``); getting
data in (imports, sources, mappings, quarantine reasons) has its own in
:mod:`kequn.core.messages_ingest`, and what the command line's tables and checks say
(and errors of the operating system) its own in :mod:`kequn.core.messages_cli`, and
the predictive models' summaries in :mod:`kequn.core.messages_models`, automation's
events, journeys and delivery in :mod:`kequn.core.messages_automation`, each quarantine
reason in a few words in :mod:`kequn.core.messages_reasons`, a YAML file's problems in
:mod:`kequn.core.messages_yaml`, a command cut short in :mod:`kequn.core.messages_recovery`,
a taxonomy against the default shipped in :mod:`kequn.core.messages_taxonomy`, merged
here; the web adds its own from :mod:`kequn.web.text`.
"""

from __future__ import annotations

from kequn.core.messages_automation import AUTOMATION
from kequn.core.messages_cli import CLI
from kequn.core.messages_files import FILES
from kequn.core.messages_ingest import INGEST
from kequn.core.messages_models import MODELS
from kequn.core.messages_reasons import REASON_NAMES
from kequn.core.messages_recovery import RECOVERY
from kequn.core.messages_sources import SOURCES
from kequn.core.messages_taxonomy import TAXONOMY
from kequn.core.messages_yaml import YAML

MESSAGES: dict[str, tuple[str, str]] = {
    # the taxonomy's own names, whole (not NAMED_KEYS: those are what a user typed)
    "segment.named": ("{dimension_name}：{label_name}", "{dimension_name}: {label_name}"),
    "threshold.default": (
        "{name}：数据不足以推算，按默认值（{value}）计算",
        "{name}: too little data to derive it; the default, {value}, is used",
    ),
    "threshold.floor": (
        "{name}：推算值（{raw}）低于下限，按 {value}计算",
        "{name}: derived as {raw}, below its lower bound; {value} is used",
    ),
    "threshold.few_repeaters": (
        "{name}：{value}，仅由 {repeaters} 位复购客户的订单推算（少于 {minimum} 位）：未必代表本企业；如已知，可在 taxonomy.yaml 中固定 {threshold}",
        "{name}: {value}, derived from too few repeat buyers (repeat buyers: {repeaters}, fewer than {minimum}): it may not be the business's; pin {threshold} in taxonomy.yaml if you know it",
    ),
    "threshold.ceiling": (
        "{name}：推算值（{raw}）高于上限，按 {value}计算",
        "{name}: derived as {raw}, above its upper bound; {value} is used",
    ),
    "run.erased_meanwhile": (
        "本次运行期间有客户的数据被删除（隐私删除）；为了不再保留被删除的人，本次结果已丢弃。请重新运行。",
        "A customer's data was erased while this run was running; so that the erased person is not kept, the run's results were discarded. Run it again.",
    ),
    # workspace
    "ws.created": ("已创建工作区 {path}", "Created workspace {path}"),
    "ws.init_two_folders": (
        "给了两个文件夹（{folder} 和 --workspace {workspace}），不知道在哪里创建工作区：只给一个。",
        (
            "Two folders given ({folder} and --workspace {workspace}): which one should hold "
            "the workspace? Give one."
        ),
    ),
    "ws.exists": ("工作区已存在: {path}", "Workspace already exists: {path}"),
    "ws.missing": (
        "{path} 不是 kequn 工作区（没有 kequn.toml）。先运行 `kequn init`，或用 --workspace 指定。",
        "{path} is not a kequn workspace (no kequn.toml). Run `kequn init` first, or pass --workspace.",
    ),
    "ws.a_file": (
        "{where} 指向的 {path} 是一个文件，不是工作区文件夹：请指定含有 kequn.toml 的文件夹。",
        "{where} names {path}, which is a file, not a workspace folder: give the folder that holds kequn.toml.",
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
    "error.os": (
        "无法使用 {path}：{reason}。请检查路径（文件还是文件夹、上级文件夹是否存在）和权限，然后重试。",
        "Cannot use {path}: {reason}. Check the path (a file or a folder, and that its folder exists) and its permissions, then try again.",
    ),
    "error.out_of_range": (
        "计算时某个值超出范围或无法转换：{detail}\n请检查分群规则中的运算（`kequn taxonomy check`，或在看板上预览该规则）以及数据中的异常值。",
        "A value went out of range or could not be converted while computing: {detail}\nCheck the arithmetic in the taxonomy's rules (`kequn taxonomy check`, or preview the rule on the dashboard) and unusual values in the data.",
    ),
    "rule.failed": (
        "规则无法在数据上计算：{detail}",
        "The rule could not be evaluated on the data: {detail}",
    ),
    "error.spark_start": (
        "Spark 无法启动：{detail}\nSpark 引擎需要 Java 17（设置 JAVA_HOME 或把 java 加入 PATH）；也可以去掉 --engine spark，使用默认的 DuckDB 引擎。",
        "Spark could not start: {detail}\nThe Spark engine needs Java 17 (set JAVA_HOME or put java on PATH); or leave out --engine spark to use the default DuckDB engine.",
    ),
    "error.lang_unknown": (
        "KEQUN_LANG={value}：kequn 只说中文（zh）或英文（en），现按英文输出 / kequn speaks zh or en; English is used",
        "KEQUN_LANG={value}: kequn speaks zh or en; English is used / kequn 只说中文（zh）或英文（en），现按英文输出",
    ),
    "error.debug": (
        "设置 KEQUN_DEBUG=1 可查看完整的错误堆栈。",
        "Set KEQUN_DEBUG=1 to see the full traceback.",
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
    "serve.no_users": (
        (
            "这个工作区还没有用户，没人能登录：先运行 kequn user add admin --role admin "
            "-w {path}（它只显示一次令牌），再用令牌登录。"
        ),
        (
            "This workspace has no users yet, so nobody can sign in: run kequn user add "
            "admin --role admin -w {path} (it shows the token once), then sign in with it."
        ),
    ),
    "user.added": (
        "已创建用户 {name}（{role}）。令牌只显示这一次，请妥善保存：",
        "Created user {name} ({role}). The token is shown only this once; keep it safe:",
    ),
    "user.bad_role": ("角色只能是：{roles}", "The role must be one of: {roles}"),
    "col.description": ("特征", "description"),
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
        "run {run_id}: {customers} {customers:customer|customers} as of {as_of} ({engine}, {seconds} s)",
    ),
    "history.absent": ("（不在该次运行中）", "(not in that run)"),
    "export.done": ("{count} 位客户 → {file}", "{count} customers → {file}"),
    "col.feature": ("名称", "name"),
    "col.type": ("类型", "type"),
    "features.threshold": ("阈值（分类体系）", "threshold (taxonomy)"),
    # the kinds of the catalogue's names (kequn.features.catalogue.Feature.kind)
    "features.kind.number": ("数值", "number"),
    "features.kind.string": ("文本", "text"),
    "features.kind.date": ("日期", "date"),
    "features.kind.bool": ("是/否", "yes/no"),
    "features.kind.map": ("键值表", "map"),
    "history.same_as_of": (
        "两次运行的截至日期都是 {day}：分群事件（kequn events、旅程）只把一次运行与截至日期更早的运行比较，因此这些变动不在其中。",
        "Both runs are as of {day}: segment events (kequn events, journeys) compare a run only with a run of an earlier as-of date, so these movements are not among them.",
    ),
    "history.title": ("{dimension}：{before} → {after}", "{dimension}: {before} → {after}"),
    # `kequn history` given one side: the run beside it in time, if there is one
    "history.nothing_before": (
        "运行 {run}（截至 {as_of}）之前没有更早的运行可以与它比较；请用 --before 指定较早的一次运行。",
        "No run comes before run {run} (as of {as_of}) to compare it with; name the earlier run with --before.",
    ),
    "history.nothing_after": (
        "运行 {run}（截至 {as_of}）不早于当前运行 {current}（截至 {current_as_of}），没有更晚的运行可以与它比较；请用 --after 指定较晚的一次运行。",
        "Run {run} (as of {as_of}) is not earlier than the current run {current} (as of {current_as_of}): there is no later run to compare it with; name the later run with --after.",
    ),
    "run.none": (
        "没有找到分类运行，先运行 `kequn run`。",
        "No classification run found; run `kequn run` first.",
    ),
    "run.ambiguous": (
        "有 {count} 次运行的编号以 {id} 开头：{runs}；请写出更长的编号（`kequn status` 列出全部运行）。",
        "{count} runs have ids starting with {id}: {runs}; give more of the id (`kequn status` lists the runs).",
    ),
    "run.unknown": (
        "没有编号（或前缀）为 {id} 的运行；`kequn status` 列出全部运行。",
        "No run has the id (or prefix) {id}; `kequn status` lists the runs.",
    ),
    "run.history_needs_two": ("需要至少两次运行。", "History needs at least two runs."),
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
    "privacy.erased": (
        "已删除客户 {id} 的数据（审计引用 {subject}）：{removed}",
        "Erased customer {id} (audit reference {subject}): {removed}",
    ),
    "privacy.exported": (
        "已导出客户 {id} 的全部数据 → {file}",
        "Exported everything held about {id} → {file}",
    ),
    "privacy.would_purge": (
        "将删除 {days} 天前的隔离行 {count} 条（试运行：未删除任何数据）。",
        "Would remove {count} quarantined {count:row|rows} older than {days} {days:day|days} (dry run: nothing removed).",
    ),
    "privacy.confirm_purge": (
        "从 {path} 中删除 {days} 天前的隔离行 {count} 条？此操作无法撤销",
        "Remove {count} quarantined {count:row|rows} older than {days} {days:day|days} from {path}? This cannot be undone",
    ),
    "privacy.purged": (
        "已删除 {days} 天前的隔离行 {count} 条。",
        "Removed {count} quarantined {count:row|rows} older than {days} {days:day|days}.",
    ),
    "privacy.run_deleted": ("已删除运行 {id}。", "Deleted run {id}."),
    "runs.bad_keep_days": (
        "--keep-days {value} 无效：保留天数应为 1 以上的整数。",
        "--keep-days {value} is not a number of days to keep: give a whole number of 1 or more.",
    ),
    "runs.bad_keep_days_setting": (
        "kequn.toml 的 [run] keep_runs_days 应为 0（保留全部运行）或正整数天数，而不是 {value}；本次未删除任何运行。",
        "keep_runs_days under [run] in kequn.toml must be 0 (keep every run) or a whole number of days, not {value}; no run was removed.",
    ),
    "runs.bad_keep_monthly": (
        "kequn.toml 的 [run] keep_monthly_runs 应为 true 或 false，而不是 {value}；本次未删除任何运行。",
        "keep_monthly_runs under [run] in kequn.toml must be true or false, not {value}; no run was removed.",
    ),
    "runs.pruned": (
        "已删除 {count} 次运行（保留最近 {days} 天{monthly}）。",
        "Runs removed: {count} (kept: the last {days} {days:day|days}{monthly}).",
    ),
    "runs.would_prune": (
        "将删除 {count} 次运行（保留最近 {days} 天{monthly}）：",
        "Runs that would be removed: {count} (kept: the last {days} {days:day|days}{monthly}):",
    ),
    "runs.monthly": ("，以及更早每月的最后一次", ", and the last run of each month before"),
    "runs.prune_off": (
        "未设置保留期：kequn.toml 的 [run] keep_runs_days 与 keep_events_days 为 0，保留全部运行与分群事件。用 --keep-days 或 --keep-events-days 指定天数。",
        "No retention is set: keep_runs_days and keep_events_days under [run] in kequn.toml are 0, so every run and segment event is kept. Give --keep-days or --keep-events-days.",
    ),
    "segments.unknown_dimension": (
        "没有维度 {dimension}；可选：{known}",
        "There is no dimension {dimension}; known: {known}",
    ),
    "segments.unknown_segment": (
        "没有这个客群：{segment}；可选：{known}",
        "No such segment: {segment}; known: {known}",
    ),
    "history.not_exclusive": (
        "{dimension} 不是两次运行都有的互斥维度；可选：{known}",
        "{dimension} is not an exclusive dimension of both runs; known: {known}",
    ),
    "events.bad_keep_days": (
        "--keep-events-days {value} 无效：保留天数应为 1 以上的整数。",
        "--keep-events-days {value} is not a number of days to keep: give a whole number of 1 or more.",
    ),
    "events.bad_keep_days_setting": (
        "kequn.toml 的 [run] keep_events_days 应为 0（保留全部分群事件）或正整数天数，而不是 {value}；本次未删除任何事件。",
        "keep_events_days under [run] in kequn.toml must be 0 (keep every segment event) or a whole number of days, not {value}; no event was removed.",
    ),
    "events.pruned": (
        "已删除 {count} 条分群事件（保留最近 {days} 天）。",
        "Segment events removed: {count} (kept: the last {days} {days:day|days}).",
    ),
    "events.would_prune": (
        "将删除 {count} 条分群事件（保留最近 {days} 天）。",
        "Segment events that would be removed: {count} (kept: the last {days} {days:day|days}).",
    ),
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
    "identity.unknown": (
        "没有客户记录或人员 {id}。",
        "There is no customer record or person {id}.",
    ),
    "identity.duckdb_only": (
        "身份识别目前只在 DuckDB 引擎上运行：请用 --engine duckdb，或在 kequn.toml 中关闭 [identity]。",
        "Identity resolution runs on the DuckDB engine only for now: use --engine duckdb, or disable [identity] in kequn.toml.",
    ),
    "identity.review.none": ("没有待复核的记录对。", "No pairs to review."),
    "identity.confirmed": (
        "已确认 {a} 与 {b} 是同一人；现在共 {persons} 人。",
        "Confirmed {a} and {b} are one person; {persons} persons now.",
    ),
    "identity.rejected": (
        "已确认 {a} 与 {b} 不是同一人（今后的导入和运行中保持分开）；现在共 {persons} 人。",
        "Recorded {a} and {b} as different people (kept apart in later imports and runs); {persons} persons now.",
    ),
    "identity.split": (
        "已拆分 {id}：其记录各自成为一人；现在共 {persons} 人。",
        "Split {id}: each of its records is a person of its own; {persons} persons now.",
    ),
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
    # why a customer does not carry a label (kequn.taxonomy.explain.why_not)
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
    "whynot.gap_up": (
        "{subject}再增加 {gap} 即成为{label}",
        "{subject}: {gap} more makes this customer {label}",
    ),
    "whynot.gap_down": (
        "{subject}减少 {gap} 即成为{label}",
        "{subject}: {gap} less makes this customer {label}",
    ),
    "whynot.holds": (
        "{subject} {value}，{op} {target}{desc}",
        "{subject} {value}, {op} {target}{desc}",
    ),
    "whynot.needs": (
        "{subject} {value}；需 {op} {target}{desc}",
        "{subject} {value}; needs {op} {target}{desc}",
    ),
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
    "clv.unit.week": ("周", "week"),
    "clv.unit.day": ("天", "day"),
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
    "cli.empty_id": ("编号为空：请给出{what}", "the id is empty: give {what}"),
    "cli.id.customer": (
        "客户编号（可用 `kequn segments` 或看板查找）",
        "a customer id (find ids with `kequn segments` or the dashboard)",
    ),
    "cli.id.contact": (
        "客户编号、手机号或邮箱",
        "a customer id, or the customer's phone number or e-mail address",
    ),
    "cli.id.record": ("客户记录编号（如 tmall:C001）", "a customer record id (e.g. tmall:C001)"),
    "cli.id.person": ("人员编号（P…）或客户记录编号", "a person id (P…) or a customer record id"),
    "cli.id.run": (
        "运行编号或其前缀（`kequn status` 列出各次运行）",
        "a run id or its prefix (`kequn status` lists the runs)",
    ),
    "cli.bad_date": (
        "日期应为 YYYY-MM-DD（1900-01-01 至今后十年内）、latest 或 today，而不是 {value}",
        "a date is YYYY-MM-DD (from 1900-01-01 to ten years from today), latest or today, not {value}",
    ),
    "run.setting_before_data": (
        'kequn.toml 中 [run] 的 as_of = {as_of} 早于工作区最早的数据（{earliest}：最早的客户注册、订单或互动），按它运行不会有任何客户，却会成为看板上最新的运行。请在 kequn.toml 中把 as_of 改为 {earliest} 或之后的日期，或改为 "latest"（数据中最新的日期）。',
        "kequn.toml's [run] as_of = {as_of} is before the workspace's earliest data ({earliest}: its first customer, order or interaction): a run as of it knows no customer, yet would be the dashboard's newest run. Set as_of in kequn.toml to {earliest} or later, or to \"latest\" (the newest date in the data).",
    ),
    "run.setting_after_today": (
        'kequn.toml 中 [run] 的 as_of = {as_of} 晚于今天（{today}）：不指定日期的每次运行（包括定时任务）都会把客户当作直到那天都没有购买来分群。请在 kequn.toml 中把 as_of 改为今天或更早的日期，或改为 "today"（今天）或 "latest"（数据中最新的日期）。',
        'kequn.toml\'s [run] as_of = {as_of} is after today ({today}): every run given no date (scheduled ones too) would classify customers as if nobody buys until then. Set as_of in kequn.toml to today or an earlier date, or to "today" or "latest" (the newest date in the data).',
    ),
    "run.before_data": (
        "运行日期 {as_of} 早于工作区最早的数据（{earliest}：最早的客户注册、订单或互动），这次运行不会有任何客户，却会成为看板上最新的运行。请给出 {earliest} 或之后的日期；确实要这样运行，加上 --allow-before-data。",
        "The run's date {as_of} is before the workspace's earliest data ({earliest}: its first customer, order or interaction): such a run knows no customer, yet would be the dashboard's newest run. Give {earliest} or later, or add --allow-before-data if you mean it.",
    ),
    "run.bad_as_of": (
        "运行日期应为 YYYY-MM-DD（1900-01-01 至今后十年内）、latest 或 today，而不是 {value}",
        "The run's date is YYYY-MM-DD (from 1900-01-01 to ten years from today), latest or today, not {value}",
    ),
    "show.no_customer": (
        "这次运行中没有客户 {id}（用 `kequn segments` 或看板查找客户编号）。",
        "Customer {id} is not in this run (find ids with `kequn segments` or the dashboard).",
    ),
    "show.which_source": (
        "客户编号 {id} 出现在多个数据源中，请写明是哪一个：{ids}",
        "Customer {id} is in several sources; name one: {ids}",
    ),
    "show.as_source": ("（{id} 即 {stored}）", "({id} is stored as {stored})"),
}

MESSAGES.update(INGEST)
MESSAGES.update(SOURCES)
MESSAGES.update(AUTOMATION)
MESSAGES.update(MODELS)
MESSAGES.update(RECOVERY)
MESSAGES.update(CLI)
MESSAGES.update(TAXONOMY)
MESSAGES.update(REASON_NAMES)
MESSAGES.update(YAML)
MESSAGES.update(FILES)
