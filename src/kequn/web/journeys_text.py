"""The journeys pages' and the unsubscribe page's words, in 中文 and English (added to
:data:`kequn.core.i18n.MESSAGES` on import, as :mod:`kequn.web.text` does)."""

from __future__ import annotations

from kequn.core.i18n import MESSAGES

JOURNEYS: dict[str, tuple[str, str]] = {
    "web.nav.journeys": ("自动旅程", "Journeys"),
    "web.journeys.title": ("自动旅程", "Journeys"),
    "web.journeys.none": (
        "还没有旅程。在下方写入 journeys.yaml 并保存即可创建。",
        "There are no journeys yet. Write journeys.yaml below and save it to create some.",
    ),
    # the same to a role that may not edit them (the editor below is read-only)
    "web.journeys.none_readonly": (
        "还没有旅程。分析师或管理员在 journeys.yaml 中写好旅程后，旅程会列在这里。",
        (
            "There are no journeys yet. They are listed here once an analyst or "
            "administrator has written them in journeys.yaml."
        ),
    ),
    "web.journeys.file": ("journeys.yaml", "journeys.yaml"),
    "web.journeys.not_yaml": ("不是有效的 YAML：{detail}", "not valid YAML: {detail}"),
    "web.journeys.not_mapping": (
        "应为含 channels 与 journeys 的映射",
        "expected a mapping with channels and journeys",
    ),
    "web.journeys.broken": (
        "journeys.yaml 目前无效，旅程不会执行：{error}",
        "journeys.yaml is not valid now, so no journey runs: {error}",
    ),
    "web.journeys.readonly": (
        (
            "你的角色只能查看旅程，不能修改；"
            "journeys.yaml 的内容（渠道地址、账号等）只对可编辑的角色显示。"
        ),
        (
            "Your role may view journeys but not change them; the text of journeys.yaml "
            "(channel addresses, accounts) is shown to roles that may edit it."
        ),
    ),
    "web.journeys.col.id": ("编号", "ID"),
    "web.journeys.col.name": ("名称", "Name"),
    "web.journeys.col.trigger": ("触发", "Trigger"),
    "web.journeys.col.channel": ("渠道", "Channel"),
    "web.journeys.col.enabled": ("状态", "Status"),
    "web.journeys.col.period": ("起止", "Start – stop"),
    "web.journeys.col.holdout": ("对照组", "Holdout"),
    "web.journeys.col.queued": ("待发送", "Queued"),
    "web.journeys.col.sent": ("已发送", "Sent"),
    "web.journeys.col.dead": ("死信", "Dead"),
    "web.journeys.enabled": ("已启用", "Enabled"),
    "web.journeys.disabled": ("已停用", "Disabled"),
    "web.journeys.enable": ("启用", "Enable"),
    "web.journeys.disable": ("停用", "Disable"),
    "web.journeys.toggled_on": ("已启用，下次运行时生效。", "Enabled: it acts from the next run."),
    "web.journeys.toggled_off": ("已停用。", "Disabled."),
    "web.journeys.trigger.entered": ("进入 {target}", "entered {target}"),
    "web.journeys.trigger.left": ("离开 {target}", "left {target}"),
    "web.journeys.trigger.rule": ("规则：{rule}", "rule: {rule}"),
    "web.journeys.always": ("不限", "any time"),
    "web.journeys.edit": ("编辑 journeys.yaml", "Edit journeys.yaml"),
    "web.journeys.edit_hint": (
        "整个文件一起校验（渠道、触发标签、规则、模板），通过后才会保存。",
        (
            "The whole file is checked (channels, trigger labels, rules, templates) "
            "before it is saved."
        ),
    ),
    "web.journeys.check": ("检查并预览", "Check and preview"),
    "web.journeys.save": ("保存", "Save"),
    "web.journeys.saved": ("已保存。", "Saved."),
    "web.journeys.valid": (
        "有效：{journeys} 个旅程，{channels} 个渠道。",
        ("Valid: {journeys} {journeys:journey|journeys}, {channels} {channels:channel|channels}."),
    ),
    "web.journeys.invalid": ("无效，未保存：", "Not valid, not saved:"),
    "web.journeys.at_line": ("第 {line} 行：{error}", "Line {line}: {error}"),
    "web.journeys.no_line": ("{error}", "{error}"),
    "web.journeys.channels_admin": (
        "只有管理员可以新增或修改渠道（channels）：渠道决定消息发往何处、读取哪个密钥。",
        (
            "Only an admin may add or change channels: a channel decides where messages go "
            "and which secret is read."
        ),
    ),
    "web.journeys.changed": (
        "journeys.yaml 在你编辑期间已被他人修改，请重新加载页面后再保存。",
        (
            "journeys.yaml was changed by someone else while you edited it: reload the page "
            "and save again."
        ),
    ),
    "web.journeys.unknown": ("没有旅程 {id}。", "There is no journey {id}."),
    "web.journeys.back": ("全部旅程", "All journeys"),
    "web.journeys.preview": ("受众预览", "Audience preview"),
    "web.journeys.preview_hint": (
        "按编辑中的规则，在最新一次运行（{as_of}）上计算；入选/离开类触发使用这次运行相对上一次的变化。",
        (
            "Counted with the rules being edited on the latest run ({as_of}); an entered/left "
            "trigger uses that run's changes against the run before."
        ),
    ),
    "web.journeys.preview_none": (
        "还没有运行结果，无法预览。",
        "There is no run to preview on yet.",
    ),
    "web.journeys.audience": ("受众", "Audience"),
    "web.journeys.would_send": ("将发送", "Would be sent"),
    "web.journeys.preview_counts": ("受众 {audience} 人", "Audience: {audience} customers"),
    "web.journeys.log": ("发送记录", "Delivery log"),
    "web.journeys.log_none": ("还没有消息。", "No messages yet."),
    "web.journeys.log.status": ("状态", "Status"),
    "web.journeys.log.customer": ("客户", "Customer"),
    "web.journeys.log.tries": ("尝试次数", "Tries"),
    "web.journeys.log.error": ("最近错误", "Last error"),
    "web.journeys.log.created": ("创建时间", "Created"),
    "web.journeys.log.next": ("下次尝试", "Next attempt"),
    "web.journeys.log.sent": ("发送时间", "Sent"),
    "web.journeys.log.masked": (
        "你的角色看不到客户编号。",
        "Customer ids are hidden for your role.",
    ),
    "web.journeys.replay": ("重新发送", "Replay"),
    "web.journeys.replayed": ("已重新排队。", "Queued again."),
    "web.journeys.not_dead": ("消息 {id} 不在死信中。", "Message {id} is not dead-lettered."),
    "web.journeys.status.pending": ("待发送", "pending"),
    "web.journeys.status.sending": ("发送中", "sending"),
    "web.journeys.status.sent": ("已发送", "sent"),
    "web.journeys.status.dead": ("死信", "dead"),
    "web.journeys.status.cancelled": ("已取消", "cancelled"),
    "web.journeys.uplift": ("效果：处理组对比对照组", "Uplift: treated against holdout"),
    "web.journeys.uplift_none": (
        "还没有分组记录：旅程在运行后选出客户，才能比较。",
        (
            "No assignments yet: the journey has to choose customers after a run before "
            "groups can be compared."
        ),
    ),
    "web.journeys.uplift_summary": (
        "处理组 {treated} 人，对照组 {holdout} 人；转化窗口 {days} 天（{first} 至 {last} 触发）。",
        (
            "Treated {treated}, holdout {holdout}; a {days}-day conversion window (triggered "
            "{first} to {last})."
        ),
    ),
    "web.journeys.treated": ("处理组", "Treated"),
    "web.journeys.holdout": ("对照组", "Holdout"),
    "web.journeys.difference": ("差值（95% 置信区间）", "Difference (95% CI)"),
    "web.journeys.conversion": ("转化率", "Conversion"),
    "web.journeys.revenue": ("人均收入", "Revenue per customer"),
    "web.journeys.admin_only": (
        "只有管理员可以重新发送死信（你的角色：{role}）。",
        "Only an admin may replay a dead letter (your role: {role}).",
    ),
    # the public unsubscribe page
    "web.unsubscribe.title": ("退订营销消息", "Unsubscribe from marketing messages"),
    "web.unsubscribe.ask": (
        "确认后，你将不再收到我们的营销消息（服务类通知不受影响）。",
        (
            "Once you confirm, you will get no more marketing messages from us (service "
            "notices are not affected)."
        ),
    ),
    "web.unsubscribe.confirm": ("确认退订", "Unsubscribe"),
    "web.unsubscribe.done": (
        "已退订：你不会再收到我们的营销消息。",
        "You are unsubscribed: you will get no more marketing messages from us.",
    ),
    "web.unsubscribe.bad_token": (
        "退订链接无效或不完整。请使用邮件中的完整链接。",
        "This unsubscribe link is not valid or not complete. Use the whole link from the e-mail.",
    ),
}

MESSAGES.update(JOURNEYS)
