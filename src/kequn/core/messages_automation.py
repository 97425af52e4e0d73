"""What automation says (events, journeys, delivery, and kequn's own reasons in the
outbox's ``last_error``), as (中文, English) templates, by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

AUTOMATION: dict[str, tuple[str, str]] = {
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
    "automation.unsubscribed": (
        "已退订：客户 {customer} 不会再收到营销消息。",
        "Unsubscribed: customer {customer} gets no more marketing messages.",
    ),
    "automation.journeys_ok": (
        "journeys.yaml 有效：{journeys} 个旅程，{channels} 个渠道。",
        "journeys.yaml is valid: {journeys} journeys, {channels} channels.",
    ),
    "automation.no_journeys": ("工作区没有 journeys.yaml。", "The workspace has no journeys.yaml."),
    "automation.processed": (
        "运行 {run}：{events} 个事件，{messages} 条消息进入发件箱。",
        "Run {run}: {events} events, {messages} messages queued.",
    ),
    # kequn's own reasons in the outbox's last_error (kequn.automation.reasons)
    "outbox.error.after": ("尝试 {n} 次后失败：", "after {n} attempts: "),
    "outbox.error.not_retried": ("未重试：", "not retried: "),
    "outbox.error.opted_out": ("已退订", "opted out"),
    "outbox.error.no_consent": ("已不再同意接收营销信息", "no marketing consent any more"),
    "outbox.error.no_sms_consent": ("已不再同意接收营销短信", "no SMS consent any more"),
    "outbox.error.no_address": ("已没有电子邮箱地址", "no e-mail address any more"),
    "outbox.error.channel": (
        "渠道 '{channel}' 已不在 journeys.yaml 中",
        "channel '{channel}' is no longer in journeys.yaml",
    ),
    "outbox.col.journey": ("旅程", "journey"),
    "outbox.col.channel": ("渠道", "channel"),
    "outbox.col.status": ("状态", "status"),
    "outbox.status.pending": ("待发送", "pending"),
    "outbox.status.sending": ("发送中", "sending"),
    "outbox.status.sent": ("已发送", "sent"),
    "outbox.status.dead": ("死信", "dead"),
    "outbox.status.cancelled": ("已取消", "cancelled"),
    "outbox.col.messages": ("消息数", "messages"),
    "outbox.attempts": ("尝试 {n} 次", "attempts {n}"),
    "automation.backfill": (
        "补跑更早的日期，不触发这些旅程（它们已按更晚的日期规划过）：{journeys}",
        (
            "A backfill of an earlier date plans no message for these journeys "
            "(already planned for a later date): {journeys}"
        ),
    ),
    "automation.rules_held": (
        (
            "{dimensions} 的规则（或其读取的工作区设置，如本地城市）自上次运行后有改动，"
            "客户进出这些分群有一部分是改动造成的，"
            "所以本次不为这些旅程安排消息：{journeys}。确认仍要发送："
            "kequn journeys process --run {run} --rule-changes"
        ),
        (
            "The rules of {dimensions} (or a setting they read, such as the home city) "
            "changed since the run before, so some of the "
            "movements into and out of their segments are the change's, not the customers': "
            "no message is planned for these journeys this time: {journeys}. To plan them "
            "all the same: kequn journeys process --run {run} --rule-changes"
        ),
    ),
    "automation.delivered": (
        "已发送 {sent} 条，失败 {failed} 条（将重试或进入死信）。",
        "Sent {sent}, failed {failed} (to be retried or dead-lettered).",
    ),
    "automation.pending": (
        "仍在等待：{pending} 条，最早 {due}（UTC）到期。",
        "Still waiting: {pending}, the first due at {due} (UTC).",
    ),
    "automation.replayed": ("消息 {id} 已重新排队。", "Message {id} is queued again."),
    "automation.not_dead": ("消息 {id} 不在死信中。", "Message {id} is not dead-lettered."),
    "automation.too_small": (
        "样本太小，无法判断：每组至少需要 {n} 位客户，且转化与未转化各至少 {k} 位。",
        "Too small to tell: each group needs at least {n} customers, with at least {k} converting and {k} not.",
    ),
    "automation.window_open": (
        "转化窗口（{days} 天）尚未结束，结果可能变化。",
        "The conversion window ({days} days) has not ended yet; the result may change.",
    ),
    "automation.no_events": ("没有符合条件的事件。", "No events match."),
}
