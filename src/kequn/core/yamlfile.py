"""Files people edit, read: YAML with libyaml's safe loader when PyYAML was built with it
(the same safe loading as ``yaml.safe_load``, about ten times faster: the ingest's header
synonyms and format profiles 0.07 s instead of 0.007 s of every import; the default
taxonomy 0.23 s instead of 0.02 s), and ``kequn.toml``, each in the encodings a Chinese
Windows editor saves (:func:`user_text`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

#: libyaml's safe loader, else PyYAML's own
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, through :data:`SafeLoader`."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def user_text(raw: bytes) -> str:
    """A YAML file a person edited, as text: UTF-8 (with or without a byte-order mark),
    else GB18030, which a Chinese Windows editor saves as "ANSI" (Notepad's default
    before 2019): its Chinese words were refused as not UTF-8. Bytes that are neither
    raise the UTF-8 error, whose position the caller can tell."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise exc from None


def load_toml(path: Path) -> dict[str, Any]:
    """The TOML file ``path`` (``kequn.toml``) read as :func:`user_text`: Notepad's "ANSI"
    (GB18030) as well as UTF-8, where ``home_city = "杭州"`` was refused as not UTF-8.
    Raises ``OSError``, ``UnicodeDecodeError`` or ``tomllib.TOMLDecodeError`` (both
    ``ValueError``)."""
    return tomllib.loads(user_text(path.read_bytes()))
