"""What kequn says about a command cut short (Ctrl-C, a kill) and what it left to
finish, as (中文, English) templates by key; merged into
:data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

RECOVERY: dict[str, tuple[str, str]] = {
    "cli.interrupted": (
        "已中断。kequn 只在一项更改完整完成后才发布它：本命令尚未完成的部分不会留在工作区中；可用 kequn status 查看工作区现有内容。",
        "Interrupted. kequn publishes a change only once it is complete: what this command had not finished is not in the workspace; `kequn status` shows what it holds.",
    ),
}
