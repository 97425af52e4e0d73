"""The words of group-robot alerts, team digests and kequn's own delivery failures, in
中文 and English (added to :data:`kequn.core.i18n.MESSAGES`; imported by the modules that
use them)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

AUTOMATION: dict[str, tuple[str, str]] = {
    # journeys.yaml's checks (kequn.automation.journeys.check), each after "journey.part: "
    "journeys.check.no_dimension": ("没有维度 {dim!r}", "unknown dimension {dim!r}"),
    "journeys.check.no_label": (
        "{label!r} 不是 {dim} 的标签（{labels}）",
        "{label!r} is not a label of {dim} ({labels})",
    ),
    "journeys.check.no_dimension_label": (
        "没有维度 {dim!r}（写作 维度.标签）",
        "unknown dimension {dim!r} (dimension.label)",
    ),
    "journeys.check.template": ("第 {line} 行：{detail}", "line {line}: {detail}"),
    "journeys.template_tag": (
        "模板不能用 {tag}：旅程的文字写在模板里，不能引用其他模板或文件",
        (
            "a template may not use {tag}: a journey's text is in the template, not in other"
            " templates or files"
        ),
    ),
    "journeys.check.twice": ("旅程 {id!r} 重复列出", "journey {id!r} is listed twice"),
    # the models' own checks, each after "its.place: " (pydantic's validators)
    "journeys.check.trigger_one": (
        "触发条件须写 entered、left、rule 三者之一，且只写一个",
        "a trigger is exactly one of entered, left or rule",
    ),
    "journeys.check.movement_one": (
        "变化须写 entered、left 二者之一，且只写一个",
        "a movement is exactly one of entered or left",
    ),
    "journeys.check.robot_token": (
        "群机器人渠道需要 token_env 或 token_file",
        "a robot channel needs token_env or token_file",
    ),
    "journeys.check.wecom_secret": (
        "企业微信群机器人没有签名密钥（只写 token_env 或 token_file）",
        "wecom robots have no signing secret (give only token_env/file)",
    ),
    "journeys.check.email_consent": (
        (
            "邮件渠道总是使用营销许可（marketing_consent），不能写 consent: {consent}；"
            "短信请用 consent: sms 的 webhook 或 file 渠道"
        ),
        (
            "an e-mail channel always asks the marketing consent (marketing_consent), not "
            "consent: {consent}; for SMS use a webhook or file channel with consent: sms"
        ),
    ),
    "journeys.check.no_channel": (
        "旅程 {id!r}：渠道 {channel!r} 不在 channels 中（已有：{known}）",
        "journey {id!r}: channel {channel!r} is not under channels (known: {known})",
    ),
    "journeys.check.stop_first": (
        "旅程 {id!r}：stop 早于 start",
        "journey {id!r}: stop is before start",
    ),
    "journeys.check.digest_channel": (
        "digests.teams.{team}：渠道 {channel!r} 不在 channels 中（已有：{known}）",
        "digests.teams.{team}: channel {channel!r} is not under channels (known: {known})",
    ),
    "journeys.check.digest_type": (
        (
            "digests.teams.{team}：渠道 {channel!r} 的类型是 {type}；"
            "摘要只能发到群机器人（wecom、dingtalk、feishu）或 webhook"
        ),
        (
            "digests.teams.{team}: channel {channel!r} is {type}; a digest goes to a group "
            "robot (wecom, dingtalk, feishu) or a webhook"
        ),
    ),
    "journeys.check.no_templates": ("请至少写一种语言", "give at least one language"),
    "robots.truncated": (
        "……（内容过长，已截断）",
        "… (too long: cut here)",
    ),
    "digest.title": (
        "客群变动 · {team} · {as_of}",
        "Segment movements · {team} · {as_of}",
    ),
    "digest.intro": (
        "运行 {run}（截至 {as_of}，对比 {previous}）：",
        "Run {run} (as of {as_of}, against {previous}):",
    ),
    "digest.entered": (
        "{count} 位{among}客户进入「{label}」",
        "{count} {among}customers entered “{label}”",
    ),
    "digest.left": (
        "{count} 位{among}客户离开「{label}」",
        "{count} {among}customers left “{label}”",
    ),
    "digest.among": ("「{names}」", "{names} "),
    "digest.and": ("、", ", "),
    "digest.examples": ("例如：{ids}", "e.g. {ids}"),
    "digest.more": ("等 {count} 位", "and {count} more"),
    "digest.open": ("查看客群", "open the segment"),
    "digest.rules_changed": (
        "（该维度的规则或其读取的设置自上次运行后有改动，部分变动来自改动而非客户）",
        (
            "(this dimension's rules changed since the run before, or a setting they read "
            "did: some of these moved with the change, not by anything they did)"
        ),
    ),
    "digest.nothing": ("运行 {run} 没有值得通报的变动。", "Run {run}: nothing to report."),
    "digest.none_for_run": (
        "运行 {run} 没有团队摘要（没有 digests 配置、首次运行，或变动少于 min_count）。",
        "Run {run} has no team digests (none configured, a first run, or too few moved).",
    ),
    "digest.queued": (
        "运行 {run}：{teams} 个团队摘要进入发件箱。",
        "Run {run}: {teams} team digests queued.",
    ),
    "digest.status": ("发送状态：{status}", "delivery: {status}"),
    "digest.team.marketing": ("市场营销", "Marketing"),
    "digest.team.sales": ("销售", "Sales"),
    "digest.team.service": ("客户服务", "Service"),
    "automation.template_field_unknown": (
        (
            "{where}：模板读取的 customer.{field} 不是客户的字段，用到它的客户将收不到消息"
            "（`kequn features` 列出可用的名称；可写成 customer.{field} | default('…')）"
        ),
        (
            "{where}: customer.{field} is a field no customer has; the customers this template "
            "is for will get no message (`kequn features` lists the names; or write "
            "customer.{field} | default('…'))"
        ),
    ),
    "automation.no_unsubscribe": (
        (
            "旅程 {id!r}：渠道 {channel!r} 没有 unsubscribe_url，营销邮件将不带退订链接"
            "（例如 kequn serve 的 https://…/unsubscribe/{{token}}）"
        ),
        (
            "journey {id!r}: channel {channel!r} has no unsubscribe_url, so its marketing "
            "e-mails carry no way to opt out (e.g. kequn serve's https://…/unsubscribe/{{token}})"
        ),
    ),
    "automation.unsubscribe_token": (
        "渠道 {channel!r}：unsubscribe_url 中没有 {{token}}，每封邮件的退订链接都相同且无效",
        (
            "channel {channel!r}: unsubscribe_url has no {{token}}, so every e-mail gets the "
            "same link, which unsubscribes no one"
        ),
    ),
    # kequn's own reasons in the outbox's last_error (see kequn.automation.reasons)
    "outbox.error.redirected": (
        "接收方返回重定向，未跟随（请把 url 设为最终地址）：",
        "redirected, not followed (give the final address as url): ",
    ),
    "outbox.error.channel_down": (
        "本轮未发送：渠道连续 {n} 次失败（无响应）：",
        "not tried, the channel failed {n} times in a row (did not answer): ",
    ),
    "outbox.error.throttled": (
        "本轮未发送：机器人限流中：",
        "not tried, the robot is rate limited: ",
    ),
    "outbox.error.gone": (
        "客户已不在数据中（已删除或已被导入移除）",
        "customer no longer in the data",
    ),
    # what a journey decided for a customer (plan.py; the web's audience preview, the CLI)
    "journeys.outcome.queued": ("进入发件箱", "Queued to send"),
    "journeys.outcome.held_out": ("对照组（不发送）", "Holdout (not sent)"),
    "journeys.outcome.no_consent": ("无营销许可", "No marketing consent"),
    "journeys.outcome.no_sms_consent": ("无短信营销许可", "No SMS marketing consent"),
    "journeys.outcome.opted_out": ("已退订", "Unsubscribed"),
    "journeys.outcome.no_address": ("无联系方式", "No address for the channel"),
    "journeys.outcome.capped": ("频次上限", "Frequency cap"),
    "journeys.outcome.control_group": ("全局对照组", "Workspace control group"),
    "journeys.outcome.already_queued": ("本日期已有消息", "Already has this date's message"),
    "journeys.outcome.template_error": ("模板出错", "Template error"),
    "outbox.error.no_contact": ("已没有手机号或电子邮箱", "no phone or e-mail address any more"),
}

MESSAGES.update(AUTOMATION)
