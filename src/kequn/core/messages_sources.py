"""What kequn says of named data sources: saved databases, their syncing, and the
source a file's records are imported as; merged into :data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

SOURCES: dict[str, tuple[str, str]] = {
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
}
