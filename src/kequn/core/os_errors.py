"""What an operating system's refusal of a path means, in words: the errno's own text
(``[Errno 2] No such file or directory``) is English whatever the language."""

from __future__ import annotations

import errno

from kequn.core import i18n

#: message keys by errno
REASONS = {
    errno.EACCES: "error.os.denied",
    errno.EPERM: "error.os.denied",
    errno.ENOENT: "error.os.missing",
    errno.EISDIR: "error.os.is_dir",
    errno.ENOTDIR: "error.os.not_dir",
    errno.EEXIST: "error.os.exists",
    errno.ENOSPC: "error.os.full",
    errno.EDQUOT: "error.os.quota",
    errno.EFBIG: "error.os.too_large",
    errno.EROFS: "error.os.read_only",
    errno.ENAMETOOLONG: "error.os.name_too_long",
    errno.ELOOP: "error.os.loop",
}


def os_reason(exc: OSError, lang: str | None = None) -> str | None:
    """Why the path was refused, in the reader's language; None for an errno not known."""
    key = REASONS.get(exc.errno or 0)
    return i18n.t(key, lang) if key else None
