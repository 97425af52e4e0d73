"""What kequn says about a command cut short (Ctrl-C, a kill) and what it left to
finish, as (中文, English) templates by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

RECOVERY: dict[str, tuple[str, str]] = {
    "cli.interrupted": (
        "已中断。kequn 只在一项更改完整完成后才发布它：本命令尚未完成的部分不会留在工作区中；可用 kequn status 查看工作区现有内容。",
        "Interrupted. kequn publishes a change only once it is complete: what this command had not finished is not in the workspace; `kequn status` shows what it holds.",
    ),
    "privacy.erase_unfinished": (
        "有一次删除（审计参考号 {subject}，开始于 {when}）未完成：此人的数据可能仍留在运行结果、特征状态或其他文件中。请用同一编号再次运行 kequn privacy erase 以完成删除。",
        "An erasure (audit reference {subject}, begun {when}) was cut short: that person's data may still be in runs, the feature state or other files. Run `kequn privacy erase` again with the same id to finish it.",
    ),
    "web.erase_unfinished": (
        "有一次删除（审计参考号 {subject}，开始于 {when}）未完成：此人的数据可能仍留在运行结果、特征状态或其他文件中。请用同一编号再次删除（kequn privacy erase，或 API 的 /api/privacy/erase）以完成。",
        "An erasure (audit reference {subject}, begun {when}) was cut short: that person's data may still be in runs, the feature state or other files. Erase the same id again (`kequn privacy erase`, or the API's /api/privacy/erase) to finish it.",
    ),
    "privacy.erase_interrupted": (
        "删除 {id} 的操作被中断：此人的部分数据可能仍在工作区中。请再次运行 kequn privacy erase {id} 以完成删除。",
        "The erasure of {id} was interrupted: part of their data may still be in the workspace. Run `kequn privacy erase {id}` again to finish it.",
    ),
    "settings.unknown": (
        "kequn.toml 中有本版本 kequn 不认识的设置，已忽略：{keys}（拼写错误，或更新版本 kequn 的设置）。",
        "kequn.toml holds settings this kequn does not know, and ignores: {keys} (a spelling mistake, or a newer kequn's settings).",
    ),
}
