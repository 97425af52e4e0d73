# ruff: noqa: E501
# (messages in two languages read best unwrapped, as in kequn.web.text)
"""The scheduler's words, in 中文 and English (added to :mod:`kequn.core.i18n`)."""

from __future__ import annotations

import re
from typing import Any

from kequn.core.i18n import MESSAGES, t

#: a [schedule] to copy into kequn.toml (configuration: the same in both languages, shown
#: as code on the dashboard)
EXAMPLE = '[schedule] daily = { at = "06:00", steps = ["sync", "run", "deliver"] }'

SCHEDULE: dict[str, tuple[str, str]] = {
    # kequn.toml mistakes: each names the file and the key
    "schedule.bad": ("{file} 中 {key}：{detail}", "{file}, {key}: {detail}"),
    "schedule.bad.table": (
        '应为表，例如 daily = {{ at = "06:00", steps = ["sync", "run", "deliver"] }}',
        'must be a table, e.g. daily = {{ at = "06:00", steps = ["sync", "run", "deliver"] }}',
    ),
    "schedule.bad.name": (
        "任务名只能用小写字母、数字和 _，并以字母开头",
        "a job name is lower-case letters, digits and _, starting with a letter",
    ),
    "schedule.bad.keys": (
        "不认识的键：{keys}（可用：{known}）",
        "unknown keys: {keys} (known: {known})",
    ),
    "schedule.bad.when": (
        '需要 at = "HH:MM"（每天）或 cron = "分 时 日 月 周"，二者选一',
        'needs either at = "HH:MM" (daily) or cron = "min hour day month weekday", not both',
    ),
    "schedule.bad.at": ("“{value}” 不是 HH:MM 格式的时间", '"{value}" is not a time as HH:MM'),
    "schedule.bad.days": (
        '应为星期列表，例如 ["mon", "fri"]（{detail}）',
        'must be a list of weekdays, e.g. ["mon", "fri"] ({detail})',
    ),
    "schedule.bad.cron": ("cron 表达式无效：{detail}", "not a valid cron expression: {detail}"),
    # a step's bug, by its kind only (its text may quote a customer's data)
    "schedule.internal": (
        "内部错误（{kind}），详情未记录：可能含有客户数据；设置 KEQUN_DEBUG=1 可在服务器日志中看到完整回溯",
        "internal error ({kind}); its text is not kept, as it may quote customer data: set KEQUN_DEBUG=1 to have the server's log print the whole traceback",
    ),
    "schedule.bad.steps": (
        "应为步骤列表，只能是 {known}，每个最多一次",
        "must be a list of steps from {known}, each at most once",
    ),
    "schedule.bad.no_sources": (
        "步骤 sync 需要在 kequn.toml 中配置 [sources.名称]",
        "the sync step needs a saved source ([sources.NAME] in kequn.toml)",
    ),
    "schedule.bad.timezone": ("未知时区 “{value}”", 'unknown time zone "{value}"'),
    "schedule.unknown_job": (
        "没有任务 {name}（已配置：{known}）",
        "No job {name} (configured: {known})",
    ),
    "schedule.no_extra": (
        "定时任务需要 APScheduler：pip install 'kequn[web]'",
        "Scheduling needs APScheduler: pip install 'kequn[web]'",
    ),
    # why a job did not run
    "schedule.skip.held": (
        "同一任务正在另一个进程中运行",
        "the same job is running in another process",
    ),
    "schedule.skip.busy": (
        "工作区正忙（另一个导入或运行持有 locks/write.lock），稍后重试",
        "the workspace is busy (another import or run holds locks/write.lock); retried later",
    ),
    "schedule.interrupted": (
        "进程在任务完成前退出",
        "the process ended before the job finished",
    ),
    # kequn schedule show / run, the runs page
    "schedule.none": (
        "kequn.toml 中没有 [schedule]，例如：{example}",
        "No [schedule] in kequn.toml, e.g. {example}",
    ),
    "schedule.title": ("定时任务", "Schedule"),
    "schedule.col.job": ("任务", "Job"),
    "schedule.col.when": ("时间", "When"),
    "schedule.col.steps": ("步骤", "Steps"),
    "schedule.col.next": ("下次运行", "Next run"),
    "schedule.col.last": ("上次运行", "Last run"),
    "schedule.col.outcome": ("结果", "Outcome"),
    "schedule.col.detail": ("说明", "Detail"),
    "schedule.when.daily": ("每天 {at}", "daily at {at}"),
    "schedule.when.days": ("{days} {at}", "{days} at {at}"),
    "schedule.timezone": ("时区：{tz}", "Time zone: {tz}"),
    "schedule.outcome.ok": ("成功", "succeeded"),
    "schedule.outcome.failed": ("失败", "failed"),
    "schedule.outcome.skipped": ("跳过", "skipped"),
    "schedule.outcome.running": ("运行中", "running"),
    "schedule.outcome.interrupted": ("中断", "interrupted"),
    "schedule.outcome.never": ("尚未运行", "not run yet"),
    "schedule.ran": (
        "任务 {name}：{outcome}（{seconds:.1f} 秒）",
        "Job {name}: {outcome} ({seconds:.1f} s)",
    ),
    "schedule.step": ("  {step}：{outcome} {detail}", "  {step}: {outcome} {detail}"),
    # a step's name on the dashboard (kequn.toml spells it sync, run or deliver)
    "schedule.step_name.sync": ("同步数据源", "sync"),
    "schedule.step_name.run": ("运行分群", "run"),
    "schedule.step_name.deliver": ("投递消息", "deliver"),
    "schedule.deliver_loop": (
        "投递循环：每 {seconds} 秒（有旅程时）；上次 {at}：发送 {sent}，失败 {failed}",
        "Delivery loop: every {seconds} s (when journeys exist); last at {at}: {sent} sent, {failed} failed",
    ),
    # the loop has not passed yet (no journeys since the server started, or none ever)
    "schedule.deliver_never": (
        "投递循环：每 {seconds} 秒（有旅程时）；尚未运行过",
        "Delivery loop: every {seconds} s (when journeys exist); it has not run yet",
    ),
    "schedule.deliver_off": ("投递循环：关闭", "Delivery loop: off"),
    # a step's outcome as the job's record keeps it (runner.py), shown in words
    "schedule.detail.deliver": ("发送 {sent}，失败 {failed}", "sent {sent}, failed {failed}"),
    "schedule.detail.run": (
        "运行 {run_id}（{customers} 位客户）",
        "run {run_id} ({customers} {customers:customer|customers})",
    ),
    "schedule.detail.sync": (
        "{name}：新增 {inserted}，更新 {updated}，隔离 {rejected}",
        "{name}: {inserted} new, {updated} updated, {rejected} quarantined",
    ),
}
MESSAGES.update(SCHEDULE)


#: a step's detail as the runner records it (in no language: a record outlives the
#: language it was made in), and its words
_DETAILS = {
    "deliver": (
        re.compile(r"sent (?P<sent>\d+), failed (?P<failed>\d+)"),
        "schedule.detail.deliver",
    ),
    "run": (re.compile(r"(?P<run_id>\S+) \((?P<customers>\d+)\)"), "schedule.detail.run"),
}
_SYNCED = re.compile(r"(?P<name>.+): \+(?P<inserted>\d+) ~(?P<updated>\d+) !(?P<rejected>\d+)")


def step_detail(step: dict[str, Any], lang: str | None = None) -> str:
    """What a job's step did, in ``lang``: the sync's sources, the run's id and size, the
    delivery's counts (the record keeps them in a fixed form); an error or any other
    detail as recorded."""
    detail = str(step.get("detail") or "")
    if not detail or detail == "-":
        return str(step.get("error") or detail or "")
    if step.get("step") == "sync":
        parts = [_SYNCED.fullmatch(part) for part in detail.split("; ")]
        if all(parts):
            return "; ".join(t("schedule.detail.sync", lang, **p.groupdict()) for p in parts if p)
        return detail
    known = _DETAILS.get(str(step.get("step")))
    matched = known[0].fullmatch(detail) if known else None
    return t(known[1], lang, **matched.groupdict()) if known and matched else detail
